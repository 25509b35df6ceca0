import { describe, expect, it } from 'vitest';
import type { ArmEstimate } from './arm-estimate.js';
import { compareEstimates } from './compare-estimates.js';
import { expectClose } from './expect-close.test-helper.js';

// References (scipy 1.17), GrowthBook's two-sided confidence sequence with N* = 5000, alpha 0.05
// (formula in analyze-experiment.test.ts), for means 2.1 (var 1.4, n 800) and 2.3 (var 1.5, n 820):
//   diff interval [0.009965083016936327, 0.39003491698306314], p 0.03382173314168628; the relative lift's
//   sequence on SE² = varB/nB/meanA² + meanB²·varA/nA/meanA⁴: [0.00043359324691867596, 0.19004259722927158];
//   chance to beat control read from that interval, Φ(z · 0.2 / half-width) with z = Φ⁻¹(0.975):
//   0.980431374413335 (at a fixed horizon Φ(0.2 / SE) would be 0.9995855701807409: a sequential look must
//   not claim more than its interval). Proportions 120/1000 vs 150/1000: Φ(0.03 / Wald SE) = 0.9752896246702095.
const mean = (value: number, perUnitVariance: number, n: number): ArmEstimate => ({
  n,
  value,
  perUnitVariance,
  successes: 0,
  interval: null,
});
const rate = (successes: number, n: number): ArmEstimate => ({
  n,
  value: successes / n,
  perUnitVariance: (successes / n) * (1 - successes / n),
  successes,
  interval: null,
});
const options = { alpha: 0.05, sequential: false, direction: 'higher' as const };

describe('compareEstimates', () => {
  it('gives always-valid intervals for means and their relative lift when sequential', () => {
    const result = compareEstimates('mean', mean(2.1, 1.4, 800), mean(2.3, 1.5, 820), {
      ...options,
      sequential: true,
    });
    expectClose(result.diff, 0.2);
    expectClose(result.diffCI![0], 0.009965083016936327);
    expectClose(result.diffCI![1], 0.39003491698306314);
    expectClose(result.pValue, 0.03382173314168628);
    expectClose(result.relativeLift, 0.2 / 2.1);
    expectClose(result.relativeLiftCI![0], 0.00043359324691867596);
    expectClose(result.relativeLiftCI![1], 0.19004259722927158);
    expectClose(result.chanceToBeatControl, 0.980431374413335);
    expect(result.method).toContain('per-unit mean; asymptotic confidence sequence');
    expect(result.method).toContain('chance to beat control: Φ(z · diff / half-width) of that interval');
  });

  it('is wider when sequential than at a fixed horizon', () => {
    const fixed = compareEstimates('ratio', mean(2.1, 1.4, 800), mean(2.3, 1.5, 820), options);
    const sequential = compareEstimates('ratio', mean(2.1, 1.4, 800), mean(2.3, 1.5, 820), {
      ...options,
      sequential: true,
    });
    expect(sequential.diffCI![1] - sequential.diffCI![0]).toBeGreaterThan(
      fixed.diffCI![1] - fixed.diffCI![0],
    );
    expect(sequential.pValue!).toBeGreaterThan(fixed.pValue!);
    expect(fixed.method).toContain('delta-method');
  });

  it('turns the chance to beat control around for lower-is-better metrics', () => {
    const higher = compareEstimates('proportion', rate(120, 1000), rate(150, 1000), options);
    const lower = compareEstimates('proportion', rate(120, 1000), rate(150, 1000), {
      ...options,
      direction: 'lower',
    });
    expectClose(higher.chanceToBeatControl, 0.9752896246702095);
    expectClose(lower.chanceToBeatControl, 1 - 0.9752896246702095);
    const cheaper = compareEstimates('mean', mean(2.3, 1.5, 820), mean(2.1, 1.4, 800), {
      ...options,
      direction: 'lower',
    });
    // Φ(z · 0.2 / (t · SE)) of Welch's interval, t at the Welch-Satterthwaite df (scipy): 0.9995818194936535.
    expectClose(cheaper.chanceToBeatControl, 0.9995818194936535);
  });

  it('gives a chance to beat control that agrees with the interval beside it, fixed or sequential', () => {
    const cases: Array<[Parameters<typeof compareEstimates>[0], ArmEstimate, ArmEstimate]> = [
      ['proportion', rate(50, 400), rate(68, 410)],
      ['proportion', rate(12, 60), rate(19, 58)],
      ['mean', mean(2.1, 1.4, 80), mean(2.4, 1.5, 82)],
      ['ratio', mean(1, 0.3, 40), mean(0.9, 0.25, 45)],
    ];
    for (const [kind, control, treatment] of cases) {
      for (const sequential of [false, true]) {
        for (const direction of ['higher', 'lower'] as const) {
          const result = compareEstimates(kind, control, treatment, { alpha: 0.05, sequential, direction });
          const [low, high] = result.diffCI!;
          const excludesZero = low > 0 || high < 0;
          const decisive = result.chanceToBeatControl! > 0.975 || result.chanceToBeatControl! < 0.025;
          expect(decisive, `${kind} sequential=${sequential} ${direction}`).toBe(excludesZero);
        }
      }
    }
    // The sequential chance is the more modest one: its interval is wider.
    const fixed = compareEstimates('proportion', rate(12, 60), rate(19, 58), options);
    const sequential = compareEstimates('proportion', rate(12, 60), rate(19, 58), {
      ...options,
      sequential: true,
    });
    expect(sequential.chanceToBeatControl!).toBeLessThan(fixed.chanceToBeatControl!);
    expect(sequential.chanceToBeatControl!).toBeGreaterThan(0.5);
  });

  it('reads a certain difference from constant arms and no chance from identical ones', () => {
    const apart = compareEstimates('mean', mean(2, 0, 10), mean(3, 0, 10), options);
    expect(apart).toMatchObject({ diff: 1, pValue: 0, chanceToBeatControl: 1, diffCI: [1, 1] });
    const same = compareEstimates('quantile', mean(2, 0, 10), mean(2, 0, 10), options);
    expect(same).toMatchObject({ diff: 0, pValue: 1, chanceToBeatControl: null });
    const sequential = compareEstimates('mean', mean(2, 0, 10), mean(3, 0, 10), {
      ...options,
      sequential: true,
    });
    expect(sequential).toMatchObject({ pValue: 0, chanceToBeatControl: 1 });
  });

  it('does not compare arms without data or variance', () => {
    const none = { diff: null, diffCI: null, pValue: null, chanceToBeatControl: null };
    expect(compareEstimates('proportion', rate(0, 1), { ...rate(0, 1), n: 0 }, options)).toMatchObject(none);
    expect(compareEstimates('mean', mean(2, 1, 1), mean(3, 1, 10), options)).toMatchObject(none);
    expect(compareEstimates('ratio', { ...mean(2, 1, 5), value: null }, mean(3, 1, 10), options).method).toBe(
      'not compared: an arm has no value',
    );
    expect(
      compareEstimates('quantile', { ...mean(2, 1, 5), perUnitVariance: null }, mean(3, 1, 10), options),
    ).toMatchObject(none);
  });
});
