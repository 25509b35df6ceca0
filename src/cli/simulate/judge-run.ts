import type { GuardrailScenario } from './guardrail-scenario.js';
import { nearestRank } from './nearest-rank.js';
import type { Arm, RequestOutcome } from './request-outcome.js';
import type { GuardrailRun } from './run-guardrail-simulation.js';
import {
  ARGO_BASELINE,
  evaluateThresholdBaseline,
  FLAGGER_BASELINE,
  type IntervalCheck,
} from './threshold-baseline.js';

/** The methods compared: Switchyard's relative rule and the two threshold baselines. */
export const METHODS = ['relative', 'flagger', 'argo'] as const;
/** One of METHODS. */
export type Method = (typeof METHODS)[number];
/** How each method is named in tables. */
export const METHOD_NAMES: Readonly<Record<Method, string>> = {
  relative: 'Switchyard relative rule',
  flagger: FLAGGER_BASELINE.name,
  argo: ARGO_BASELINE.name,
};

/** What one method did in one run. */
export interface MethodOutcome {
  readonly rolledBack: boolean;
  /** Virtual ms of the rollback, or null. */
  readonly atMs: number | null;
  /** v2 requests sent before the rollback, or in the whole run when there was none. */
  readonly v2Requests: number;
  /** v2 failures beyond what v1's failure rate over the same time would give, until the rollback or the end. */
  readonly excessFailures: number;
}

/**
 * Judges one run by every method: the relative rule by when the monitor rolled v2 back; each baseline by
 * evaluateThresholdBaseline over the same outcomes with the scenario's check (a p95 check's maximum is halfway
 * between v1's and v2's measured p95 over the run).
 *
 * @example
 * judgeRun(guardrailScenario('a'), run).relative; // { rolledBack: true, atMs: 140000, v2Requests: 701, excessFailures: 13.4 }
 */
export function judgeRun(scenario: GuardrailScenario, run: GuardrailRun): Record<Method, MethodOutcome> {
  const check = intervalCheck(scenario, run.outcomes);
  const outcome = (atMs: number | null): MethodOutcome => ({
    rolledBack: atMs !== null,
    atMs,
    ...tally(run.outcomes, atMs ?? Number.POSITIVE_INFINITY),
  });
  const baseline = (which: typeof FLAGGER_BASELINE) =>
    evaluateThresholdBaseline(which, check, run.outcomes, 'v2', run.elapsedMs).rolledBackAtMs;
  return {
    relative: outcome(run.relative.rollbackAtMs),
    flagger: outcome(baseline(FLAGGER_BASELINE)),
    argo: outcome(baseline(ARGO_BASELINE)),
  };
}

/** The scenario's check with its threshold fixed for these outcomes. */
export function intervalCheck(
  scenario: GuardrailScenario,
  outcomes: readonly RequestOutcome[],
): IntervalCheck {
  if (scenario.check.kind === 'success-rate') return scenario.check;
  const p95 = (arm: Arm) =>
    nearestRank(
      outcomes.filter((outcome) => outcome.arm === arm).map((outcome) => outcome.latencyMs),
      0.95,
    );
  return { kind: 'p95-latency', maxMs: (p95('v1') + p95('v2')) / 2 };
}

function tally(
  outcomes: readonly RequestOutcome[],
  untilMs: number,
): { v2Requests: number; excessFailures: number } {
  let v1Requests = 0;
  let v1Failures = 0;
  let v2Requests = 0;
  let v2Failures = 0;
  for (const outcome of outcomes) {
    if (outcome.atMs >= untilMs) continue;
    if (outcome.arm === 'v2') {
      v2Requests += 1;
      if (outcome.failed) v2Failures += 1;
    } else {
      v1Requests += 1;
      if (outcome.failed) v1Failures += 1;
    }
  }
  const controlRate = v1Requests === 0 ? 0 : v1Failures / v1Requests;
  return { v2Requests, excessFailures: v2Failures - v2Requests * controlRate };
}
