import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, thrownBy } from './expect-close.test-helper.js';
import { welchTest } from './welch-test.js';

// References: scipy 1.17. t and p from
//   scipy.stats.ttest_ind_from_stats(meanB, sqrt(varB), nB, meanA, sqrt(varA), nA, equal_var=False, alternative=...)
// df = (sA + sB)**2 / (sA**2/(nA-1) + sB**2/(nB-1)) with sA = varA/nA, sB = varB/nB;
// intervals: diff ∓ scipy.stats.t.ppf(1 - alpha/2 (or 1 - alpha), df) * sqrt(sA + sB);
// relative: (meanB/meanA - 1) ∓ same quantile * sqrt(sB/meanA**2 + meanB**2*sA/meanA**4).
const base = { meanA: 10, varA: 4, nA: 50, meanB: 11, varB: 9, nB: 60 };

describe('welchTest', () => {
  it('matches the two-sided reference', () => {
    const result = welchTest(base);
    expect(result.diff).toBe(1);
    expectClose(result.t, 2.0851441405707476);
    expectClose(result.df, 103.32673468008916);
    expectClose(result.pValue, 0.039520528491950604);
    expectClose(result.diffCI[0], 0.04889567387881644);
    expectClose(result.diffCI[1], 1.9511043261211836);
    expectClose(result.relativeLift, 0.1);
    expectClose(result.relativeLiftCI?.[0], 0.00147718393001664);
    expectClose(result.relativeLiftCI?.[1], 0.19852281606998354);
    expect(result.method).toContain('Welch');
  });

  it('matches one-sided references', () => {
    const greater = welchTest({ ...base, alternative: 'greater' });
    expectClose(greater.pValue, 0.019760264245975302);
    expectClose(greater.diffCI[0], 0.2040192297546637);
    expect(greater.diffCI[1]).toBe(Number.POSITIVE_INFINITY);
    expectClose(greater.relativeLiftCI?.[0], 0.017546093663616785);

    const less = welchTest({ ...base, alpha: 0.1, alternative: 'less' });
    expectClose(less.pValue, 0.9802397357540247);
    expect(less.diffCI[0]).toBe(Number.NEGATIVE_INFINITY);
    expectClose(less.diffCI[1], 1.6185656552099328);
    expectClose(less.relativeLiftCI?.[1], 0.16407586276470387);
  });

  it('handles a zero control mean, a zero variance and tiny samples', () => {
    const zeroMean = welchTest({ meanA: 0, varA: 1, nA: 10, meanB: 0.5, varB: 2, nB: 12 });
    expectClose(zeroMean.pValue, 0.3447450824323878);
    expectClose(zeroMean.df, 19.555555555555557);
    expectClose(zeroMean.diffCI[1], 1.578758492463505);
    expect(zeroMean.relativeLift).toBeNull();

    // With varA = 0 the Welch–Satterthwaite df is nB - 1 = 14.
    const constantA = welchTest({ meanA: 5, varA: 0, nA: 20, meanB: 5.5, varB: 1, nB: 15 });
    expectClose(constantA.df, 14);
    expectClose(constantA.pValue, 0.0732584434398154);
    expectClose(constantA.relativeLiftCI?.[1], 0.21075630831297368);

    const tiny = welchTest({ meanA: 3.2, varA: 1.1, nA: 3, meanB: 2.9, varB: 0.8, nB: 2 });
    expectClose(tiny.t, -0.34262414443209677);
    expectClose(tiny.df, 2.5867970660146695);
    expectClose(tiny.pValue, 0.7577900737108431);
    expectClose(tiny.diffCI[0], -3.356075177971375);
    expectClose(tiny.relativeLiftCI?.[0], -1.0070488839722098);
  });

  it('treats two constant samples as an exact difference', () => {
    const same = welchTest({ meanA: 2, varA: 0, nA: 5, meanB: 2, varB: 0, nB: 5 });
    expect(same).toMatchObject({ t: 0, pValue: 1, diffCI: [0, 0] });
    const apart = welchTest({ meanA: 2, varA: 0, nA: 5, meanB: 3, varB: 0, nB: 5 });
    expect(apart.t).toBe(Number.POSITIVE_INFINITY);
    expect(apart.pValue).toBe(0);
    expect(
      welchTest({ meanA: 2, varA: 0, nA: 5, meanB: 3, varB: 0, nB: 5, alternative: 'less' }).pValue,
    ).toBe(1);
    expect(
      welchTest({ meanA: 2, varA: 0, nA: 5, meanB: 3, varB: 0, nB: 5, alternative: 'greater' }).pValue,
    ).toBe(0);
  });

  it('rejects bad input naming the field', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ varA: -1 }, 'varA'],
      [{ nB: 1 }, 'nB'],
      [{ nA: 2.5 }, 'nA'],
      [{ meanB: Number.NaN }, 'meanB'],
      [{ alpha: -0.1 }, 'alpha'],
      [{ alternative: 'up' }, 'alternative'],
    ];
    for (const [override, field] of cases) {
      const error = thrownBy(() => welchTest({ ...base, ...override } as never));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message.startsWith(`${field} `)).toBe(true);
    }
  });

  it('keeps p-values in [0, 1] and the interval containing 0 exactly when p >= alpha', () => {
    const sample = fc.record({
      mean: fc.double({ min: -100, max: 100, noNaN: true }),
      variance: fc.double({ min: 0.01, max: 100, noNaN: true }),
      n: fc.integer({ min: 2, max: 10_000 }),
    });
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const result = welchTest({
          meanA: a.mean,
          varA: a.variance,
          nA: a.n,
          meanB: b.mean,
          varB: b.variance,
          nB: b.n,
        });
        expect(result.pValue).toBeGreaterThanOrEqual(0);
        expect(result.pValue).toBeLessThanOrEqual(1);
        // Duality of test and interval (skipping values within rounding of the boundary).
        if (Math.abs(result.pValue - 0.05) > 1e-9) {
          const covers = result.diffCI[0] <= 0 && result.diffCI[1] >= 0;
          expect(covers).toBe(result.pValue > 0.05);
        }
      }),
    );
  });
});
