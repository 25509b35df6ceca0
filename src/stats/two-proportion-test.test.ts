import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SwitchyardError } from '../core/errors.js';
import { expectClose, thrownBy } from './expect-close.test-helper.js';
import { twoProportionTest } from './two-proportion-test.js';

// References: scipy 1.17 with the textbook formulas (scipy.stats.norm), e.g. for 120/1000 vs 150/1000:
//   p = 270/2000; z = (0.15 - 0.12) / sqrt(p*(1-p)*(1/1000 + 1/1000)); 2*norm.sf(abs(z))
//   se = sqrt(.12*.88/1000 + .15*.85/1000); 0.03 ∓ norm.ppf(0.975)*se
//   relative: 0.25 ∓ norm.ppf(0.975)*sqrt(vB/pA**2 + pB**2*vA/pA**4), vA = .12*.88/1000, vB = .15*.85/1000
const base = { successesA: 120, totalA: 1000, successesB: 150, totalB: 1000 };

describe('twoProportionTest', () => {
  it('matches the two-sided reference', () => {
    const result = twoProportionTest(base);
    expect(result.pA).toBe(0.12);
    expect(result.pB).toBe(0.15);
    expectClose(result.diff, 0.03);
    expectClose(result.z, 1.963049807622355);
    expectClose(result.pValue, 0.04964038686536878);
    expectClose(result.diffCI[0], 7.602882129778554e-5);
    expectClose(result.diffCI[1], 0.05992397117870221);
    expectClose(result.relativeLift, 0.25);
    expectClose(result.relativeLiftCI?.[0], -0.029337846156494596);
    expectClose(result.relativeLiftCI?.[1], 0.5293378461564946);
    expect(result.method).toContain('pooled SE');
    expect(result.method).toContain('delta-method');
  });

  it('gives one-sided p-values and half-open intervals', () => {
    // norm.sf(z); lower bounds use norm.ppf(0.95)
    const greater = twoProportionTest({ ...base, alternative: 'greater' });
    expectClose(greater.pValue, 0.02482019343268439);
    expectClose(greater.diffCI[0], 0.004887011743927389);
    expect(greater.diffCI[1]).toBe(Number.POSITIVE_INFINITY);
    expectClose(greater.relativeLiftCI?.[0], 0.015572289583093257);
    expect(greater.relativeLiftCI?.[1]).toBe(Number.POSITIVE_INFINITY);

    // norm.cdf(z)
    const less = twoProportionTest({ ...base, alternative: 'less' });
    expectClose(less.pValue, 0.9751798065673156);
    expect(less.diffCI[0]).toBe(Number.NEGATIVE_INFINITY);
    expectClose(less.diffCI[1], 0.05511298825607261);
    expectClose(less.relativeLiftCI?.[1], 0.48442771041690674);
  });

  it('matches a significant decrease at alpha 0.01', () => {
    // 480/5000 vs 430/5000, alternative 'less', alpha 0.01: norm.cdf(z), upper bounds with norm.ppf(0.99)
    const result = twoProportionTest({
      successesA: 480,
      totalA: 5000,
      successesB: 430,
      totalB: 5000,
      alpha: 0.01,
      alternative: 'less',
    });
    expectClose(result.z, -1.7384706641191927);
    expectClose(result.pValue, 0.04106395741470523);
    expectClose(result.diffCI[1], 0.003379554522951904);
    expectClose(result.relativeLift, -0.10416666666666674);
    expectClose(result.relativeLiftCI?.[1], 0.027785123232588083);
  });

  it('handles a control with zero successes: no relative lift', () => {
    // 0/50 vs 3/50
    const result = twoProportionTest({ successesA: 0, totalA: 50, successesB: 3, totalB: 50 });
    expectClose(result.z, 1.7586311452816477);
    expectClose(result.pValue, 0.07864017934882842);
    expectClose(result.diffCI[0], -0.005826784440248742);
    expectClose(result.diffCI[1], 0.12582678444024875);
    expect(result.relativeLift).toBeNull();
    expect(result.relativeLiftCI).toBeNull();
  });

  it('handles equal arms, tiny samples and arms without variation', () => {
    const equal = twoProportionTest({ successesA: 30, totalA: 200, successesB: 30, totalB: 200 });
    expect(equal.z).toBe(0);
    expect(equal.pValue).toBe(1);
    expectClose(equal.diffCI[1], 0.06998471259057232);
    expectClose(equal.relativeLiftCI?.[1], 0.46656475060381536);

    // 1/3 vs 2/4 at alpha 0.1
    const small = twoProportionTest({ successesA: 1, totalA: 3, successesB: 2, totalB: 4, alpha: 0.1 });
    expectClose(small.pValue, 0.6592430036926306);
    expectClose(small.diffCI[0], -0.4412042835441928);
    expectClose(small.relativeLiftCI?.[1], 2.8622411761020063);

    const none = twoProportionTest({ successesA: 0, totalA: 10, successesB: 0, totalB: 12 });
    expect(none).toMatchObject({ z: 0, pValue: 1, diff: 0, diffCI: [0, 0], relativeLift: null });
  });

  it('rejects bad input with INVALID_INPUT naming the field', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ successesA: -1 }, 'successesA'],
      [{ successesB: 1001 }, 'successesB'],
      [{ totalA: 0, successesA: 0 }, 'totalA'],
      [{ totalB: 10.5 }, 'totalB'],
      [{ alpha: 0 }, 'alpha'],
      [{ alpha: 1.5 }, 'alpha'],
      [{ alternative: 'bigger' }, 'alternative'],
    ];
    for (const [override, field] of cases) {
      const error = thrownBy(() => twoProportionTest({ ...base, ...override } as never));
      expect(error).toBeInstanceOf(SwitchyardError);
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message.startsWith(`${field} `)).toBe(true);
    }
  });

  it('keeps p-values in [0, 1], halves the two-sided p-value on the right side, and centres the interval', () => {
    const arm = fc
      .integer({ min: 1, max: 100_000 })
      .chain((total) => fc.tuple(fc.integer({ min: 0, max: total }), fc.constant(total)));
    fc.assert(
      fc.property(arm, arm, ([successesA, totalA], [successesB, totalB]) => {
        const input = { successesA, totalA, successesB, totalB };
        const twoSided = twoProportionTest(input);
        const greater = twoProportionTest({ ...input, alternative: 'greater' });
        const less = twoProportionTest({ ...input, alternative: 'less' });
        for (const result of [twoSided, greater, less]) {
          expect(result.pValue).toBeGreaterThanOrEqual(0);
          expect(result.pValue).toBeLessThanOrEqual(1);
        }
        expect(twoSided.diffCI[0]).toBeLessThanOrEqual(twoSided.diff);
        expect(twoSided.diffCI[1]).toBeGreaterThanOrEqual(twoSided.diff);
        if (twoSided.z !== 0) {
          const oneSided = twoSided.z > 0 ? greater.pValue : less.pValue;
          expect(Math.abs(twoSided.pValue - 2 * oneSided)).toBeLessThan(1e-12);
        }
      }),
    );
  });
});
