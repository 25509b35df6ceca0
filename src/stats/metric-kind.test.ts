import { describe, expect, it } from 'vitest';
import { bernoulliSums, meanSums, sumsFromUnits } from './analysis-fixtures.test-helper.js';
import { metricKind } from './metric-kind.js';

describe('metricKind', () => {
  it('reads proportions, means and ratios from the sums of every arm', () => {
    expect(metricKind([bernoulliSums(3, 10), bernoulliSums(0, 5, 2)])).toBe('proportion');
    expect(metricKind([meanSums([0.5, 2, 3]), bernoulliSums(3, 10)])).toBe('mean');
    expect(
      metricKind([
        sumsFromUnits([
          [1, 2],
          [3, 1],
        ]),
        bernoulliSums(3, 10),
      ]),
    ).toBe('ratio');
  });

  it('does not call a mean of values 0 and 1 whose numerator exceeds the units a proportion', () => {
    // Two units with numerator 1 each but only one counted with data: not a per-unit conversion.
    expect(metricKind([{ ...bernoulliSums(2, 2), unitsWithData: 1 }])).toBe('mean');
    expect(metricKind([{ ...bernoulliSums(2, 2), numerator: 2.5, numeratorSquares: 2.5 }])).toBe('mean');
  });

  it('treats arms without data as fitting any kind', () => {
    expect(metricKind([bernoulliSums(0, 0), bernoulliSums(4, 9)])).toBe('proportion');
    expect(metricKind([])).toBe('proportion');
  });
});
