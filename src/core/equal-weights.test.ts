import { describe, expect, it } from 'vitest';
import { getEqualWeights } from './equal-weights.js';

describe('getEqualWeights', () => {
  it('splits 1 evenly between n variants', () => {
    expect(getEqualWeights(1)).toEqual([1]);
    expect(getEqualWeights(4)).toEqual([0.25, 0.25, 0.25, 0.25]);
    const thirds = getEqualWeights(3);
    expect(thirds).toHaveLength(3);
    expect(thirds.reduce((sum, weight) => sum + weight, 0)).toBeCloseTo(1, 12);
  });

  it('is empty below 1, for NaN, and rounds a fractional count down', () => {
    expect(getEqualWeights(0)).toEqual([]);
    expect(getEqualWeights(-2)).toEqual([]);
    expect(getEqualWeights(0.5)).toEqual([]);
    expect(getEqualWeights(Number.NaN)).toEqual([]);
    expect(getEqualWeights(2.7)).toEqual([0.5, 0.5]);
  });
});
