export type { CounterSlot } from './counter-slot.js';
export type {
  Counters,
  CountersKind,
  FixedWindow,
  HitResult,
  Reservation,
  ReserveResult,
} from './counters.js';
export { COUNTER_EXPIRY_MARGIN_MS } from './counters.js';
export type { CounterEngine } from './counters-from-engine.js';
export { countersFromEngine } from './counters-from-engine.js';
export { createMemoryCounters } from './memory/memory-counters.js';
export type { RedisCountersOptions } from './redis/redis-counters.js';
export { createRedisCounters, DEFAULT_COUNTERS_KEY_PREFIX } from './redis/redis-counters.js';
export { MAX_COUNTER_AMOUNT, MICRO_UNITS_PER_UNIT } from './to-micro-units.js';
