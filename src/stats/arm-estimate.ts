import normal from '@stdlib/stats-base-dists-normal';
import t from '@stdlib/stats-base-dists-t';
import type { MetricKind } from './experiment-analysis.js';
import type { MetricSums } from './experiment-data.js';
import { jsonSafe } from './json-safe.js';

/** One arm's estimate of one metric, with what the comparisons need. */
export interface ArmEstimate {
  /** Units with data (runs, for a quantile). */
  n: number;
  /** Rate, mean, ratio or quantile; null without data. */
  value: number | null;
  /** Variance per unit, so that the value's squared standard error is perUnitVariance / n; null when unknown. */
  perUnitVariance: number | null;
  /** Units whose numerator is 1, for proportions (0 otherwise). */
  successes: number;
  /** Interval for the value at 1 - alpha. */
  interval: [number, number] | null;
}

/**
 * Estimates one arm's metric from its sums, with n = units with data:
 * - proportion: rate = numerator / n, per-unit variance p(1 - p), Wilson score interval;
 * - mean: mean = numerator / n, sample variance (numeratorSquares - numerator²/n) / (n - 1), Student-t interval;
 * - ratio: R = numerator / denominator, per-unit variance by the delta method
 *   (Var(N) - 2R·Cov(N, D) + R²·Var(D)) / meanD² from the sample (co)variances of the per-unit sums, so
 *   Var(R) = that / n; normal interval.
 */
export function armEstimate(
  kind: Exclude<MetricKind, 'quantile'>,
  sums: MetricSums,
  alpha: number,
): ArmEstimate {
  // Extreme sums (near 1e308, or a subnormal denominator) can overflow; such parts become unknown.
  const estimate = estimateFromSums(kind, sums, alpha);
  return {
    ...estimate,
    value: jsonSafe.number(estimate.value),
    perUnitVariance: jsonSafe.number(estimate.perUnitVariance),
    interval: jsonSafe.interval(estimate.interval),
  };
}

function estimateFromSums(
  kind: Exclude<MetricKind, 'quantile'>,
  sums: MetricSums,
  alpha: number,
): ArmEstimate {
  const n = sums.unitsWithData;
  const critical = normal.quantile(1 - alpha / 2, 0, 1);
  if (kind === 'proportion') {
    const successes = sums.numerator;
    if (n === 0) return { n, value: null, perUnitVariance: null, successes, interval: null };
    const rate = successes / n;
    return {
      n,
      value: rate,
      perUnitVariance: rate * (1 - rate),
      successes,
      interval: wilson(rate, n, critical),
    };
  }
  if (n === 0) return { n, value: null, perUnitVariance: null, successes: 0, interval: null };

  if (kind === 'mean') {
    const mean = sums.numerator / n;
    if (n < 2) return { n, value: mean, perUnitVariance: null, successes: 0, interval: null };
    // Rounding can push a zero variance slightly below 0.
    const variance = Math.max(0, (sums.numeratorSquares - sums.numerator ** 2 / n) / (n - 1));
    const halfwidth = t.quantile(1 - alpha / 2, n - 1) * Math.sqrt(variance / n);
    return {
      n,
      value: mean,
      perUnitVariance: variance,
      successes: 0,
      interval: [mean - halfwidth, mean + halfwidth],
    };
  }

  if (sums.denominator === 0) return { n, value: null, perUnitVariance: null, successes: 0, interval: null };
  const ratio = sums.numerator / sums.denominator;
  if (n < 2) return { n, value: ratio, perUnitVariance: null, successes: 0, interval: null };
  const varianceN = (sums.numeratorSquares - sums.numerator ** 2 / n) / (n - 1);
  const varianceD = (sums.denominatorSquares - sums.denominator ** 2 / n) / (n - 1);
  const covariance = (sums.crossProducts - (sums.numerator * sums.denominator) / n) / (n - 1);
  const meanD = sums.denominator / n;
  const variance = Math.max(0, (varianceN - 2 * ratio * covariance + ratio ** 2 * varianceD) / meanD ** 2);
  const halfwidth = critical * Math.sqrt(variance / n);
  return {
    n,
    value: ratio,
    perUnitVariance: variance,
    successes: 0,
    interval: [ratio - halfwidth, ratio + halfwidth],
  };
}

/** Wilson score interval for a rate: always inside [0, 1], and informative at rates of 0 and 1. */
function wilson(rate: number, n: number, critical: number): [number, number] {
  const squared = critical ** 2;
  const scale = 1 + squared / n;
  const center = (rate + squared / (2 * n)) / scale;
  const halfwidth = (critical / scale) * Math.sqrt((rate * (1 - rate)) / n + squared / (4 * n ** 2));
  // At a rate of exactly 0 or 1 the bound is exactly 0 or 1; the formula leaves rounding noise there.
  return [rate === 0 ? 0 : Math.max(0, center - halfwidth), rate === 1 ? 1 : Math.min(1, center + halfwidth)];
}
