import type { Counters } from './counters.js';
import { createMemoryCounters } from './memory/memory-counters.js';

/**
 * Options of the runtime's Redis connection: a command fails at once while the connection is down (no
 * offline queue, no retries) and after 1 s on a connection that hangs, so an outage costs a request
 * milliseconds, not seconds of retries.
 */
export const FAIL_FAST_REDIS_OPTIONS = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  commandTimeout: 1_000,
} as const;

const REPORT_INTERVAL_MS = 10_000;

/** The error a budget check gets while the shared counters do not answer: no client library's wording. */
export class CountersUnavailableError extends Error {
  /** Budget refusals are classed as such in telemetry. */
  readonly errorClass = 'budget_exceeded';

  constructor(cause: unknown) {
    super('budget counters unavailable: the shared counter store (Redis) is not answering', { cause });
    this.name = 'CountersUnavailableError';
  }
}

/**
 * Shared counters that a Redis outage cannot turn into failed requests. Rate limits (`hit`) fail open: while
 * the shared counters do not answer, each process counts in its own memory for the rest of the window, so
 * a limit still holds per process. Budgets (`reserve`, `peek`) fail closed: spend cannot be checked, so the
 * request is refused with CountersUnavailableError (its message names the outage, not the client library),
 * and a settle that cannot reach the counter is dropped. Failures go to `onError`, at most one per 10 s. With the client's
 * offline queue off, a command fails as soon as the connection is known to be down, not after retries.
 */
export function createOutageTolerantCounters(shared: Counters, onError: (error: unknown) => void): Counters {
  const local = createMemoryCounters();
  // One report per 10 s: during an outage every request fails over, and a log line each would flood.
  let reportedAt = Number.NEGATIVE_INFINITY;
  const report = (error: unknown) => {
    const now = performance.now();
    if (now - reportedAt < REPORT_INTERVAL_MS) return;
    reportedAt = now;
    onError(error);
  };
  return {
    specificationVersion: 1,
    kind: shared.kind,
    async hit(key, limit, window, now) {
      try {
        return await shared.hit(key, limit, window, now);
      } catch (error) {
        report(error);
        return local.hit(key, limit, window, now);
      }
    },
    async reserve(key, amount, cap, window, now) {
      try {
        return await shared.reserve(key, amount, cap, window, now);
      } catch (error) {
        report(error);
        throw new CountersUnavailableError(error);
      }
    },
    async settle(reservation, actual) {
      try {
        await shared.settle(reservation, actual);
      } catch (error) {
        report(error);
      }
    },
    async peek(key, window, now) {
      try {
        return await shared.peek(key, window, now);
      } catch (error) {
        report(error);
        throw new CountersUnavailableError(error);
      }
    },
    ping: () => shared.ping(),
    async close() {
      await Promise.all([shared.close(), local.close()]);
    },
  };
}
