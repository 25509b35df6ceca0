import normal from '@stdlib/stats-base-dists-normal';
import { describe, expect, it } from 'vitest';
import { createRng } from './create-rng.js';
import { sampleNormal } from './sample-normal.js';

describe('sampleNormal', () => {
  it('follows the standard normal (Kolmogorov–Smirnov at level 0.001)', () => {
    const rng = createRng(99);
    const draws = Array.from({ length: 20_000 }, () => sampleNormal(rng)).sort((left, right) => left - right);
    const distance = draws.reduce((largest, value, index) => {
      const at = normal.cdf(value, 0, 1);
      return Math.max(
        largest,
        Math.abs(at - index / draws.length),
        Math.abs(at - (index + 1) / draws.length),
      );
    }, 0);
    expect(distance).toBeLessThan(1.95 / Math.sqrt(draws.length));
  });

  it('stays finite when the rng returns 0', () => {
    expect(Number.isFinite(sampleNormal(() => 0))).toBe(true);
  });
});
