import { describe, expect, it } from 'vitest';
import { bernoulliSums, meanSums, sumsFromUnits } from './analysis-fixtures.test-helper.js';
import { armEstimate } from './arm-estimate.js';
import { expectClose } from './expect-close.test-helper.js';

// References (scipy 1.17): Wilson upper bound at 0/20 = z²/(n + z²), z = norm.ppf(0.975) -> 0.16112515805281938;
// t interval of [1, 2, 4] at 90 %: mean ∓ t.ppf(0.95, 2)·std(ddof=1)/sqrt(3) -> -0.24185189250352135, 4.908518559170188;
// ratio: the per-unit delta-method variance of units (N, D) = (1, 1), (3, 2), (2, 3), by hand:
//   R = 6/6 = 1, var(N) = 1, var(D) = 1, cov = 0.5 -> (1 - 2·0.5 + 1) / 2² = 0.25.
describe('armEstimate', () => {
  it('estimates a rate with a Wilson interval that stays informative at 0', () => {
    const zero = armEstimate('proportion', bernoulliSums(0, 20), 0.05);
    expect(zero).toMatchObject({ n: 20, value: 0, perUnitVariance: 0, successes: 0 });
    expect(zero.interval![0]).toBe(0);
    expectClose(zero.interval![1], 0.16112515805281938);
    const some = armEstimate('proportion', bernoulliSums(5, 20, 3), 0.05);
    expect(some).toMatchObject({ n: 20, value: 0.25, perUnitVariance: 0.1875, successes: 5 });
  });

  it('estimates a mean with its sample variance and t interval', () => {
    const estimate = armEstimate('mean', meanSums([1, 2, 4], 2), 0.1);
    expect(estimate.n).toBe(3);
    expectClose(estimate.value, 7 / 3);
    expectClose(estimate.perUnitVariance, 7 / 3);
    expectClose(estimate.interval![0], -0.24185189250352135);
    expectClose(estimate.interval![1], 4.908518559170188);
  });

  it('estimates a ratio with the delta-method variance', () => {
    const estimate = armEstimate(
      'ratio',
      sumsFromUnits([
        [1, 1],
        [3, 2],
        [2, 3],
      ]),
      0.05,
    );
    expectClose(estimate.value, 1);
    expectClose(estimate.perUnitVariance, 0.25);
    expectClose(estimate.interval![1] - 1, 1.959963984540054 * Math.sqrt(0.25 / 3));
  });

  it('leaves what cannot be estimated null', () => {
    expect(armEstimate('proportion', bernoulliSums(0, 0, 4), 0.05)).toMatchObject({ n: 0, value: null });
    expect(armEstimate('mean', meanSums([3]), 0.05)).toMatchObject({ n: 1, value: 3, perUnitVariance: null });
    expect(armEstimate('ratio', sumsFromUnits([[2, 0]]), 0.05)).toMatchObject({ value: null });
    expect(armEstimate('ratio', sumsFromUnits([[2, 4]]), 0.05)).toMatchObject({
      value: 0.5,
      perUnitVariance: null,
    });
    // A subnormal denominator overflows the ratio: unknown rather than Infinity.
    const subnormal = armEstimate(
      'ratio',
      sumsFromUnits([
        [1, 5e-324],
        [1, 5e-324],
      ]),
      0.05,
    );
    expect(subnormal).toMatchObject({ value: null, perUnitVariance: null, interval: null });
  });
});
