import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getBucketRanges } from './bucket-ranges.js';

describe('getBucketRanges', () => {
  it('keeps each range start when coverage grows, so included units never move', () => {
    const weights = [0.2, 0.3, 0.5];
    let previous = getBucketRanges(3, 0, weights);
    for (const coverage of [0.1, 0.25, 0.5, 0.9, 1]) {
      const ranges = getBucketRanges(3, coverage, weights);
      for (const [index, [start, end]] of ranges.entries()) {
        expect(start).toBe(previous[index]![0]);
        expect(end).toBeGreaterThanOrEqual(previous[index]![1]);
      }
      previous = ranges;
    }
    expect(previous).toEqual([
      [0, 0.2],
      [0.2, 0.5],
      [0.5, 1],
    ]);
  });

  it('scales each range by coverage from its start', () => {
    expect(getBucketRanges(2, 0.5)).toEqual([
      [0, 0.25],
      [0.5, 0.75],
    ]);
  });

  it('clamps coverage to [0, 1], reads undefined as 1 and NaN as 0', () => {
    expect(getBucketRanges(2, 7)).toEqual(getBucketRanges(2, 1));
    expect(getBucketRanges(2, -1)).toEqual(getBucketRanges(2, 0));
    expect(getBucketRanges(2)).toEqual(getBucketRanges(2, 1));
    expect(getBucketRanges(2, Number.NaN)).toEqual([
      [0, 0],
      [0.5, 0.5],
    ]);
  });

  it('falls back to equal weights for missing, mis-sized, badly summed or NaN weights', () => {
    const equal = getBucketRanges(2, 1);
    expect(getBucketRanges(2, 1, null)).toEqual(equal);
    expect(getBucketRanges(2, 1, [1])).toEqual(equal);
    expect(getBucketRanges(2, 1, [0.4, 0.4])).toEqual(equal);
    expect(getBucketRanges(2, 1, [0.7, 0.7])).toEqual(equal);
    expect(getBucketRanges(2, 1, [Number.NaN, 1])).toEqual(equal);
    expect(getBucketRanges(2, 1, [0.4, 0.605])).toEqual([
      [0, 0.4],
      [0.4, 1.005],
    ]);
  });

  it('returns no ranges for no variations', () => {
    expect(getBucketRanges(0)).toEqual([]);
  });

  it('gives disjoint, ordered ranges inside [0, 1] whose lengths are coverage times weight', () => {
    const split = fc
      .array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 10 })
      .filter((raw) => raw.some((weight) => weight > 0))
      .map((raw) => raw.map((weight) => weight / raw.reduce((sum, value) => sum + value, 0)));
    fc.assert(
      fc.property(split, fc.double({ min: 0, max: 1, noNaN: true }), (weights, coverage) => {
        const ranges = getBucketRanges(weights.length, coverage, weights);
        expect(ranges).toHaveLength(weights.length);
        for (const [index, [start, end]] of ranges.entries()) {
          expect(end - start).toBeCloseTo(coverage * weights[index]!, 12);
          expect(start).toBeGreaterThanOrEqual(index === 0 ? 0 : ranges[index - 1]![1] - 1e-12);
          expect(end).toBeLessThanOrEqual(1 + 1e-12);
        }
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});
