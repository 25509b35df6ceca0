import type { MetricDirection } from '../core/experiment-config.js';
import type { ArmComparison, OverallVerdict } from './experiment-analysis.js';

/**
 * The experiment's verdict from its primary metric's comparisons: a win when any treatment wins (the winner
 * being the winning arm with the best difference in the metric's direction); else 'insufficient data' when
 * any comparison lacks data; else a loss when every treatment loses; else 'no significant difference'.
 */
export function overallVerdict(
  comparisons: readonly ArmComparison[],
  direction: MetricDirection,
): OverallVerdict {
  const wins = comparisons.filter((comparison) => comparison.verdict === 'significant win');
  if (wins.length > 0) {
    const sign = direction === 'higher' ? 1 : -1;
    const best = wins.reduce((leader, comparison) =>
      sign * (comparison.diff ?? 0) > sign * (leader.diff ?? 0) ? comparison : leader,
    );
    return { verdict: 'significant win', winner: best.variant };
  }
  if (
    comparisons.length === 0 ||
    comparisons.some((comparison) => comparison.verdict === 'insufficient data')
  ) {
    return { verdict: 'insufficient data', winner: null };
  }
  if (comparisons.every((comparison) => comparison.verdict === 'significant loss')) {
    return { verdict: 'significant loss', winner: null };
  }
  return { verdict: 'no significant difference', winner: null };
}
