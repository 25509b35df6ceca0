import type { ExperimentAnalysis } from './api-types.js';
import { formatPercent } from './formatters.js';

/** What speaks against promoting one variant, worst first, and the variant the dialog may pre-select. */
export interface PromoteReview {
  /** One line per concern: guardrail and secondary losses first, then the primary metric's state. */
  concerns: string[];
  /** A variant safe to pre-select (a clear, well-powered winner with no loss), or null to make the user choose. */
  preselect: string | null;
}

/**
 * Reviews promoting `variant`: every metric on which it significantly loses to control (guardrails, then
 * secondary metrics, then the primary), and on the primary metric a result that is not a win or a power below
 * the planned one. The dialog lists these and asks for a reason when there is any.
 *
 * @example
 * reviewPromotion(analysis, 'v2', 0.8).concerns; // ['p95-latency (guardrail): significant loss, +1,043 %', ...]
 */
export function reviewPromotion(
  analysis: ExperimentAnalysis | null,
  variant: string,
  plannedPower: number,
): PromoteReview {
  const winner = analysis?.verdict.winner ?? null;
  const preselect =
    winner !== null && promotionConcerns(analysis, winner, plannedPower).length === 0 ? winner : null;
  return { concerns: promotionConcerns(analysis, variant, plannedPower), preselect };
}

function promotionConcerns(
  analysis: ExperimentAnalysis | null,
  variant: string,
  plannedPower: number,
): string[] {
  if (analysis === null) return ['no results yet: nothing is known about any arm'];
  if (variant === analysis.control) return [];
  const order = { guardrail: 0, secondary: 1, primary: 2 } as const;
  const losses = analysis.metrics
    .flatMap((metric) => {
      const comparison = metric.comparisons.find((entry) => entry.variant === variant);
      if (comparison?.verdict !== 'significant loss') return [];
      const lift = comparison.relativeLift === null ? '' : `, ${signed(comparison.relativeLift)}`;
      return [
        { rank: order[metric.role], text: `${metric.metric} (${metric.role}): significant loss${lift}` },
      ];
    })
    .sort((a, b) => a.rank - b.rank)
    .map((loss) => loss.text);
  const concerns = [...losses];
  const primary = analysis.metrics.find((metric) => metric.role === 'primary');
  const comparison = primary?.comparisons.find((entry) => entry.variant === variant);
  if (analysis.bandit) {
    if (analysis.bandit.decision.winner !== variant) {
      const arm = analysis.bandit.arms.find((entry) => entry.variant === variant);
      concerns.push(
        `the bandit's stopping rule has not named ${variant} best (probability best ${formatPercent(arm?.probabilityBest, 0)})`,
      );
    }
  } else if (primary && comparison && comparison.verdict !== 'significant loss') {
    if (comparison.verdict !== 'significant win') {
      concerns.push(`${primary.metric} (primary): ${comparison.verdict}`);
    }
    const power = comparison.power?.power;
    if (power !== null && power !== undefined && power < plannedPower) {
      concerns.push(
        `${primary.metric} (primary): power ${formatPercent(power, 0)}, below the planned ${formatPercent(plannedPower, 0)}`,
      );
    }
  }
  return concerns;
}

function signed(share: number): string {
  return `${share > 0 ? '+' : ''}${formatPercent(share, 0)}`;
}
