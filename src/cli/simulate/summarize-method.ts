import type { MethodOutcome } from './judge-run.js';
import { nearestRank } from './nearest-rank.js';

/** One method's figures over the seeds of one scenario. */
export interface MethodSummary {
  readonly runs: number;
  /** Runs in which the method rolled v2 back. */
  readonly rolledBack: number;
  /** v2 requests until the rollback, median and p90 over seeds; Infinity when the method had not acted by then. */
  readonly v2RequestsMedian: number;
  readonly v2RequestsP90: number;
  /** Virtual minutes until the rollback (median over seeds; Infinity as above). */
  readonly minutesMedian: number;
  /** Excess v2 failures until the rollback or the run's end, median over seeds. */
  readonly excessFailuresMedian: number;
  /** Rollbacks in a scenario where v2 is no worse (every one is false); null where v2 is worse. */
  readonly falseRollbacks: number | null;
}

/**
 * Summarises one method over seeds: a run it did not roll back counts as never (Infinity), so a median that
 * is finite means the method acted in more than half of the runs, within the requests it reports.
 *
 * @example
 * summarizeMethod(outcomes, true).v2RequestsMedian; // 812
 */
export function summarizeMethod(outcomes: readonly MethodOutcome[], harmful: boolean): MethodSummary {
  const untilRollback = (value: (outcome: MethodOutcome) => number) =>
    outcomes.map((outcome) => (outcome.rolledBack ? value(outcome) : Number.POSITIVE_INFINITY));
  const requests = untilRollback((outcome) => outcome.v2Requests);
  const minutes = untilRollback((outcome) => (outcome.atMs ?? 0) / 60_000);
  const rolledBack = outcomes.filter((outcome) => outcome.rolledBack).length;
  return {
    runs: outcomes.length,
    rolledBack,
    v2RequestsMedian: nearestRank(requests, 0.5),
    v2RequestsP90: nearestRank(requests, 0.9),
    minutesMedian: nearestRank(minutes, 0.5),
    excessFailuresMedian: nearestRank(
      outcomes.map((outcome) => outcome.excessFailures),
      0.5,
    ),
    falseRollbacks: harmful ? null : rolledBack,
  };
}
