import type { CounterSlot } from '../counter-slot.js';
import type { Counters } from '../counters.js';
import { type CounterEngine, countersFromEngine } from '../counters-from-engine.js';

interface MemoryCounter {
  value: number;
  /** Epoch milliseconds on the callers' clock. */
  expiresAt: number;
}

/** Expired windows are swept at most this often (on the callers' clock), keeping each call cheap. */
const SWEEP_INTERVAL_MS = 1_000;

/**
 * Counters held in this process: exact and atomic within it (every operation completes synchronously
 * inside one call), but not shared with other processes; use the Redis adapter for that.
 *
 * @example
 * const counters = createMemoryCounters();
 * const result = await counters.hit('coach-reply:user-1', 10, { ms: 86_400_000 }, Date.now());
 * if (!result.allowed) console.log(`retry in ${result.retryAfterMs} ms`);
 */
export function createMemoryCounters(): Counters {
  const counters = new Map<string, MemoryCounter>();
  let nextSweepAt = Number.NEGATIVE_INFINITY;
  let closed = false;

  function assertOpen(): void {
    if (closed) throw new Error('memory counters are closed');
  }

  function sweep(now: number): void {
    if (now < nextSweepAt) return;
    nextSweepAt = now + SWEEP_INTERVAL_MS;
    for (const [id, counter] of counters) {
      if (counter.expiresAt <= now) counters.delete(id);
    }
  }

  function live(slot: CounterSlot, now: number): MemoryCounter | undefined {
    const counter = counters.get(slot.id);
    if (counter !== undefined && counter.expiresAt <= now) {
      counters.delete(slot.id);
      return undefined;
    }
    return counter;
  }

  const engine: CounterEngine = {
    async addWithin(slot, increment, ceiling, ttlMs, now) {
      assertOpen();
      sweep(now);
      const counter = live(slot, now);
      const current = counter?.value ?? 0;
      if (current + increment > ceiling) return { added: false, value: current };
      const value = current + increment;
      counters.set(slot.id, { value, expiresAt: now + ttlMs });
      return { added: true, value };
    },
    async adjust(slot, delta) {
      assertOpen();
      // No clock here: a counter that was not swept yet is still inside its margin, as in Redis.
      const counter = counters.get(slot.id);
      if (counter !== undefined) counter.value = Math.max(0, counter.value + delta);
    },
    async read(slot, now) {
      assertOpen();
      sweep(now);
      return live(slot, now)?.value ?? 0;
    },
    async ping() {
      assertOpen();
    },
    async close() {
      closed = true;
      counters.clear();
    },
  };
  return countersFromEngine('memory', engine);
}
