import { describe, expect, it } from 'vitest';
import { latencyOf } from './analysis-fixtures.test-helper.js';
import { expectClose } from './expect-close.test-helper.js';
import { quantileEstimate } from './quantile-estimate.js';

// References (numpy 2 / scipy 1.17), runs x_i = 100 + ((i·7919) mod 1000)/2, i < 200:
//   np.quantile(x, 0.95) and at 0.95 ∓ norm.ppf(0.975)·sqrt(0.95·0.05/200) -> 573.575, 559.5587855366583,
//   587.5912144633417; SE = (hi - lo)/(2z)·sqrt(199/200) = 7.133360677517248.
const runs = Array.from({ length: 200 }, (_, index) => 100 + ((index * 7919) % 1000) / 2);

describe('quantileEstimate', () => {
  it('brackets the quantile by order statistics at the binomial rank bounds', () => {
    const estimate = quantileEstimate(latencyOf(runs), 0.95, 0.05);
    expect(estimate.n).toBe(200);
    expectClose(estimate.value, 573.5749999999999);
    expectClose(estimate.interval![0], 559.5587855366583);
    expectClose(estimate.interval![1], 587.5912144633417);
    expectClose(Math.sqrt(estimate.perUnitVariance! / estimate.n), 7.133360677517248);
  });

  it('needs enough runs for both rank bounds to stay inside (0, 1)', () => {
    // z²·0.95/0.05 = 72.99: 72 runs are too few, 73 enough.
    const few = quantileEstimate(latencyOf(runs.slice(0, 72)), 0.95, 0.05);
    expect(few.value).not.toBeNull();
    expect(few).toMatchObject({ n: 72, perUnitVariance: null, interval: null });
    expect(quantileEstimate(latencyOf(runs.slice(0, 73)), 0.95, 0.05).interval).not.toBeNull();
  });

  it('gives nulls without runs or with a sketch that answers NaN', () => {
    expect(quantileEstimate(null, 0.95, 0.05)).toMatchObject({ n: 0, value: null, interval: null });
    expect(quantileEstimate({ count: 0, quantile: () => 5 }, 0.95, 0.05)).toMatchObject({
      n: 0,
      value: null,
    });
    expect(quantileEstimate({ count: 500, quantile: () => Number.NaN }, 0.95, 0.05)).toMatchObject({
      value: null,
    });
    const constant = quantileEstimate({ count: 500, quantile: () => 120 }, 0.95, 0.05);
    expect(constant).toMatchObject({ value: 120, perUnitVariance: 0, interval: [120, 120] });
  });
});
