/**
 * Sufficient statistics of one metric over one arm, summed over the arm's units (the randomisation units):
 * each unit contributes a numerator and a denominator (errors and runs, cost and accepted answers, ...), so
 * every metric is a ratio of per-unit sums and its variance follows from these six sums by the delta method.
 * A per-unit proportion has every denominator in {0, 1} and numerator in {0, 1}; a per-unit mean has
 * denominators in {0, 1}.
 */
export interface MetricSums {
  /** Units exposed to the arm in the range. */
  units: number;
  /** Units whose denominator is above zero: the sample counted against the minimum per arm. */
  unitsWithData: number;
  /** Sum over units of the unit's numerator. */
  numerator: number;
  /** Sum over units of the unit's denominator. */
  denominator: number;
  /** Sum over units of the numerator squared. */
  numeratorSquares: number;
  /** Sum over units of the denominator squared. */
  denominatorSquares: number;
  /** Sum over units of numerator times denominator. */
  crossProducts: number;
}

/** Latency of an arm's executed runs as a quantile function (from a mergeable sketch). */
export interface LatencyDistribution {
  /** Executed runs counted. */
  count: number;
  /** The latency at probability `p` in [0, 1] (milliseconds). */
  quantile(p: number): number;
}

/** What the store aggregates for one arm of an experiment. */
export interface ArmData {
  variant: string;
  /** Units exposed to this arm only (units seen in several arms are left out and counted apart). */
  units: number;
  /** Keyed by metric name (`error-rate`, `feedback:purchase`, ...). */
  metrics: Record<string, MetricSums>;
  /** Latency of the arm's executed runs, or null when it had none. */
  latency: LatencyDistribution | null;
}

/** One bandit period: the arms' sums for the units first exposed in it. */
export interface PeriodData {
  /** Period index from the range start: `floor((at - from) / periodMs)`. */
  index: number;
  /** Keyed by variant, then by metric name. */
  arms: Record<string, Record<string, MetricSums>>;
}

/** Everything an experiment's analysis reads, aggregated in the store. */
export interface ExperimentData {
  arms: ArmData[];
  /** Units exposed to more than one arm (left out of every arm). */
  multipleExposureUnits: number;
  /** Per-period sums when `periodMs` was asked for, ordered by index; periods without units are absent. */
  periods: PeriodData[];
}
