import { describe, expect, it } from 'vitest';
import { expectClose, thrownBy } from './expect-close.test-helper.js';
import { sampleSizeTwoProportions } from './sample-size-two-proportions.js';

// References: scipy 1.17, the formula of R's power.prop.test (strict = FALSE) solved for n
// (statsmodels is not installed here):
//   za = norm.ppf(1 - alpha/2) (two-sided) or norm.ppf(1 - alpha); zb = norm.ppf(power); pb = (p1 + p2)/2
//   (za*sqrt(2*pb*(1-pb)) + zb*sqrt(p1*(1-p1) + p2*(1-p2)))**2 / (p2 - p1)**2
// Cross-check: R's documented example power.prop.test(p1 = .50, p2 = .75, power = .90) gives n = 76.7,
// and plugging n back into R's power expression gives 0.9 to 1e-15.
describe('sampleSizeTwoProportions', () => {
  it('matches the reference before rounding and rounds up', () => {
    const result = sampleSizeTwoProportions({ p1: 0.1, p2: 0.12 });
    expectClose(result.exactPerArm, 3840.847482436276);
    expect(result.perArm).toBe(3841);
    expect(result.method).toContain('power.prop.test');

    const r = sampleSizeTwoProportions({ p1: 0.5, p2: 0.75, power: 0.9 });
    expectClose(r.exactPerArm, 76.70692845177743);
    expect(r.perArm).toBe(77);
  });

  it('matches one-sided references and large effects', () => {
    expectClose(
      sampleSizeTwoProportions({ p1: 0.05, p2: 0.04, alternative: 'less' }).exactPerArm,
      5312.861505207113,
    );
    expectClose(
      sampleSizeTwoProportions({ p1: 0.3, p2: 0.33, alpha: 0.01, power: 0.95, alternative: 'greater' })
        .exactPerArm,
      7558.660111213072,
    );
    const large = sampleSizeTwoProportions({ p1: 0.02, p2: 0.5 });
    expectClose(large.exactPerArm, 11.856614938525013);
    expect(large.perArm).toBe(12);
  });

  it('needs more units for smaller effects, lower alpha and higher power', () => {
    const reference = sampleSizeTwoProportions({ p1: 0.2, p2: 0.22 }).exactPerArm;
    expect(sampleSizeTwoProportions({ p1: 0.2, p2: 0.21 }).exactPerArm).toBeGreaterThan(reference);
    expect(sampleSizeTwoProportions({ p1: 0.2, p2: 0.22, alpha: 0.01 }).exactPerArm).toBeGreaterThan(
      reference,
    );
    expect(sampleSizeTwoProportions({ p1: 0.2, p2: 0.22, power: 0.9 }).exactPerArm).toBeGreaterThan(
      reference,
    );
    expect(sampleSizeTwoProportions({ p1: 0.2, p2: 0.22, alternative: 'greater' }).exactPerArm).toBeLessThan(
      reference,
    );
  });

  it('rejects bad input naming the field', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ p1: 0, p2: 0.1 }, 'p1'],
      [{ p1: 0.1, p2: 1.1 }, 'p2'],
      [{ p1: 0.1, p2: 0.1 }, 'p2'],
      [{ p1: 0.1, p2: 0.05, alternative: 'greater' }, 'p2'],
      [{ p1: 0.1, p2: 0.15, alternative: 'less' }, 'p2'],
      [{ p1: 0.1, p2: 0.15, alpha: 1 }, 'alpha'],
      [{ p1: 0.1, p2: 0.15, power: 0 }, 'power'],
    ];
    for (const [input, field] of cases) {
      const error = thrownBy(() => sampleSizeTwoProportions(input as never));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message.startsWith(`${field} `)).toBe(true);
    }
  });
});
