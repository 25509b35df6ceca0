import { describe, expect, it } from 'vitest';
import { createRng } from './create-rng.js';
import { thrownBy } from './expect-close.test-helper.js';

describe('createRng', () => {
  it('repeats the sequence for a seed and differs between seeds', () => {
    const first = createRng(42);
    const again = createRng(42);
    const other = createRng(43);
    const a = Array.from({ length: 5 }, () => first());
    expect(Array.from({ length: 5 }, () => again())).toEqual(a);
    expect(Array.from({ length: 5 }, () => other())).not.toEqual(a);
    // A Python transcription of mulberry32 (32-bit arithmetic by masking) gives the same first three values.
    expect(a.slice(0, 3)).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });

  it('draws uniformly from [0, 1)', () => {
    const rng = createRng(2024);
    const bins = new Array<number>(10).fill(0);
    const draws = 100_000;
    let outside = 0;
    for (let index = 0; index < draws; index += 1) {
      const value = rng();
      if (!(value >= 0 && value < 1)) outside += 1;
      else bins[Math.floor(value * 10)]! += 1;
    }
    expect(outside).toBe(0);
    // Pearson chi-square over 10 bins, 9 df: the 0.999 quantile is 27.88 (scipy.stats.chi2.ppf(0.999, 9)).
    const expected = draws / 10;
    const chiSquare = bins.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(27.88);
  });

  it('rejects a seed that is not a finite number', () => {
    expect(thrownBy(() => createRng(Number.NaN)).message).toMatch(/^seed /);
  });
});
