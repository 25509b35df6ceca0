import { describe, expect, it } from 'vitest';
import { jsonSafe } from './json-safe.js';

describe('jsonSafe', () => {
  it('keeps finite numbers and turns everything else into null', () => {
    expect(jsonSafe.number(0.5)).toBe(0.5);
    expect(jsonSafe.number(-0)).toBe(-0);
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null, undefined]) {
      expect(jsonSafe.number(value)).toBeNull();
    }
  });

  it('keeps intervals with two finite ends only', () => {
    expect(jsonSafe.interval([1, 2])).toEqual([1, 2]);
    expect(jsonSafe.interval([1, Number.POSITIVE_INFINITY])).toBeNull();
    expect(jsonSafe.interval([Number.NaN, 2])).toBeNull();
    expect(jsonSafe.interval(null)).toBeNull();
  });
});
