import beta from '@stdlib/stats-base-dists-beta';
import { describe, expect, it } from 'vitest';
import { createRng } from './create-rng.js';
import { thrownBy } from './expect-close.test-helper.js';
import { sampleBeta } from './sample-beta.js';

/** Kolmogorov–Smirnov distance between sorted draws and a CDF. */
function ksDistance(draws: number[], cdf: (x: number) => number): number {
  const sorted = [...draws].sort((left, right) => left - right);
  return sorted.reduce((largest, value, index) => {
    const at = cdf(value);
    return Math.max(
      largest,
      Math.abs(at - index / sorted.length),
      Math.abs(at - (index + 1) / sorted.length),
    );
  }, 0);
}

// The KS critical value at level 0.001 is about 1.95 / sqrt(n) (asymptotic Kolmogorov distribution).
const DRAWS = 20_000;
const CRITICAL = 1.95 / Math.sqrt(DRAWS);

describe('sampleBeta', () => {
  for (const [alpha, shape] of [
    [2, 3],
    [0.5, 0.5],
    [41, 361],
    [0.3, 7],
  ] as const) {
    it(`follows Beta(${alpha}, ${shape})`, () => {
      const rng = createRng(alpha * 1000 + shape);
      const draws = Array.from({ length: DRAWS }, () => sampleBeta(alpha, shape, rng));
      expect(draws.every((value) => value >= 0 && value <= 1)).toBe(true);
      expect(ksDistance(draws, (x) => beta.cdf(x, alpha, shape))).toBeLessThan(CRITICAL);
    });
  }

  it('refuses an rng that makes Marsaglia–Tsang reject forever', () => {
    const error = thrownBy(() => sampleBeta(2, 3, () => 0));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/^rng/);
  });
});
