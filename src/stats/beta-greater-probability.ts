import betaln from '@stdlib/math-base-special-betaln';

/** Shape parameters of a Beta distribution. */
export interface BetaShape {
  alpha: number;
  beta: number;
}

/** Terms recomputed from betaln after this many recurrence steps, so that rounding cannot drift. */
const ANCHOR_EVERY = 1024;

/**
 * P(Y > X) for independent X ~ Beta(first), Y ~ Beta(second) by Evan Miller's closed-form sum, or
 * undefined when none of the four shape parameters is a whole number of at most `maxTerms`.
 *
 * The sum runs over one whole-number shape parameter; by symmetry (1 - X is Beta(beta, alpha), and
 * P(Y > X) = 1 - P(X > Y)) any of the four can serve, and the one with the fewest terms is used.
 * Every term is positive, so the sum has no cancellation; it is accumulated in log space.
 */
export function betaGreaterProbability(
  first: BetaShape,
  second: BetaShape,
  maxTerms: number,
): number | undefined {
  const { alpha: a1, beta: b1 } = first;
  const { alpha: a2, beta: b2 } = second;
  const candidates = [
    { terms: a2, value: () => millerSum(a1, b1, a2, b2) },
    { terms: b1, value: () => millerSum(b2, a2, b1, a1) },
    { terms: a1, value: () => 1 - millerSum(a2, b2, a1, b1) },
    { terms: b2, value: () => 1 - millerSum(b1, a1, b2, a2) },
  ].filter((candidate) => Number.isInteger(candidate.terms) && candidate.terms <= maxTerms);
  if (candidates.length === 0) return undefined;
  // Stable sort: on equal term counts the direct sums (listed first) win over the complements.
  const best = candidates.sort((left, right) => left.terms - right.terms)[0]!;
  return Math.min(1, Math.max(0, best.value()));
}

/**
 * Evan Miller's sum for P(Y > X), X ~ Beta(a1, b1), Y ~ Beta(a2, b2), a2 a whole number:
 * Σ_{i=0}^{a2-1} exp(lnB(a1 + i, b1 + b2) - ln(b2 + i) - lnB(1 + i, b2) - lnB(a1, b1)).
 * Consecutive terms differ by the factor (a1 + i)(b2 + i) / ((a1 + b1 + b2 + i)(1 + i)).
 */
function millerSum(a1: number, b1: number, a2: number, b2: number): number {
  const logNormaliser = betaln(a1, b1);
  const logTerm = (index: number): number =>
    betaln(a1 + index, b1 + b2) - Math.log(b2 + index) - betaln(1 + index, b2) - logNormaliser;
  // Running log-sum-exp: `scaled` is Σ exp(term - largest), so no term over- or underflows on its own.
  let largest = Number.NEGATIVE_INFINITY;
  let scaled = 0;
  let current = 0;
  for (let index = 0; index < a2; index += 1) {
    current =
      index % ANCHOR_EVERY === 0
        ? logTerm(index)
        : current + Math.log(((a1 + index - 1) / (a1 + b1 + b2 + index - 1)) * ((b2 + index - 1) / index));
    if (current > largest) {
      scaled = scaled * Math.exp(largest - current) + 1;
      largest = current;
    } else {
      scaled += Math.exp(current - largest);
    }
  }
  return scaled === 0 ? 0 : Math.exp(largest + Math.log(scaled));
}
