import { describe, expect, it } from 'vitest';
import { betaGreaterProbability } from './beta-greater-probability.js';
import { expectClose } from './expect-close.test-helper.js';

// References: mpmath 1.3 at 40 digits, P(Y > X) = mp.quad(fX(x)*(1 - betainc(a2, b2, 0, x, regularized=True)))
// over [0, 1] split at mean(X) + k*sd(X), k in (-10, -5, -2, 0, 2, 5, 10).
describe('betaGreaterProbability', () => {
  it('matches closed forms for small shapes', () => {
    // Two uniforms: 1/2. X ~ Beta(1, 1), Y ~ Beta(2, 1) with density 2y: ∫ 2y · y dy = 2/3.
    expectClose(betaGreaterProbability({ alpha: 1, beta: 1 }, { alpha: 1, beta: 1 }, 10)!, 0.5);
    expectClose(betaGreaterProbability({ alpha: 1, beta: 1 }, { alpha: 2, beta: 1 }, 10)!, 2 / 3);
  });

  it('matches the reference through each of the four forms of the sum', () => {
    // All whole: the direct sum over a2 = 151 terms.
    expectClose(
      betaGreaterProbability({ alpha: 121, beta: 881 }, { alpha: 151, beta: 851 }, 1000)!,
      0.9750678368121442,
      1e-12,
    );
    // Only b1 whole: the mirrored sum.
    expectClose(
      betaGreaterProbability({ alpha: 121.5, beta: 881 }, { alpha: 151.5, beta: 851.5 }, 1000)!,
      0.9746215737894516,
      1e-12,
    );
    // Only a1 whole: the complement.
    expectClose(
      betaGreaterProbability({ alpha: 121, beta: 881.5 }, { alpha: 151.5, beta: 851.5 }, 1000)!,
      0.9765818294788481,
      1e-12,
    );
    // Only b2 whole: the mirrored complement.
    expectClose(
      betaGreaterProbability({ alpha: 121.5, beta: 881.5 }, { alpha: 151.5, beta: 851 }, 1000)!,
      0.9751410754621009,
      1e-12,
    );
  });

  it('stays exact across many re-anchored recurrence steps', () => {
    // 5000 terms (several anchors of 1024): X ~ Beta(4001, 6001), Y ~ Beta(5000, 5000) is far above X;
    // the mirror image of the same question must give the same answer.
    const forward = betaGreaterProbability({ alpha: 4001, beta: 6001 }, { alpha: 5000, beta: 5000 }, 10_000)!;
    const mirrored = betaGreaterProbability(
      { alpha: 5000, beta: 5000 },
      { alpha: 6001, beta: 4001 },
      10_000,
    )!;
    expect(forward).toBeGreaterThan(1 - 1e-12);
    expect(Math.abs(forward - mirrored)).toBeLessThan(1e-12);
  });

  it('returns undefined when no shape parameter is a whole number within maxTerms', () => {
    expect(
      betaGreaterProbability({ alpha: 0.5, beta: 1.5 }, { alpha: 2.5, beta: 3.5 }, 1000),
    ).toBeUndefined();
    expect(betaGreaterProbability({ alpha: 200, beta: 300 }, { alpha: 250, beta: 260 }, 100)).toBeUndefined();
  });
});
