import { check } from './check.js';
import type { MetricSums } from './experiment-data.js';

/**
 * Validates one arm's sums of one metric, naming the offending field (`${field}.numeratorSquares`): counts
 * are whole numbers >= 0 with unitsWithData <= units, squares and the denominator are >= 0, the rest finite.
 */
export function checkMetricSums(field: string, sums: MetricSums): MetricSums {
  if (typeof sums !== 'object' || sums === null) check.fail(field, 'an object of metric sums', sums);
  check.integerAtLeast(`${field}.units`, sums.units, 0);
  check.integerAtLeast(`${field}.unitsWithData`, sums.unitsWithData, 0);
  if (sums.unitsWithData > sums.units) {
    check.fail(`${field}.unitsWithData`, `<= units (${sums.units})`, sums.unitsWithData);
  }
  check.finite(`${field}.numerator`, sums.numerator);
  check.nonNegative(`${field}.denominator`, sums.denominator);
  check.nonNegative(`${field}.numeratorSquares`, sums.numeratorSquares);
  check.nonNegative(`${field}.denominatorSquares`, sums.denominatorSquares);
  check.finite(`${field}.crossProducts`, sums.crossProducts);
  return sums;
}
