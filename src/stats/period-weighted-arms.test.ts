import { describe, expect, it } from 'vitest';
import { bernoulliSums, meanSums, periodOf, simpsonParadoxPeriods } from './analysis-fixtures.test-helper.js';
import { expectClose, thrownBy } from './expect-close.test-helper.js';
import type { MetricSums, PeriodData } from './experiment-data.js';
import { periodWeightedArms } from './period-weighted-arms.js';
import type { GaussianArm } from './thompson-weights.js';

const METRIC = 'acceptance-rate';
const period = (index: number, arms: Record<string, MetricSums>): PeriodData => periodOf(index, METRIC, arms);

// The Simpson's-paradox periods are described in analysis-fixtures.test-helper.ts; by hand, with period
// shares 10 000 / 20 000 = 0.5 each:
//   A: 0.5·0.10 + 0.5·0.30 = 0.20, Var = 0.25·(0.09/1000 + 0.21/9000) = 2.8333e-5, × n 10 000 = 0.283333…
//   B: 0.5·0.12 + 0.5·0.32 = 0.22, Var = 0.25·(0.1056/9000 + 0.2176/1000) = 5.7333e-5, × 10 000 = 0.573333…
const simpsonPeriods = simpsonParadoxPeriods(METRIC);

describe('periodWeightedArms', () => {
  it('weights each period by its share of all units, whatever share each arm got', () => {
    const [a, b] = periodWeightedArms(simpsonPeriods, METRIC, ['A', 'B']) as GaussianArm[];
    expectClose(a!.mean, 0.2);
    expectClose(a!.variance, 0.25 * (0.09 / 1000 + 0.21 / 9000) * 10_000);
    expect(a!.n).toBe(10_000);
    expectClose(b!.mean, 0.22);
    expectClose(b!.variance, 0.25 * (0.1056 / 9000 + 0.2176 / 1000) * 10_000);
    expect(b!.n).toBe(10_000);
  });

  it('weights means the same way, with unequal period sizes', () => {
    // Period 0: 4 units (A 2, B 2); period 1: 8 units (A 4, B 4): shares 1/3 and 2/3.
    const periods: PeriodData[] = [
      period(0, { A: meanSums([1, 3]), B: meanSums([2, 2]) }),
      period(1, { A: meanSums([4, 4, 6, 6]), B: meanSums([0, 2, 4, 6]) }),
    ];
    const [a, b] = periodWeightedArms(periods, METRIC, ['A', 'B']) as GaussianArm[];
    // A: 2/3·... means 2 and 5 -> 1/3·2 + 2/3·5 = 4; variances 2 (n 2) and 4/3 (n 4).
    expectClose(a!.mean, 4);
    expectClose(a!.variance, ((1 / 9) * (2 / 2) + (4 / 9) * (4 / 3 / 4)) * 6);
    // B: means 2 and 3 -> 8/3; variances 0 and 20/3.
    expectClose(b!.mean, 8 / 3);
    expectClose(b!.variance, (4 / 9) * (20 / 3 / 4) * 6);
  });

  it('returns exact counts for a single period of a proportion', () => {
    const one = periodWeightedArms([simpsonPeriods[0]!], METRIC, ['A', 'B']);
    expect(one).toEqual([
      { successes: 100, trials: 1000 },
      { successes: 1080, trials: 9000 },
    ]);
  });

  it('uses only periods in which every arm has data', () => {
    const periods = [...simpsonPeriods, period(2, { A: bernoulliSums(900, 1000) }), period(3, {})];
    const [a] = periodWeightedArms(periods, METRIC, ['A', 'B']) as GaussianArm[];
    expectClose(a!.mean, 0.2);
    expect(a!.n).toBe(10_000);
    expect(periodWeightedArms([period(0, { A: bernoulliSums(5, 10) })], METRIC, ['A', 'B'])).toEqual([
      { successes: 0, trials: 0 },
      { successes: 0, trials: 0 },
    ]);
    const means = [period(0, { A: meanSums([1, 2]) })];
    expect(periodWeightedArms([...means, ...means], METRIC, ['A', 'B'])).toEqual([
      { mean: 0, variance: 0, n: 0 },
      { mean: 0, variance: 0, n: 0 },
    ]);
  });

  it('rejects bad input naming the field', () => {
    const cases: Array<[() => unknown, string]> = [
      [() => periodWeightedArms('x' as unknown as PeriodData[], METRIC, ['A']), 'periods'],
      [() => periodWeightedArms([], '', ['A']), 'metric'],
      [() => periodWeightedArms([], METRIC, []), 'arms'],
      [() => periodWeightedArms([], METRIC, ['A', 'A']), 'arms'],
      [
        () =>
          periodWeightedArms([period(0, { A: { ...bernoulliSums(1, 2), denominator: -1 } })], METRIC, ['A']),
        'periods[0].arms.A["acceptance-rate"].denominator',
      ],
    ];
    for (const [action, field] of cases) {
      expect(thrownBy(action).message.startsWith(`${field} must be`)).toBe(true);
    }
  });
});
