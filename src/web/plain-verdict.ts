import type { ExperimentAnalysis } from './api-types.js';
import { formatNumber, formatPercent } from './formatters.js';

/**
 * The sentence that leads an experiment's results, in plain language and never stronger than the numbers
 * beside it: a bandit by its posteriors and stopping rule, a fixed test by its primary metric's verdict,
 * with the units per arm still needed when it is not conclusive.
 *
 * @example
 * plainVerdict(analysis); // 'v2 looks better (+48 %), but not yet conclusive: about 407 more units per arm.'
 */
export function plainVerdict(analysis: ExperimentAnalysis): string {
  if (analysis.bandit) {
    const { arms, decision } = analysis.bandit;
    const leader = arms
      .filter((arm) => !arm.failing)
      .reduce<(typeof arms)[number] | undefined>(
        (best, arm) => (best === undefined || arm.probabilityBest > best.probabilityBest ? arm : best),
        undefined,
      );
    if (decision.winner !== null) {
      return `${decision.winner} is the best arm (${formatPercent(leader?.probabilityBest, 0)} probability of being best), by the stopping rule.`;
    }
    if (leader === undefined || leader.mean === null) return 'No arm can be judged yet: too little data.';
    return (
      `${leader.variant} leads with ${formatPercent(leader.probabilityBest, 0)} probability of being best, ` +
      'not yet decided: a bandit stops at 95 % at two looks in a row, with every arm at its minimum units.'
    );
  }
  const primary = analysis.metrics.find((metric) => metric.role === 'primary');
  if (!primary || primary.comparisons.length === 0) return 'No comparison yet.';
  const sign = primary.direction === 'higher' ? 1 : -1;
  const score = (diff: number | null) => (diff === null ? Number.NEGATIVE_INFINITY : sign * diff);
  const best = primary.comparisons.reduce((leader, comparison) =>
    score(comparison.diff) > score(leader.diff) ? comparison : leader,
  );
  const lift =
    best.relativeLift === null
      ? ''
      : ` (${best.relativeLift > 0 ? '+' : ''}${formatPercent(best.relativeLift, 0)})`;
  const remaining = best.power?.remainingPerArm;
  const toGo =
    remaining !== null && remaining !== undefined && remaining > 0
      ? `about ${formatNumber(remaining, 0)} more units per arm`
      : 'more data';
  switch (best.verdict) {
    case 'significant win':
      return `${best.variant} is better than ${analysis.control}${lift}: the interval excludes no difference.`;
    case 'significant loss':
      return `${best.variant} is worse than ${analysis.control}${lift}: the interval excludes no difference.`;
    case 'insufficient data':
      return `Too early to tell: ${toGo} before any verdict.`;
    default: {
      if (best.diff === null || best.diff === 0)
        return `No difference seen yet; ${toGo} to detect the planned effect.`;
      const better = sign * best.diff > 0;
      return `${best.variant} looks ${better ? 'better' : 'worse'}${lift}, but not yet conclusive: ${toGo}.`;
    }
  }
}
