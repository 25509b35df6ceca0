import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adjustPValues } from './adjust-p-values.js';
import { expectClose, thrownBy } from './expect-close.test-helper.js';

// References: numpy transcriptions of R's p.adjust (statsmodels is not installed here), with ties:
//   p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.5]; n = 7
//   bonferroni: minimum(1, n*p)
//   holm: o = argsort(p, kind='stable'); minimum(1, maximum.accumulate((n - arange(n)) * p[o]))[argsort(o)]
//   bh:   o = argsort(-p, kind='stable'); minimum(1, minimum.accumulate(n / arange(n, 0, -1) * p[o]))[argsort(o)]
// BH also equals scipy.stats.false_discovery_control(p, method='bh').
const raw = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.5];
const references = {
  bonferroni: [0.07, 0.28, 0.21, 0.035, 1, 0.28, 1],
  holm: [0.06, 0.16, 0.15, 0.035, 0.4, 0.16, 0.5],
  bh: [0.035, 0.056, 0.056, 0.035, 0.23333333333333336, 0.056, 0.5],
} as const;

describe('adjustPValues', () => {
  for (const method of ['bonferroni', 'holm', 'bh'] as const) {
    it(`matches R's p.adjust for ${method}, in input order`, () => {
      const adjusted = adjustPValues(raw, method);
      expect(adjusted).toHaveLength(raw.length);
      adjusted.forEach((value, index) => {
        expectClose(value, references[method][index]!);
      });
    });
  }

  it('handles empty input and a single p-value', () => {
    expect(adjustPValues([], 'holm')).toEqual([]);
    expect(adjustPValues([0.03], 'bonferroni')).toEqual([0.03]);
    expect(adjustPValues([0.03], 'bh')).toEqual([0.03]);
  });

  it('rejects p-values outside [0, 1] and unknown methods, naming the field', () => {
    expect(thrownBy(() => adjustPValues([0.1, 1.2], 'holm')).message).toMatch(/^pValues\[1\] /);
    expect(thrownBy(() => adjustPValues([Number.NaN], 'bh')).message).toMatch(/^pValues\[0\] /);
    const unknown = thrownBy(() => adjustPValues([0.1], 'sidak' as never));
    expect(unknown.code).toBe('INVALID_INPUT');
    expect(unknown.message).toMatch(/^method /);
  });

  it('never lowers a p-value, caps at 1, keeps the order, and orders bh <= holm <= bonferroni', () => {
    const pValues = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(pValues, (values) => {
        const bonferroni = adjustPValues(values, 'bonferroni');
        const holm = adjustPValues(values, 'holm');
        const bh = adjustPValues(values, 'bh');
        values.forEach((value, index) => {
          for (const adjusted of [bonferroni, holm, bh]) {
            expect(adjusted[index]!).toBeGreaterThanOrEqual(value);
            expect(adjusted[index]!).toBeLessThanOrEqual(1);
          }
          expect(holm[index]!).toBeLessThanOrEqual(bonferroni[index]!);
          expect(bh[index]!).toBeLessThanOrEqual(holm[index]! + 1e-15);
          values.forEach((other, otherIndex) => {
            if (value < other) {
              expect(holm[index]!).toBeLessThanOrEqual(holm[otherIndex]!);
              expect(bh[index]!).toBeLessThanOrEqual(bh[otherIndex]!);
            }
          });
        });
      }),
    );
  });
});
