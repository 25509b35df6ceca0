import beta from '@stdlib/stats-base-dists-beta';
import { type BetaShape, betaGreaterProbability } from './beta-greater-probability.js';
import { check } from './check.js';
import { gaussKronrod } from './gauss-kronrod.js';

/** Conversions of control (A) and treatment (B) and the Beta prior both arms share. */
export interface BayesProportionsInput {
  successesA: number;
  totalA: number;
  successesB: number;
  totalB: number;
  /** Beta prior alpha (> 0). Default 1 (uniform prior). */
  priorAlpha?: number;
  /** Beta prior beta (> 0). Default 1. */
  priorBeta?: number;
}

/** Posterior comparison of B with A. */
export interface BayesProportionsResult {
  /** P(pB > pA) under the posteriors. */
  chanceToBeatControl: number;
  /** Expected loss of shipping each arm: a = E[max(pB - pA, 0)], b = E[max(pA - pB, 0)]. */
  expectedLoss: { a: number; b: number };
  method: string;
}

/** Above this many terms the exact sums give way to quadrature, which is then cheaper at the same precision. */
const MAX_SUM_TERMS = 50_000;
const QUADRATURE_TOLERANCE = 1e-11;

/**
 * Bayesian A/B comparison of two rates with Beta(prior + successes, prior + failures) posteriors: the chance
 * that B beats A and the expected loss of shipping either arm, both deterministic. When a posterior shape
 * parameter is a whole number (e.g. the default uniform prior) they come from Evan Miller's exact sum
 * (expected loss through the size-biased identity E[X·1{X>Y}] = E[X]·P(X⁺ > Y), X⁺ ~ Beta(alpha + 1, beta));
 * otherwise (fractional priors, or sums past 50 000 terms) from adaptive Gauss–Kronrod quadrature over the
 * library's Beta quantile and CDF.
 *
 * @example
 * const result = bayesProportions({ successesA: 120, totalA: 1000, successesB: 150, totalB: 1000 });
 * // result.chanceToBeatControl ≈ 0.975, result.expectedLoss.b ≈ 0.00014
 */
export function bayesProportions(input: BayesProportionsInput): BayesProportionsResult {
  const { successesA, totalA, successesB, totalB } = input;
  check.counts('successesA', successesA, 'totalA', totalA);
  check.counts('successesB', successesB, 'totalB', totalB);
  const priorAlpha = check.positive('priorAlpha', input.priorAlpha ?? 1);
  const priorBeta = check.positive('priorBeta', input.priorBeta ?? 1);

  const a: BetaShape = { alpha: priorAlpha + successesA, beta: priorBeta + totalA - successesA };
  const b: BetaShape = { alpha: priorAlpha + successesB, beta: priorBeta + totalB - successesB };
  const exact = exactComparison(a, b);
  const prior = `Beta(${priorAlpha}, ${priorBeta}) prior`;
  if (exact) return { ...exact, method: `Beta-Binomial posteriors, ${prior}; exact sum (Evan Miller)` };
  return { ...quadratureComparison(a, b), method: `Beta-Binomial posteriors, ${prior}; adaptive quadrature` };
}

type Comparison = Omit<BayesProportionsResult, 'method'>;

function exactComparison(a: BetaShape, b: BetaShape): Comparison | undefined {
  const bBeatsA = betaGreaterProbability(a, b, MAX_SUM_TERMS);
  // E[max(X - Y, 0)] = E[X·1{X>Y}] - E[Y·1{X>Y}] = mean(X)·P(X⁺ > Y) - mean(Y)·P(X > Y⁺).
  const aPlus = { alpha: a.alpha + 1, beta: a.beta };
  const bPlus = { alpha: b.alpha + 1, beta: b.beta };
  const aPlusBeatsB = betaGreaterProbability(b, aPlus, MAX_SUM_TERMS);
  const aBeatsBPlus = betaGreaterProbability(bPlus, a, MAX_SUM_TERMS);
  const bPlusBeatsA = betaGreaterProbability(a, bPlus, MAX_SUM_TERMS);
  const bBeatsAPlus = betaGreaterProbability(aPlus, b, MAX_SUM_TERMS);
  if (
    bBeatsA === undefined ||
    aPlusBeatsB === undefined ||
    aBeatsBPlus === undefined ||
    bPlusBeatsA === undefined ||
    bBeatsAPlus === undefined
  ) {
    return undefined;
  }
  const meanA = a.alpha / (a.alpha + a.beta);
  const meanB = b.alpha / (b.alpha + b.beta);
  return {
    chanceToBeatControl: bBeatsA,
    expectedLoss: {
      a: Math.max(0, meanB * bPlusBeatsA - meanA * bBeatsAPlus),
      b: Math.max(0, meanA * aPlusBeatsB - meanB * aBeatsBPlus),
    },
  };
}

/**
 * The same three quantities as integrals over u = F_X(x) in (0, 1): P(Y > X) = ∫ 1 - F_Y(Q_X(u)) du and
 * E[max(X - Y, 0)] = ∫ g(Q_X(u)) du with g(x) = x·F_Y(x) - mean(Y)·F_Y⁺(x). The integrands are bounded and
 * monotone in u however concentrated the posteriors are.
 */
function quadratureComparison(a: BetaShape, b: BetaShape): Comparison {
  return {
    chanceToBeatControl: Math.min(
      1,
      Math.max(
        0,
        overQuantiles(a, (x) => 1 - beta.cdf(x, b.alpha, b.beta)),
      ),
    ),
    expectedLoss: { a: expectedShortfall(b, a), b: expectedShortfall(a, b) },
  };
}

/** E[max(X - Y, 0)] for X ~ Beta(x), Y ~ Beta(y). */
function expectedShortfall(x: BetaShape, y: BetaShape): number {
  const meanY = y.alpha / (y.alpha + y.beta);
  return Math.max(
    0,
    overQuantiles(
      x,
      (value) => value * beta.cdf(value, y.alpha, y.beta) - meanY * beta.cdf(value, y.alpha + 1, y.beta),
    ),
  );
}

/**
 * E[h(X)] = ∫ h(Q_X(u)) du. The integrand behaves like a fractional power of u or 1 - u at the ends, so
 * u = s³(10 - 15s + 6s²) (flat to second order at both ends, du = 30s²(1 - s)² ds) smooths it first.
 */
function overQuantiles(shape: BetaShape, h: (x: number) => number): number {
  return gaussKronrod(
    (s) => {
      const u = s ** 3 * (10 - 15 * s + 6 * s ** 2);
      return h(beta.quantile(u, shape.alpha, shape.beta)) * 30 * s ** 2 * (1 - s) ** 2;
    },
    0,
    1,
    QUADRATURE_TOLERANCE,
  );
}
