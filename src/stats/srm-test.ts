import chisquare from '@stdlib/stats-base-dists-chisquare';
import { check } from './check.js';

/** Pearson's χ² statistic for the observed split against the configured one, and whether it mismatches. */
export interface SrmResult {
  chiSquare: number;
  /** Arms minus one. */
  df: number;
  pValue: number;
  /** True when pValue < 0.001: the split is broken and the experiment's results should not be trusted. */
  mismatch: boolean;
  method: string;
}

const MISMATCH_THRESHOLD = 0.001;

/**
 * Sample-ratio-mismatch check: Pearson χ² goodness of fit of the units observed per arm against the
 * configured weights (normalised to sum to 1), flagged at p < 0.001.
 *
 * @example
 * srmTest([5000, 5200], [50, 50]); // { chiSquare ≈ 3.92, df: 1, pValue ≈ 0.0477, mismatch: false, ... }
 */
export function srmTest(observedCounts: readonly number[], expectedWeights: readonly number[]): SrmResult {
  if (!Array.isArray(observedCounts)) check.fail('observedCounts', 'an array of counts', observedCounts);
  if (!Array.isArray(expectedWeights)) check.fail('expectedWeights', 'an array of weights', expectedWeights);
  if (observedCounts.length < 2) check.fail('observedCounts', 'at least two arms', observedCounts.length);
  if (expectedWeights.length !== observedCounts.length) {
    check.fail(
      'expectedWeights',
      `the same length as observedCounts (${observedCounts.length})`,
      expectedWeights.length,
    );
  }
  observedCounts.forEach((count, index) => {
    check.integerAtLeast(`observedCounts[${index}]`, count, 0);
  });
  // A zero weight would make any unit in that arm infinitely unlikely; such an arm is not part of the split.
  expectedWeights.forEach((weight, index) => {
    check.positive(`expectedWeights[${index}]`, weight);
  });

  const total = observedCounts.reduce((sum, count) => sum + count, 0);
  const weightSum = expectedWeights.reduce((sum, weight) => sum + weight, 0);
  const df = observedCounts.length - 1;
  const method = 'Pearson chi-square goodness-of-fit test (weights normalised), mismatch at p < 0.001';
  if (total === 0) return { chiSquare: 0, df, pValue: 1, mismatch: false, method };

  let chiSquare = 0;
  observedCounts.forEach((count, index) => {
    const expected = (total * expectedWeights[index]!) / weightSum;
    chiSquare += (count - expected) ** 2 / expected;
  });
  const pValue = Math.max(0, 1 - chisquare.cdf(chiSquare, df));
  return { chiSquare, df, pValue, mismatch: pValue < MISMATCH_THRESHOLD, method };
}
