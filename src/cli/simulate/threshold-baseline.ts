import { nearestRank } from './nearest-rank.js';
import type { Arm, RequestOutcome } from './request-outcome.js';

/**
 * A threshold-only canary analysis as progressive-delivery controllers run it: every `intervalMs` the canary's
 * requests of that interval are checked against a fixed threshold, failed checks are counted over the whole
 * analysis (a passing check does not reset the count), and the canary is rolled back at the
 * `failedChecksToRollback`-th failed check.
 */
export interface ThresholdBaseline {
  readonly name: string;
  readonly intervalMs: number;
  readonly failedChecksToRollback: number;
}

// Flagger: `analysis.interval` 1m and `threshold: 5` ("max number of failed metric checks before rollback")
// as in its documentation's examples (docs.flagger.app, "How it works" and "Metrics analysis", whose built-in
// checks are `request-success-rate` with `thresholdRange.min: 99` and `request-duration` P99 with
// `thresholdRange.max: 500`, both over `interval: 1m`). Its scheduler adds one to `status.failedChecks` per
// failed analysis and rolls back once `failedChecks >= threshold`.
/** Flagger-style: a check every minute, rollback at the 5th failed check. */
export const FLAGGER_BASELINE: ThresholdBaseline = {
  name: 'Flagger-style',
  intervalMs: 60_000,
  failedChecksToRollback: 5,
};

// Argo Rollouts: `failureLimit: 3` as in its analysis documentation's success-rate template (there with
// `successCondition: result[0] >= 0.95` every 5m). A metric is Failed once its failed measurements exceed the
// limit (`result.Failed > metric.FailureLimit` in analysis/analysis.go), so the 4th failure aborts the rollout.
// Measured here every minute like Flagger, so that the two differ only in how many failures they tolerate.
/** Argo-style: a measurement every minute, abort when failures exceed failureLimit 3 (the 4th). */
export const ARGO_BASELINE: ThresholdBaseline = {
  name: 'Argo-style',
  intervalMs: 60_000,
  failedChecksToRollback: 4,
};

/** What one interval's check compares: the canary's success rate with a minimum, or its p95 with a maximum. */
export type IntervalCheck =
  | { readonly kind: 'success-rate'; readonly minSuccessRate: number }
  | { readonly kind: 'p95-latency'; readonly maxMs: number };

/** The verdict of a baseline over a run. */
export interface BaselineVerdict {
  /** End of the interval whose failed check triggered the rollback (virtual ms since start), or null. */
  readonly rolledBackAtMs: number | null;
  /** Checks run (intervals with canary requests) until the rollback or the end. */
  readonly checks: number;
  readonly failedChecks: number;
}

/**
 * Runs a threshold baseline over a run's outcomes: one check per complete interval that has canary requests
 * (an interval without any is skipped, not failed), up to `endMs`. The p95 is the nearest-rank quantile.
 *
 * @example
 * evaluateThresholdBaseline(FLAGGER_BASELINE, { kind: 'success-rate', minSuccessRate: 0.97 }, outcomes, 'v2', 1_800_000);
 * // { rolledBackAtMs: 300000, checks: 5, failedChecks: 5 } when the first five minutes all fail
 */
export function evaluateThresholdBaseline(
  baseline: ThresholdBaseline,
  check: IntervalCheck,
  outcomes: readonly RequestOutcome[],
  canary: Arm,
  endMs: number,
): BaselineVerdict {
  const intervals = Math.floor(endMs / baseline.intervalMs);
  const perInterval: RequestOutcome[][] = Array.from({ length: intervals }, () => []);
  for (const outcome of outcomes) {
    if (outcome.arm !== canary) continue;
    const index = Math.floor(outcome.atMs / baseline.intervalMs);
    if (index >= 0 && index < intervals) perInterval[index]?.push(outcome);
  }
  let checks = 0;
  let failedChecks = 0;
  for (let index = 0; index < intervals; index += 1) {
    const requests = perInterval[index] ?? [];
    if (requests.length === 0) continue;
    checks += 1;
    if (!passes(check, requests)) failedChecks += 1;
    if (failedChecks >= baseline.failedChecksToRollback) {
      return { rolledBackAtMs: (index + 1) * baseline.intervalMs, checks, failedChecks };
    }
  }
  return { rolledBackAtMs: null, checks, failedChecks };
}

function passes(check: IntervalCheck, requests: readonly RequestOutcome[]): boolean {
  if (check.kind === 'success-rate') {
    const successes = requests.filter((request) => !request.failed).length;
    return successes / requests.length >= check.minSuccessRate;
  }
  return (
    nearestRank(
      requests.map((request) => request.latencyMs),
      0.95,
    ) <= check.maxMs
  );
}
