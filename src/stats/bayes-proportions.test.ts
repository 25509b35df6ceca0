import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bayesProportions } from './bayes-proportions.js';
import { expectClose, thrownBy } from './expect-close.test-helper.js';

// References, posteriors A ~ Beta(a1, b1) = Beta(priorAlpha + sA, priorBeta + nA - sA), B ~ Beta(a2, b2):
//  [mpmath] mpmath 1.3 at 40 digits, mp.quad over [0, 1] split around both posterior bulks of
//     P(B > A) = ∫ fA(x)*(1 - betainc(a2, b2, 0, x, regularized=True)) dx
//     loss b   = ∫ fA(x)*(x*F(x; a2, b2) - a2/(a2+b2)*F(x; a2+1, b2)) dx   (= E[max(A - B, 0)])
//     loss a   = the same with A and B swapped                           (= E[max(B - A, 0)])
//  [scipy] the same three integrals with scipy.integrate.quad(stats.beta.pdf(x,a1,b1)*stats.beta.sf(x,a2,b2), ...)
//     over 40 panels of [min(beta.ppf(1e-14)), max(beta.isf(1e-14))], epsabs=1e-15, epsrel=1e-13.
interface Case {
  input: Parameters<typeof bayesProportions>[0];
  chance: number;
  lossA: number;
  lossB: number;
  path: 'exact' | 'quadrature';
}
const cases: Record<string, Case> = {
  // [mpmath]
  'moderate counts, uniform prior': {
    input: { successesA: 120, totalA: 1000, successesB: 150, totalB: 1000 },
    chance: 0.9750678368121442,
    lossA: 0.030084297615590876,
    lossB: 0.00014417785511183274,
    path: 'exact',
  },
  // [mpmath]
  'Jeffreys prior': {
    input: { successesA: 120, totalA: 1000, successesB: 150, totalB: 1000, priorAlpha: 0.5, priorBeta: 0.5 },
    chance: 0.9752553472101759,
    lossA: 0.030112891663161983,
    lossB: 0.00014286169313201363,
    path: 'quadrature',
  },
  // [mpmath]
  'zero successes in both arms': {
    input: { successesA: 0, totalA: 20, successesB: 0, totalB: 25 },
    chance: 0.44680851063829785,
    lossA: 0.016203703703703703,
    lossB: 0.02462121212121212,
    path: 'exact',
  },
  // [mpmath] A's posterior is Beta(0.5, 30.5): unbounded density at 0
  'zero successes with a Jeffreys prior': {
    input: { successesA: 0, totalA: 30, successesB: 5, totalB: 30, priorAlpha: 0.5, priorBeta: 0.5 },
    chance: 0.9947317619955428,
    lossA: 0.16142715814302006,
    lossB: 0.00013683556237489473,
    path: 'quadrature',
  },
  // [mpmath]
  'equal arms, small n': {
    input: { successesA: 3, totalA: 10, successesB: 3, totalB: 10 },
    chance: 0.5,
    lossA: 0.07403419033517297,
    lossB: 0.07403419033517297,
    path: 'exact',
  },
  // [mpmath]
  'informative prior, B clearly worse': {
    input: { successesA: 50, totalA: 60, successesB: 40, totalB: 70, priorAlpha: 2, priorBeta: 3 },
    chance: 0.0010110549185479998,
    lossA: 2.2572733955286264e-5,
    lossB: 0.24002257273395528,
    path: 'exact',
  },
  // [scipy]; mpmath's 30-digit Evan Miller sum gives P = 0.9873648064793671
  'large counts': {
    input: { successesA: 1500, totalA: 20_000, successesB: 1620, totalB: 20_000 },
    chance: 0.9873648064793572,
    lossA: 0.006011184665263524,
    lossB: 1.1784605269740594e-5,
    path: 'exact',
  },
  // [scipy]
  'sums of 30 000 terms': {
    input: { successesA: 30_000, totalA: 100_000, successesB: 30_300, totalB: 100_000 },
    chance: 0.9280968264060228,
    lossA: 0.003065526753630864,
    lossB: 6.55867524306002e-5,
    path: 'exact',
  },
  // [scipy] every shape parameter is past 50 000 terms
  'a million units per arm': {
    input: { successesA: 150_000, totalA: 1_000_000, successesB: 151_000, totalB: 1_000_000 },
    chance: 0.9760121060236656,
    lossA: 0.0010045563280900826,
    lossB: 4.5583280859755196e-6,
    path: 'quadrature',
  },
};

describe('bayesProportions', () => {
  for (const [name, reference] of Object.entries(cases)) {
    it(`matches the reference: ${name}`, () => {
      const result = bayesProportions(reference.input);
      expectClose(result.chanceToBeatControl, reference.chance);
      expectClose(result.expectedLoss.a, reference.lossA);
      expectClose(result.expectedLoss.b, reference.lossB);
      expect(result.method).toContain(reference.path === 'exact' ? 'exact sum' : 'quadrature');
    });
  }

  it('rejects bad input naming the field', () => {
    const base = { successesA: 1, totalA: 10, successesB: 2, totalB: 10 };
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ successesA: 11 }, /^successesA /],
      [{ totalB: -1 }, /^totalB /],
      [{ priorAlpha: 0 }, /^priorAlpha /],
      [{ priorBeta: Number.POSITIVE_INFINITY }, /^priorBeta /],
    ];
    for (const [override, pattern] of bad) {
      const error = thrownBy(() => bayesProportions({ ...base, ...override } as never));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(pattern);
    }
  });

  it('is antisymmetric in the arms and satisfies loss(a) - loss(b) = mean(B) - mean(A)', () => {
    const arm = fc
      .integer({ min: 1, max: 400 })
      .chain((total) => fc.tuple(fc.integer({ min: 0, max: total }), fc.constant(total)));
    fc.assert(
      fc.property(arm, arm, ([successesA, totalA], [successesB, totalB]) => {
        const forward = bayesProportions({ successesA, totalA, successesB, totalB });
        const backward = bayesProportions({
          successesA: successesB,
          totalA: totalB,
          successesB: successesA,
          totalB: totalA,
        });
        expect(forward.chanceToBeatControl).toBeGreaterThanOrEqual(0);
        expect(forward.chanceToBeatControl).toBeLessThanOrEqual(1);
        expect(forward.chanceToBeatControl + backward.chanceToBeatControl).toBeCloseTo(1, 10);
        expect(forward.expectedLoss.a).toBeCloseTo(backward.expectedLoss.b, 12);
        const meanA = (1 + successesA) / (2 + totalA);
        const meanB = (1 + successesB) / (2 + totalB);
        expect(forward.expectedLoss.a - forward.expectedLoss.b).toBeCloseTo(meanB - meanA, 12);
      }),
      { numRuns: 60 },
    );
  });
});
