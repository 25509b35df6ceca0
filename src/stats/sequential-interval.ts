import { check } from './check.js';
import type { Alternative } from './sided.js';

/** Summary statistics of a mean metric per arm: mean, per-unit variance and units. */
export interface SequentialMeansInput {
  meanA: number;
  /** Per-unit variance of A (sample variance). */
  varA: number;
  nA: number;
  meanB: number;
  varB: number;
  nB: number;
}

/** Conversions per arm; each arm's per-unit variance is p(1 - p). */
export interface SequentialProportionsInput {
  successesA: number;
  totalA: number;
  successesB: number;
  totalB: number;
}

/** Settings shared by both input shapes. */
export interface SequentialOptions {
  /** Significance level, in (0, 1); below 0.5 for one-sided. Default 0.05. */
  alpha?: number;
  /** B versus A. Default 'two-sided'. */
  alternative?: Alternative;
  /** GrowthBook's N*: the total sample size at which the sequence is tightest. Default 5000. */
  tuningParameter?: number;
}

/** Input of `sequentialInterval`: either shape, plus its settings. */
export type SequentialInput = (SequentialMeansInput | SequentialProportionsInput) & SequentialOptions;

/** The difference B - A with its always-valid interval and p-value. */
export interface SequentialResult {
  /** meanB - meanA (or pB - pA). */
  diff: number;
  /** Confidence sequence at this look; one-sided alternatives leave the other side infinite. */
  interval: [number, number];
  halfwidth: number;
  /** Smallest alpha at which the sequence (rho held fixed) excludes 0; valid under continuous monitoring. */
  pValue: number;
  /** The mixing parameter derived from alpha and the tuning parameter. */
  rho: number;
  method: string;
}

/**
 * Always-valid confidence sequence for a difference of means or proportions (Waudby-Smith et al. 2023
 * asymptotic CS, parameterised as GrowthBook's gbstats ships it), safe to recompute at every look.
 *
 * With n = nA + nB and the per-observation variance s² = n·(varA/nA + varB/nB):
 * two-sided: rho = sqrt((-2 ln a + ln(-2 ln a + 1)) / N*),
 *   halfwidth = sqrt(s² · 2(n·rho² + 1) / (n·rho)² · ln(sqrt(n·rho² + 1) / a));
 * one-sided: rho as above with a replaced by 2a,
 *   halfwidth = sqrt(s² · 2(n·rho² + 1) / (n·rho)² · ln(1 + sqrt(n·rho² + 1) / (2a))).
 * The p-value inverts the halfwidth in alpha with rho fixed (closed form: GrowthBook's e-value
 * eq. 155 two-sided; the same inversion of the one-sided halfwidth, where gbstats bisects).
 *
 * @example
 * sequentialInterval({ successesA: 500, totalA: 5000, successesB: 600, totalB: 5000 });
 * // { diff ≈ 0.02, interval ≈ [0.0009, 0.0391], pValue ≈ 0.0335, ... }
 * sequentialInterval({ meanA: 2.1, varA: 1.4, nA: 800, meanB: 2.3, varB: 1.5, nB: 820, alternative: 'greater' });
 */
export function sequentialInterval(input: SequentialInput): SequentialResult {
  const { diff, squaredError, n } = summarise(input);
  const alpha = check.openUnit('alpha', input.alpha ?? 0.05);
  const alternative = check.alternative('alternative', input.alternative ?? 'two-sided');
  const tuningParameter = check.positive('tuningParameter', input.tuningParameter ?? 5000);
  const twoSided = alternative === 'two-sided';
  // The one-sided CS spends alpha on one side, so its rho is tuned for 2·alpha, which must stay below 1.
  if (!twoSided && alpha >= 0.5) check.fail('alpha', 'below 0.5 for a one-sided sequential test', alpha);

  const logAlpha = Math.log(twoSided ? alpha : 2 * alpha);
  const rho = Math.sqrt((-2 * logAlpha + Math.log(-2 * logAlpha + 1)) / tuningParameter);
  const spread = n * rho ** 2 + 1;
  const perObservationVariance = squaredError * n;
  const scale = (perObservationVariance * 2 * spread) / (n * rho) ** 2;
  const halfwidth = Math.sqrt(
    scale * (twoSided ? Math.log(Math.sqrt(spread) / alpha) : Math.log1p(Math.sqrt(spread) / (2 * alpha))),
  );
  const interval: [number, number] =
    alternative === 'greater'
      ? [diff - halfwidth, Number.POSITIVE_INFINITY]
      : alternative === 'less'
        ? [Number.NEGATIVE_INFINITY, diff + halfwidth]
        : [diff - halfwidth, diff + halfwidth];

  return {
    diff,
    interval,
    halfwidth,
    pValue: alwaysValidPValue(diff, squaredError, spread, rho, n, alternative),
    rho,
    method: `asymptotic confidence sequence (Waudby-Smith et al. 2023, as GrowthBook gbstats), N* = ${tuningParameter}; ${alternative}`,
  };
}

/**
 * Solves halfwidth(a) = |diff| for a. Both halfwidths are sqrt(scale · L(a)); excluding 0 needs
 * L(a) < diff²/scale = k, where k = rho²·n·diff² / (2·SE²·(n·rho² + 1)). Two-sided L = ln(sqrt(spread)/a)
 * gives a = sqrt(spread)·e^-k (GrowthBook's 1/e-value); one-sided L = ln(1 + sqrt(spread)/(2a)) gives
 * a = sqrt(spread) / (2·(e^k - 1)). Computed in logs so that large k underflows to 0 instead of NaN.
 */
function alwaysValidPValue(
  diff: number,
  squaredError: number,
  spread: number,
  rho: number,
  n: number,
  alternative: Alternative,
): number {
  if (diff === 0) return 1;
  // Evidence on the side the one-sided alternative does not test never excludes 0 from the sequence.
  if ((alternative === 'greater' && diff < 0) || (alternative === 'less' && diff > 0)) return 1;
  if (squaredError === 0) return 0;
  const exponent = (rho ** 2 * n * diff ** 2) / (2 * squaredError * spread);
  const logRoot = 0.5 * Math.log(spread);
  if (alternative === 'two-sided') return Math.min(1, Math.exp(logRoot - exponent));
  // ln(e^k - 1) = k + ln(1 - e^-k), stable for large k; expm1 keeps small k precise.
  const logDenominator =
    exponent > 1 ? exponent + Math.log1p(-Math.exp(-exponent)) : Math.log(Math.expm1(exponent));
  return Math.min(1, Math.exp(logRoot - Math.LN2 - logDenominator));
}

/** Validates either input shape and reduces it to the difference, its squared standard error and n. */
function summarise(input: SequentialInput): { diff: number; squaredError: number; n: number } {
  if ('successesA' in input) {
    check.counts('successesA', input.successesA, 'totalA', input.totalA);
    check.counts('successesB', input.successesB, 'totalB', input.totalB);
    const pA = input.successesA / input.totalA;
    const pB = input.successesB / input.totalB;
    return {
      diff: pB - pA,
      squaredError: (pA * (1 - pA)) / input.totalA + (pB * (1 - pB)) / input.totalB,
      n: input.totalA + input.totalB,
    };
  }
  const meanA = check.finite('meanA', input.meanA);
  const meanB = check.finite('meanB', input.meanB);
  const varA = check.nonNegative('varA', input.varA);
  const varB = check.nonNegative('varB', input.varB);
  const nA = check.integerAtLeast('nA', input.nA, 1);
  const nB = check.integerAtLeast('nB', input.nB, 1);
  return { diff: meanB - meanA, squaredError: varA / nA + varB / nB, n: nA + nB };
}
