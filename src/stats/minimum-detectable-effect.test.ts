import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, thrownBy } from './expect-close.test-helper.js';
import { minimumDetectableEffect } from './minimum-detectable-effect.js';
import { sampleSizeTwoProportions } from './sample-size-two-proportions.js';

// References: scipy 1.17, the sample-size formula of sample-size-two-proportions.test.ts (nreq) inverted with
//   scipy.optimize.brentq(lambda d: nreq(p1, p1 + sign*d, alpha, power, alt) - n, 1e-9, upper, xtol=1e-15)
describe('minimumDetectableEffect', () => {
  it('matches the brentq references', () => {
    const result = minimumDetectableEffect({ p1: 0.1, n: 3841 });
    expectClose(result.effect, 0.019999586570913868);
    expectClose(result.p2, 0.1 + 0.019999586570913868);
    expect(result.method).toContain('power.prop.test');
    expectClose(minimumDetectableEffect({ p1: 0.1, n: 1000 }).effect, 0.04074515431182426);
    const decrease = minimumDetectableEffect({ p1: 0.05, n: 20_000, alternative: 'less' });
    expectClose(decrease.effect, 0.0052812916539696185);
    expect(decrease.p2).toBeLessThan(0.05);
    expectClose(
      minimumDetectableEffect({ p1: 0.3, n: 500, alpha: 0.01, power: 0.9, alternative: 'greater' }).effect,
      0.10889874297494116,
    );
  });

  it('reports Infinity when no reachable rate is detectable', () => {
    const result = minimumDetectableEffect({ p1: 0.5, n: 1, alternative: 'less' });
    expect(result.effect).toBe(Number.POSITIVE_INFINITY);
    expect(result.p2).toBeNaN();
  });

  it('rejects bad input naming the field', () => {
    expect(thrownBy(() => minimumDetectableEffect({ p1: 1, n: 100 })).message).toMatch(/^p1 /);
    expect(thrownBy(() => minimumDetectableEffect({ p1: 0.2, n: 0 })).message).toMatch(/^n /);
    expect(thrownBy(() => minimumDetectableEffect({ p1: 0.2, n: 10, power: 1 })).message).toMatch(/^power /);
  });

  it('inverts sampleSizeTwoProportions', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.9, noNaN: true }),
        fc.integer({ min: 50, max: 1_000_000 }),
        fc.constantFrom('two-sided' as const, 'greater' as const, 'less' as const),
        (p1, n, alternative) => {
          const result = minimumDetectableEffect({ p1, n, alternative });
          if (!Number.isFinite(result.effect)) return;
          const back = sampleSizeTwoProportions({ p1, p2: result.p2, alternative });
          expect(Math.abs(back.exactPerArm - n)).toBeLessThan(1e-6 * n);
        },
      ),
    );
  });
});
