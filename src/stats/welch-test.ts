import t from '@stdlib/stats-base-dists-t';
import { check } from './check.js';
import { type Alternative, sided } from './sided.js';

/** Summary statistics of control (A) and treatment (B): means, sample variances (n - 1) and sizes. */
export interface WelchInput {
  meanA: number;
  /** Sample variance of A (denominator nA - 1). */
  varA: number;
  nA: number;
  meanB: number;
  varB: number;
  nB: number;
  /** Significance level, in (0, 1). Default 0.05. */
  alpha?: number;
  /** B versus A. Default 'two-sided'. */
  alternative?: Alternative;
}

/** Absolute and relative difference of B over A with intervals, and Welch's t statistic. */
export interface WelchResult {
  /** meanB - meanA. */
  diff: number;
  diffCI: [number, number];
  /** meanB / meanA - 1; null when meanA is 0. */
  relativeLift: number | null;
  relativeLiftCI: [number, number] | null;
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  pValue: number;
  method: string;
}

/**
 * Welch's unequal-variance t-test of B against A from summary statistics, with Student-t intervals
 * for meanB - meanA and (delta method, same df) for meanB / meanA - 1.
 *
 * @example
 * const result = welchTest({ meanA: 10, varA: 4, nA: 50, meanB: 11, varB: 9, nB: 60 });
 * // result.diff === 1, result.df ≈ 103.3, result.pValue ≈ 0.0395
 */
export function welchTest(input: WelchInput): WelchResult {
  const meanA = check.finite('meanA', input.meanA);
  const meanB = check.finite('meanB', input.meanB);
  const varA = check.nonNegative('varA', input.varA);
  const varB = check.nonNegative('varB', input.varB);
  // A sample variance needs at least two observations.
  const nA = check.integerAtLeast('nA', input.nA, 2);
  const nB = check.integerAtLeast('nB', input.nB, 2);
  const alpha = check.openUnit('alpha', input.alpha ?? 0.05);
  const alternative = check.alternative('alternative', input.alternative ?? 'two-sided');

  const diff = meanB - meanA;
  const squaredErrorA = varA / nA;
  const squaredErrorB = varB / nB;
  const standardError = Math.sqrt(squaredErrorA + squaredErrorB);
  const method = `Welch's t-test (Welch–Satterthwaite df), t CI, delta-method relative lift; ${alternative}`;

  if (standardError === 0) {
    // Both samples are constant: the difference is known exactly and df has no limit (0/0).
    const exact: [number, number] = [diff, diff];
    const ratio = meanA === 0 ? null : meanB / meanA - 1;
    const statistic = diff === 0 ? 0 : Math.sign(diff) * Number.POSITIVE_INFINITY;
    return {
      diff,
      diffCI: exact,
      relativeLift: ratio,
      relativeLiftCI: ratio === null ? null : [ratio, ratio],
      t: statistic,
      df: nA + nB - 2,
      // An infinite statistic lands in one tail with certainty (cdf(-inf) = 0, cdf(inf) = 1).
      pValue: diff === 0 ? 1 : sided.pValue(statistic, alternative, (x) => t.cdf(x, 1)),
      method,
    };
  }

  const df =
    (squaredErrorA + squaredErrorB) ** 2 / (squaredErrorA ** 2 / (nA - 1) + squaredErrorB ** 2 / (nB - 1));
  const statistic = diff / standardError;
  const pValue = sided.pValue(statistic, alternative, (x) => t.cdf(x, df));
  const critical = t.quantile(sided.criticalLevel(alpha, alternative), df);
  const diffCI = sided.interval(diff, critical * standardError, alternative);

  let relativeLift: number | null = null;
  let relativeLiftCI: [number, number] | null = null;
  if (meanA !== 0) {
    relativeLift = meanB / meanA - 1;
    // Delta method for meanB/meanA, as GrowthBook's gbstats does, reusing the Welch df.
    const ratioVariance = squaredErrorB / meanA ** 2 + (meanB ** 2 * squaredErrorA) / meanA ** 4;
    relativeLiftCI = sided.interval(relativeLift, critical * Math.sqrt(ratioVariance), alternative);
  }

  return { diff, diffCI, relativeLift, relativeLiftCI, t: statistic, df, pValue, method };
}
