import type { MetricSums } from '../../src/stats/index.js';

/** The sums of a per-unit conversion metric: `successes` of `trials` units converted, every unit with data. */
export function conversionSums(successes: number, trials: number): MetricSums {
  return {
    units: trials,
    unitsWithData: trials,
    numerator: successes,
    denominator: trials,
    numeratorSquares: successes,
    denominatorSquares: trials,
    crossProducts: successes,
  };
}
