import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-delay.js';

const policy = { maxRetries: 5, initialDelayMs: 200, maxDelayMs: 5_000 };

describe('retryDelayMs', () => {
  it('doubles the jitter ceiling each retry up to maxDelayMs', () => {
    const top = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 6].map((retry) => retryDelayMs(retry, policy, top))).toEqual([
      199, 399, 799, 1_599, 3_199, 4_999,
    ]);
    expect(retryDelayMs(3, policy, () => 0)).toBe(0);
  });

  it('waits at least the Retry-After and never more than maxDelayMs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: undefined }),
        (retry, draw, retryAfterMs) => {
          const delay = retryDelayMs(retry, policy, () => draw, retryAfterMs);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(policy.maxDelayMs);
          expect(delay).toBeLessThanOrEqual(
            Math.max(policy.initialDelayMs * 2 ** (retry - 1), retryAfterMs ?? 0),
          );
          if (retryAfterMs !== undefined)
            expect(delay).toBe(Math.min(policy.maxDelayMs, Math.max(delay, retryAfterMs)));
        },
      ),
      { seed: 42 },
    );
  });
});
