import { createSeededRandom } from '../../testing/seeded-random.js';

/** The draws the simulated users make, all from one seeded generator. */
export interface DemoRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One item, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** A key of `weights`, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
  /** An index in [0, size) where low indexes are more popular (Zipf-like, exponent 1). */
  popular(size: number): number;
  /** Arrivals in one interval of a Poisson process with mean `mean`. */
  poisson(mean: number): number;
  /** A log-normal sample with the given median and shape. */
  logNormal(median: number, sigma: number): number;
  /** A normal sample. */
  normal(mean: number, sd: number): number;
}

/**
 * Creates the demo's random source from a seed (mulberry32 underneath), so the same `--seed` gives the
 * same users, inputs and feedback draws in the same order.
 *
 * @example
 * const random = createDemoRandom(7);
 * random.weighted({ v1: 1, v2: 3 }); // 'v2' three times out of four
 */
export function createDemoRandom(seed: number): DemoRandom {
  const uniform = createSeededRandom(seed);
  const normal = (mean: number, sd: number) => {
    // Box-Muller; 1 - u keeps the logarithm away from zero.
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    return mean + sd * radius * Math.cos(2 * Math.PI * uniform());
  };
  return {
    next: uniform,
    chance: (p) => uniform() < p,
    pick: (items) => items[Math.floor(uniform() * items.length)] as (typeof items)[number],
    weighted(weights) {
      const entries = Object.entries(weights) as Array<[keyof typeof weights, number]>;
      const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
      let draw = uniform() * total;
      for (const [key, weight] of entries) {
        draw -= weight;
        if (draw < 0) return key;
      }
      return (entries.at(-1) as [keyof typeof weights, number])[0];
    },
    popular(size) {
      // Inverse of the continuous 1/x law over [1, size + 1).
      return Math.min(size - 1, Math.floor((size + 1) ** uniform()) - 1);
    },
    poisson(mean) {
      if (mean <= 0) return 0;
      if (mean > 30) return Math.max(0, Math.round(normal(mean, Math.sqrt(mean))));
      const limit = Math.exp(-mean);
      let count = 0;
      let product = uniform();
      while (product > limit) {
        count++;
        product *= uniform();
      }
      return count;
    },
    logNormal: (median, sigma) => median * Math.exp(normal(0, sigma)),
    normal,
  };
}
