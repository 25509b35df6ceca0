import { describe, expect, it } from 'vitest';
import { bernoulliSums } from './analysis-fixtures.test-helper.js';
import { checkMetricSums } from './check-metric-sums.js';
import { thrownBy } from './expect-close.test-helper.js';
import type { MetricSums } from './experiment-data.js';

describe('checkMetricSums', () => {
  it('returns valid sums, including negative numerators and cross products', () => {
    const sums = { ...bernoulliSums(3, 10), numerator: -2, crossProducts: -2 };
    expect(checkMetricSums('m', sums)).toBe(sums);
  });

  it('names the bad field', () => {
    const cases: Array<[Partial<MetricSums>, string]> = [
      [{ units: 1.5 }, 'm.units'],
      [{ unitsWithData: -1 }, 'm.unitsWithData'],
      [{ unitsWithData: 11 }, 'm.unitsWithData'],
      [{ numerator: Number.NaN }, 'm.numerator'],
      [{ denominator: -1 }, 'm.denominator'],
      [{ numeratorSquares: Number.POSITIVE_INFINITY }, 'm.numeratorSquares'],
      [{ denominatorSquares: -3 }, 'm.denominatorSquares'],
      [{ crossProducts: Number.NaN }, 'm.crossProducts'],
    ];
    for (const [change, field] of cases) {
      const error = thrownBy(() => checkMetricSums('m', { ...bernoulliSums(3, 10), ...change }));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message.startsWith(`${field} must be`), error.message).toBe(true);
    }
    expect(thrownBy(() => checkMetricSums('m', null as unknown as MetricSums)).message).toMatch(/^m must be/);
  });
});
