import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getBucketRanges } from './bucket-ranges.js';
import { chooseVariant } from './choose-variant.js';

describe('chooseVariant', () => {
  it('treats ranges as start-inclusive and end-exclusive', () => {
    const ranges: Array<[number, number]> = [
      [0, 0.5],
      [0.5, 1],
    ];
    expect(chooseVariant(0, ranges)).toBe(0);
    expect(chooseVariant(0.5, ranges)).toBe(1);
    expect(chooseVariant(1, ranges)).toBe(-1);
  });

  it('returns -1 outside every range and for no ranges', () => {
    expect(chooseVariant(0.3, [[0, 0.25]])).toBe(-1);
    expect(chooseVariant(0.3, [])).toBe(-1);
  });

  it('always finds the range holding n when coverage is full', () => {
    const weights = fc
      .array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 8 })
      .map((raw) => raw.map((weight) => weight / raw.reduce((sum, value) => sum + value, 0)));
    fc.assert(
      fc.property(weights, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (split, n) => {
        const ranges = getBucketRanges(split.length, 1, split);
        const index = chooseVariant(n, ranges);
        // Floating-point sums can leave the last range ending a hair below 1.
        if (n < ranges.at(-1)![1]) {
          expect(index).toBeGreaterThanOrEqual(0);
          expect(n).toBeGreaterThanOrEqual(ranges[index]![0]);
          expect(n).toBeLessThan(ranges[index]![1]);
        }
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});
