import type { ArmData, LatencyDistribution, MetricSums, PeriodData } from './experiment-data.js';

/** Sums of one arm from each unit's [numerator, denominator]; `extraUnits` exposed units add nothing. */
export function sumsFromUnits(units: ReadonlyArray<readonly [number, number]>, extraUnits = 0): MetricSums {
  const sums: MetricSums = {
    units: units.length + extraUnits,
    unitsWithData: 0,
    numerator: 0,
    denominator: 0,
    numeratorSquares: 0,
    denominatorSquares: 0,
    crossProducts: 0,
  };
  for (const [numerator, denominator] of units) {
    if (denominator > 0) sums.unitsWithData += 1;
    sums.numerator += numerator;
    sums.denominator += denominator;
    sums.numeratorSquares += numerator ** 2;
    sums.denominatorSquares += denominator ** 2;
    sums.crossProducts += numerator * denominator;
  }
  return sums;
}

/** Sums of a per-unit conversion: `successes` of `n` units converted. */
export function bernoulliSums(successes: number, n: number, extraUnits = 0): MetricSums {
  return {
    units: n + extraUnits,
    unitsWithData: n,
    numerator: successes,
    denominator: n,
    numeratorSquares: successes,
    denominatorSquares: n,
    crossProducts: successes,
  };
}

/** Sums of a per-unit mean: each value is one unit's numerator with denominator 1. */
export function meanSums(values: readonly number[], extraUnits = 0): MetricSums {
  return sumsFromUnits(
    values.map((value) => [value, 1] as const),
    extraUnits,
  );
}

/** Exact quantiles of the runs by linear interpolation between order statistics (numpy's default, R type 7). */
export function latencyOf(runs: readonly number[]): LatencyDistribution {
  const sorted = [...runs].sort((left, right) => left - right);
  return {
    count: sorted.length,
    quantile(p: number): number {
      const position = (sorted.length - 1) * p;
      const below = Math.floor(position);
      const above = Math.min(below + 1, sorted.length - 1);
      return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
    },
  };
}

/** An arm with the given metrics and no latency unless given. */
export function arm(
  variant: string,
  units: number,
  metrics: Record<string, MetricSums>,
  latency: LatencyDistribution | null = null,
): ArmData {
  return { variant, units, metrics, latency };
}

/** One bandit period with one metric's sums per variant. */
export function periodOf(index: number, metric: string, arms: Record<string, MetricSums>): PeriodData {
  return {
    index,
    arms: Object.fromEntries(Object.entries(arms).map(([variant, sums]) => [variant, { [metric]: sums }])),
  };
}

/**
 * Simpson's paradox in two bandit periods: B converts better than A in both (0.12 > 0.10, then 0.32 > 0.30),
 * but the bandit sent most of B's traffic in the poor first period and most of A's in the good second one,
 * so pooled over periods B (1 400 / 10 000 = 0.14) looks far worse than A (2 800 / 10 000 = 0.28).
 */
export function simpsonParadoxPeriods(metric: string): PeriodData[] {
  return [
    periodOf(0, metric, { A: bernoulliSums(100, 1000), B: bernoulliSums(1080, 9000) }),
    periodOf(1, metric, { A: bernoulliSums(2700, 9000), B: bernoulliSums(320, 1000) }),
  ];
}
