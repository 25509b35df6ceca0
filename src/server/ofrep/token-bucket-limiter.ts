import { LRUCache } from 'lru-cache';
import { z } from 'zod';

/** A per-caller request rate: a steady rate and the burst above it. */
export interface RequestRate {
  /** Requests per second each caller may make, on average. */
  readonly requestsPerSecond: number;
  /** Requests a caller may make at once after being idle; default one second's worth (at least 1). */
  readonly burst?: number;
}

/** A `RequestRate` as options and config files give it. */
export const requestRateSchema = z.strictObject({
  requestsPerSecond: z.number().gt(0).max(1_000_000),
  burst: z.int().min(1).max(10_000_000).optional(),
});

/** Admits or refuses requests per caller key. */
export interface TokenBucketLimiter {
  /** 0 when the request may go ahead (and is counted), else the milliseconds until it could. */
  take(key: string): number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per caller in this process's memory: `burst` requests at once, refilled at
 * `requestsPerSecond`. Servers behind one load balancer each apply it to what they receive.
 *
 * @example
 * const limiter = createTokenBucketLimiter({ requestsPerSecond: 100 }, Date.now);
 * limiter.take('token-id'); // 0 until the caller exceeds 100 requests in a burst
 */
export function createTokenBucketLimiter(rate: RequestRate, clock: () => number): TokenBucketLimiter {
  const perMs = rate.requestsPerSecond / 1_000;
  const burst = rate.burst ?? Math.max(1, rate.requestsPerSecond);
  const buckets = new LRUCache<string, Bucket>({ max: 100_000 });
  return {
    take(key) {
      const now = clock();
      const bucket = buckets.get(key) ?? { tokens: burst, at: now };
      bucket.tokens = Math.min(burst, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
      bucket.at = now;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - bucket.tokens) / perMs);
    },
  };
}
