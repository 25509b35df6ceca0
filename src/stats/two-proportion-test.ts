import normal from '@stdlib/stats-base-dists-normal';
import { check } from './check.js';
import { type Alternative, sided } from './sided.js';

/** Conversions of control (A) and treatment (B), with the test's settings. */
export interface TwoProportionInput {
  successesA: number;
  totalA: number;
  successesB: number;
  totalB: number;
  /** Significance level, in (0, 1); the intervals have coverage 1 - alpha. Default 0.05. */
  alpha?: number;
  /** B versus A. Default 'two-sided'. */
  alternative?: Alternative;
}

/** Rates, absolute and relative lift of B over A with their intervals, and the z-test. */
export interface TwoProportionResult {
  pA: number;
  pB: number;
  /** pB - pA. */
  diff: number;
  diffCI: [number, number];
  /** pB / pA - 1; null when pA is 0 (no baseline to be relative to). */
  relativeLift: number | null;
  relativeLiftCI: [number, number] | null;
  z: number;
  pValue: number;
  method: string;
}

const standardNormalCdf = (x: number): number => normal.cdf(x, 0, 1);

/**
 * Two-proportion z-test of B against A: pooled standard error for the test statistic, unpooled (Wald)
 * standard error for the interval of pB - pA, and the delta method for the interval of pB / pA - 1.
 *
 * @example
 * const result = twoProportionTest({ successesA: 120, totalA: 1000, successesB: 150, totalB: 1000 });
 * // result.diff ≈ 0.03, result.pValue ≈ 0.0496, result.diffCI ≈ [0.00008, 0.0599]
 */
export function twoProportionTest(input: TwoProportionInput): TwoProportionResult {
  const { successesA, totalA, successesB, totalB } = input;
  check.counts('successesA', successesA, 'totalA', totalA);
  check.counts('successesB', successesB, 'totalB', totalB);
  const alpha = check.openUnit('alpha', input.alpha ?? 0.05);
  const alternative = check.alternative('alternative', input.alternative ?? 'two-sided');

  const pA = successesA / totalA;
  const pB = successesB / totalB;
  const diff = pB - pA;

  // Under H0 the two rates are equal, so the test uses the pooled rate for its standard error.
  const pooled = (successesA + successesB) / (totalA + totalB);
  const pooledSE = Math.sqrt(pooled * (1 - pooled) * (1 / totalA + 1 / totalB));
  // Both arms all-zero or all-one: no variation, no evidence of a difference (and diff is 0).
  const z = pooledSE > 0 ? diff / pooledSE : 0;
  const pValue = pooledSE > 0 ? sided.pValue(z, alternative, standardNormalCdf) : 1;

  const critical = normal.quantile(sided.criticalLevel(alpha, alternative), 0, 1);
  const varianceA = (pA * (1 - pA)) / totalA;
  const varianceB = (pB * (1 - pB)) / totalB;
  const diffCI = sided.interval(diff, critical * Math.sqrt(varianceA + varianceB), alternative);

  let relativeLift: number | null = null;
  let relativeLiftCI: [number, number] | null = null;
  if (pA > 0) {
    relativeLift = pB / pA - 1;
    // Delta method: Var(pB/pA) ≈ Var(pB)/pA² + pB²·Var(pA)/pA⁴ (the arms are independent).
    const ratioVariance = varianceB / pA ** 2 + (pB ** 2 * varianceA) / pA ** 4;
    relativeLiftCI = sided.interval(relativeLift, critical * Math.sqrt(ratioVariance), alternative);
  }

  return {
    pA,
    pB,
    diff,
    diffCI,
    relativeLift,
    relativeLiftCI,
    z,
    pValue,
    method: `two-proportion z-test (pooled SE), Wald CI (unpooled SE), delta-method relative lift; ${alternative}`,
  };
}
