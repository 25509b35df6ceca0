import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, thrownBy } from './expect-close.test-helper.js';
import { srmTest } from './srm-test.js';

// References: scipy 1.17,
//   r = scipy.stats.chisquare(observed, array(weights)/sum(weights)*sum(observed)); r.statistic, r.pvalue
describe('srmTest', () => {
  it('matches scipy for a 50/50 split within chance', () => {
    const result = srmTest([5000, 5200], [50, 50]);
    expectClose(result.chiSquare, 3.9215686274509802);
    expectClose(result.pValue, 0.0476703806561615);
    expect(result).toMatchObject({ df: 1, mismatch: false });
    expect(result.method).toContain('chi-square');
  });

  it('flags a mismatch below p = 0.001', () => {
    const result = srmTest([5000, 5500], [50, 50]);
    expectClose(result.chiSquare, 23.80952380952381);
    expectClose(result.pValue, 1.0635492679527356e-6, 1e-5);
    expect(result.mismatch).toBe(true);

    const three = srmTest([1000, 1100, 900], [1, 1, 1]);
    expectClose(three.chiSquare, 20);
    expectClose(three.pValue, 4.539992976248486e-5, 1e-5);
    expect(three).toMatchObject({ df: 2, mismatch: true });
  });

  it('normalises unequal weights', () => {
    const result = srmTest([4950, 5050, 10400], [25, 25, 50]);
    expectClose(result.chiSquare, 8.823529411764707);
    expectClose(result.pValue, 0.012133746930834877);
    expect(result.mismatch).toBe(false);
    expect(srmTest([4950, 5050, 10400], [0.25, 0.25, 0.5]).chiSquare).toBeCloseTo(result.chiSquare, 12);
  });

  it('handles zero counts', () => {
    const result = srmTest([0, 3], [1, 1]);
    expectClose(result.chiSquare, 3);
    expectClose(result.pValue, 0.08326451666355042);
    expect(srmTest([0, 0], [1, 1])).toMatchObject({ chiSquare: 0, pValue: 1, mismatch: false });
  });

  it('rejects bad input naming the field', () => {
    const cases: Array<[() => unknown, RegExp]> = [
      [() => srmTest([10, 20], [1]), /^expectedWeights /],
      [() => srmTest([10], [1]), /^observedCounts /],
      [() => srmTest([10, -1], [1, 1]), /^observedCounts\[1\] /],
      [() => srmTest([10, 2.5], [1, 1]), /^observedCounts\[1\] /],
      [() => srmTest([10, 20], [1, 0]), /^expectedWeights\[1\] /],
    ];
    for (const [action, pattern] of cases) {
      const error = thrownBy(action);
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(pattern);
    }
  });

  it('keeps p-values in [0, 1] and finds counts in exact proportion to the weights consistent', () => {
    const arms = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 1000 })),
      {
        minLength: 2,
        maxLength: 8,
      },
    );
    fc.assert(
      fc.property(arms, fc.integer({ min: 1, max: 100 }), (pairs, scale) => {
        const counts = pairs.map(([count]) => count);
        const weights = pairs.map(([, weight]) => weight);
        const result = srmTest(counts, weights);
        expect(result.pValue).toBeGreaterThanOrEqual(0);
        expect(result.pValue).toBeLessThanOrEqual(1);
        expect(result.mismatch).toBe(result.pValue < 0.001);
        const exact = srmTest(
          weights.map((weight) => weight * scale),
          weights,
        );
        expect(exact.chiSquare).toBeCloseTo(0, 9);
        expect(exact.pValue).toBeCloseTo(1, 9);
      }),
    );
  });
});
