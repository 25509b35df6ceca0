import { type ArmEstimate, armEstimate } from './arm-estimate.js';
import { check } from './check.js';
import { checkMetricSums } from './check-metric-sums.js';
import type { MetricSums, PeriodData } from './experiment-data.js';
import { metricKind } from './metric-kind.js';
import type { BernoulliArm, GaussianArm } from './thompson-weights.js';

/**
 * Each arm's estimate of `metric` over bandit periods, weighted by period as GrowthBook's bandits do, as
 * inputs for `thompsonWeights` in the order of `arms`. A bandit moves traffic between periods, so pooling
 * would mix each arm's data over a different blend of periods, and an arm fed mostly in a good period would
 * look better than it is (Simpson's paradox). Instead every arm is judged on the same blend: its estimate is
 * Σ_t w_t · mean_t, where w_t is period t's share of all units (all arms) and mean_t the arm's rate, mean or
 * ratio in t; the variance of that estimate is Σ_t w_t² · Var_t / n_t, returned as a GaussianArm whose n is
 * the arm's units with data and whose per-unit variance is that variance × n (so variance / n is the
 * estimate's). Only periods in which every arm has data (and a variance) are used. With a single such
 * period and a per-unit proportion, no weighting is needed and the exact BernoulliArm counts are returned;
 * with none, every arm comes back with no units (a bandit then stays in burn-in).
 *
 * @example
 * periodWeightedArms(data.periods, 'acceptance-rate', ['A', 'B']);
 * // Simpson's paradox: A 100/1000 then 2700/9000, B 1080/9000 then 320/1000 (pooled 0.28 vs 0.14):
 * // [{ mean: 0.2, variance: 0.2833, n: 10000 }, { mean: 0.22, variance: 0.5733, n: 10000 }]
 */
export function periodWeightedArms(
  periods: readonly PeriodData[],
  metric: string,
  arms: readonly string[],
): Array<GaussianArm | BernoulliArm> {
  if (!Array.isArray(periods)) check.fail('periods', 'an array of periods', periods);
  if (typeof metric !== 'string' || metric === '') check.fail('metric', 'a metric name', metric);
  if (!Array.isArray(arms) || arms.length === 0) check.fail('arms', 'a non-empty array of variants', arms);
  if (new Set(arms).size !== arms.length) check.fail('arms', 'variants without repeats', arms.join(', '));

  const sumsByPeriod = periods.map((period, index) =>
    arms.map((variant): MetricSums | undefined => {
      const sums = period?.arms?.[variant]?.[metric];
      return sums === undefined
        ? undefined
        : checkMetricSums(`periods[${index}].arms.${variant}[${JSON.stringify(metric)}]`, sums);
    }),
  );
  const kind = metricKind(sumsByPeriod.flat().filter((sums): sums is MetricSums => sums !== undefined));
  // Alpha only shapes intervals, which are not used here.
  const usable = sumsByPeriod
    .map((row) => row.map((sums) => (sums === undefined ? undefined : armEstimate(kind, sums, 0.05))))
    .map((estimates, index) => ({ estimates, units: total(sumsByPeriod[index]!) }))
    .filter((period): period is { estimates: ArmEstimate[]; units: number } =>
      period.estimates.every(
        (estimate) => estimate !== undefined && estimate.value !== null && estimate.perUnitVariance !== null,
      ),
    );

  if (kind === 'proportion' && usable.length <= 1) {
    return arms.map((_, arm) => {
      const estimate = usable[0]?.estimates[arm];
      return { successes: estimate?.successes ?? 0, trials: estimate?.n ?? 0 };
    });
  }
  const allUnits = usable.reduce((sum, period) => sum + period.units, 0);
  return arms.map((_, arm): GaussianArm => {
    let mean = 0;
    let varianceOfMean = 0;
    let n = 0;
    for (const { estimates, units } of usable) {
      const estimate = estimates[arm]!;
      const share = units / allUnits;
      mean += share * estimate.value!;
      varianceOfMean += share ** 2 * (estimate.perUnitVariance! / estimate.n);
      n += estimate.n;
    }
    return { mean, variance: varianceOfMean * n, n };
  });
}

function total(row: ReadonlyArray<MetricSums | undefined>): number {
  return row.reduce((sum, sums) => sum + (sums?.units ?? 0), 0);
}
