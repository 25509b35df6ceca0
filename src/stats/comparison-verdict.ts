import type { MetricDirection } from '../core/experiment-config.js';
import type { ComparisonVerdict } from './experiment-analysis.js';

/** What the verdict on one treatment arm for one metric depends on. */
export interface VerdictInput {
  controlN: number;
  treatmentN: number;
  minSamplePerArm: number;
  /** The p-value the decision uses: adjusted for the primary metric, raw for the others. */
  pValue: number | null;
  diff: number | null;
  alpha: number;
  direction: MetricDirection;
}

/**
 * 'insufficient data' while either arm has fewer than minSamplePerArm units with data (or no p-value could
 * be computed); otherwise a significant win or loss when p < alpha, by the sign of the difference against
 * the metric's direction; otherwise 'no significant difference'.
 */
export function comparisonVerdict(input: VerdictInput): ComparisonVerdict {
  if (input.controlN < input.minSamplePerArm || input.treatmentN < input.minSamplePerArm)
    return 'insufficient data';
  if (input.pValue === null || input.diff === null) return 'insufficient data';
  if (!(input.pValue < input.alpha) || input.diff === 0) return 'no significant difference';
  const better = input.direction === 'higher' ? input.diff > 0 : input.diff < 0;
  return better ? 'significant win' : 'significant loss';
}
