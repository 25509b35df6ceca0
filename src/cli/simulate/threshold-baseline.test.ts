import { describe, expect, it } from 'vitest';
import type { RequestOutcome } from './request-outcome.js';
import { ARGO_BASELINE, evaluateThresholdBaseline, FLAGGER_BASELINE } from './threshold-baseline.js';

const MINUTE = 60_000;
const SUCCESS_97 = { kind: 'success-rate', minSuccessRate: 0.97 } as const;

/** 100 canary requests and 100 control requests in minute `minute`, `failures` of the canary's failed. */
function minute(minuteIndex: number, failures: number, latencyMs = 10): RequestOutcome[] {
  return Array.from({ length: 100 }, (_, index) => [
    { atMs: minuteIndex * MINUTE + index * 600, arm: 'v2' as const, failed: index < failures, latencyMs },
    // The control fails every time: the baselines look at the canary only.
    { atMs: minuteIndex * MINUTE + index * 600, arm: 'v1' as const, failed: true, latencyMs: 10_000 },
  ]).flat();
}

describe('evaluateThresholdBaseline', () => {
  it('rolls back at the end of the interval that brings the failed checks to the threshold, counting over passes', () => {
    // Failing minutes (4 of 100 failed < 97 %) at 0, 2, 3, 5, 6 and 7; passing ones (3 of 100 failed) between.
    const failures = [4, 3, 4, 4, 3, 4, 4, 4, 4];
    const outcomes = failures.flatMap((count, index) => minute(index, count));
    const flagger = evaluateThresholdBaseline(FLAGGER_BASELINE, SUCCESS_97, outcomes, 'v2', 9 * MINUTE);
    // The 5th failed check is minute 6: passes at minutes 1 and 4 did not reset the count.
    expect(flagger).toEqual({ rolledBackAtMs: 7 * MINUTE, checks: 7, failedChecks: 5 });
    const argo = evaluateThresholdBaseline(ARGO_BASELINE, SUCCESS_97, outcomes, 'v2', 9 * MINUTE);
    // failureLimit 3: the 4th failure (minute 5) aborts.
    expect(argo).toEqual({ rolledBackAtMs: 6 * MINUTE, checks: 6, failedChecks: 4 });
  });

  it('skips intervals without canary requests and leaves an unfinished interval unchecked', () => {
    const outcomes = [...minute(0, 50), ...minute(2, 50), ...minute(3, 50), ...minute(4, 50)];
    // Minute 1 has no canary request: no check. Minute 4 ends after endMs: not checked.
    const argo = evaluateThresholdBaseline(ARGO_BASELINE, SUCCESS_97, outcomes, 'v2', 4.5 * MINUTE);
    expect(argo).toEqual({ rolledBackAtMs: null, checks: 3, failedChecks: 3 });
    const later = evaluateThresholdBaseline(ARGO_BASELINE, SUCCESS_97, outcomes, 'v2', 5 * MINUTE);
    expect(later.rolledBackAtMs).toBe(5 * MINUTE);
  });

  it("checks the canary's nearest-rank p95 against the maximum", () => {
    const slowTail = (minuteIndex: number, slow: number): RequestOutcome[] =>
      minute(minuteIndex, 0).map((outcome, index) =>
        outcome.arm === 'v2' && index / 2 >= 100 - slow ? { ...outcome, latencyMs: 500 } : outcome,
      );
    const check = { kind: 'p95-latency', maxMs: 100 } as const;
    // 5 slow requests of 100: the 95th is still fast. 6 slow: the 95th is slow.
    const passing = Array.from({ length: 6 }, (_, index) => slowTail(index, 5)).flat();
    expect(evaluateThresholdBaseline(ARGO_BASELINE, check, passing, 'v2', 6 * MINUTE)).toEqual({
      rolledBackAtMs: null,
      checks: 6,
      failedChecks: 0,
    });
    const failing = Array.from({ length: 6 }, (_, index) => slowTail(index, 6)).flat();
    expect(evaluateThresholdBaseline(FLAGGER_BASELINE, check, failing, 'v2', 6 * MINUTE).rolledBackAtMs).toBe(
      5 * MINUTE,
    );
  });
});
