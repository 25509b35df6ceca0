import type { MetricKind } from './experiment-analysis.js';
import type { MetricSums } from './experiment-data.js';

/**
 * Chooses how a metric of per-unit sums is compared, from the sums of all its arms: `proportion` when every
 * unit's numerator and denominator are 0 or 1 (squares equal sums, whole successes, no more than the units
 * with data), `mean` when every unit's denominator is 0 or 1, otherwise `ratio` (delta method).
 */
export function metricKind(sumsByArm: readonly MetricSums[]): Exclude<MetricKind, 'quantile'> {
  if (sumsByArm.every(isBernoulli)) return 'proportion';
  if (sumsByArm.every((sums) => sums.denominatorSquares === sums.denominator)) return 'mean';
  return 'ratio';
}

function isBernoulli(sums: MetricSums): boolean {
  return (
    Number.isInteger(sums.numerator) &&
    sums.numeratorSquares === sums.numerator &&
    sums.denominatorSquares === sums.denominator &&
    sums.numerator <= sums.denominator &&
    sums.numerator <= sums.unitsWithData
  );
}
