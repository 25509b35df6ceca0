import { Redis } from 'ioredis';
import { InvalidInputError } from '../../../core/errors.js';
import type { Counters } from '../counters.js';
import { type CounterEngine, countersFromEngine } from '../counters-from-engine.js';

/** Where the Redis counters live and under which prefix. */
export interface RedisCountersOptions {
  /** `redis://` or `rediss://` URL; a connection is opened and owned (closed by `close`). */
  url?: string;
  /** An existing client to use instead of `url`; `close` leaves it open. */
  client?: Redis;
  /** Prepended to every counter key; default `switchyard:counters:`. */
  keyPrefix?: string;
}

/** The default prefix, so Switchyard's counters are easy to find and never collide with app keys. */
export const DEFAULT_COUNTERS_KEY_PREFIX = 'switchyard:counters:';

// Compare-and-add in one script: Redis runs a script atomically, so no other client can slip a write
// between the read and the INCRBY (the read-then-write race that lets concurrent requests overshoot).
const addWithinScript = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local increment = tonumber(ARGV[1])
if current + increment > tonumber(ARGV[2]) then
  return {0, current}
end
local value = redis.call('INCRBY', KEYS[1], increment)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {1, value}
`;

// Adjusts only a counter that still exists (INCRBY would resurrect an expired one without a TTL), and
// never below 0; INCRBY keeps the key's expiry.
const adjustScript = `
local current = redis.call('GET', KEYS[1])
if not current then
  return 0
end
local delta = tonumber(ARGV[1])
current = tonumber(current)
if current + delta < 0 then
  delta = -current
end
redis.call('INCRBY', KEYS[1], delta)
return 1
`;

interface CounterCommands {
  switchyardCounterAddWithin(
    key: string,
    increment: string,
    ceiling: string,
    ttlMs: string,
  ): Promise<number[]>;
  switchyardCounterAdjust(key: string, delta: string): Promise<number>;
}

/**
 * Counters in Redis, shared by every process that uses the same server and prefix. Each write is one
 * Lua script (sent as EVALSHA), so limits hold exactly across processes.
 *
 * @example
 * const counters = createRedisCounters({ url: 'redis://127.0.0.1:6379' });
 * const result = await counters.reserve('budget:coach-reply', 0.05, 100, { ms: 86_400_000 }, Date.now());
 * if (result.ok) await counters.settle(result.reservation, 0.021);
 * await counters.close();
 */
export function createRedisCounters(options: RedisCountersOptions): Counters {
  const prefix = options.keyPrefix ?? DEFAULT_COUNTERS_KEY_PREFIX;
  if (typeof prefix !== 'string') throw new InvalidInputError('keyPrefix', 'must be a string');
  if (options.client === undefined && (typeof options.url !== 'string' || options.url.length === 0)) {
    throw new InvalidInputError('url', 'give a Redis URL or a client');
  }
  const owned = options.client === undefined;
  const client = (options.client ?? new Redis(options.url!)) as Redis & CounterCommands;
  client.defineCommand('switchyardCounterAddWithin', { numberOfKeys: 1, lua: addWithinScript });
  client.defineCommand('switchyardCounterAdjust', { numberOfKeys: 1, lua: adjustScript });

  const engine: CounterEngine = {
    async addWithin(slot, increment, ceiling, ttlMs) {
      const [added, value] = await client.switchyardCounterAddWithin(
        prefix + slot.id,
        String(increment),
        String(ceiling),
        String(ttlMs),
      );
      return { added: added === 1, value: Number(value) };
    },
    async adjust(slot, delta) {
      await client.switchyardCounterAdjust(prefix + slot.id, String(delta));
    },
    async read(slot) {
      const value = await client.get(prefix + slot.id);
      return value === null ? 0 : Number(value);
    },
    async ping() {
      await client.ping();
    },
    async close() {
      if (!owned) return;
      // QUIT waits for pending replies; a connection that never got ready has nothing to wait for.
      if (client.status === 'ready') await client.quit();
      else client.disconnect();
    },
  };
  return countersFromEngine('redis', engine);
}
