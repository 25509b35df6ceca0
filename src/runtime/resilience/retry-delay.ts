import type { z } from 'zod';
import type { retryPolicySchema } from '../../core/policy-config.js';

/** A retry policy with its defaults applied. */
export type RetryPolicy = z.output<typeof retryPolicySchema>;

/**
 * The wait before retry number `retry` (1 for the first retry): exponential backoff with full jitter,
 * `random() * min(maxDelayMs, initialDelayMs * 2^(retry - 1))`, raised to the provider's Retry-After
 * when that is longer, and never above `maxDelayMs`.
 *
 * @example
 * retryDelayMs(3, { maxRetries: 3, initialDelayMs: 200, maxDelayMs: 5_000 }, () => 0.5); // 400
 */
export function retryDelayMs(
  retry: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, retry - 1));
  const backoff = Math.floor(random() * ceiling);
  return Math.min(policy.maxDelayMs, Math.max(backoff, retryAfterMs ?? 0));
}
