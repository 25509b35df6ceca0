import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from './create-rng.js';
import { thrownBy } from './expect-close.test-helper.js';
import { thompsonWeights } from './thompson-weights.js';

// Monte Carlo shares are compared with exact probabilities within 0.006, about four standard errors at
// 100 000 draws (sqrt(0.25 / 100 000) = 0.0016); the seed makes each run identical.
// References (scipy 1.17):
//   scipy.integrate.quad(lambda x: stats.beta.pdf(x, 41, 361) * stats.beta.sf(x, 61, 341), 0, 1) = 0.9835548478043105
//   stats.norm.cdf(0.1 / sqrt(4/100 + 4/100)) = 0.6381631950841185
//   three normals N(0, 0.1²), N(0.05, 0.1²), N(0.1, 0.2²): P(i is max) = quad(pdf_i(x) * prod_j≠i cdf_j(x), -3, 3)
//     = 0.1628932626668855, 0.3087798554237783, 0.5283268819093363
const never = (): number => {
  throw new Error('rng must not be called');
};

describe('thompsonWeights', () => {
  it('gives each Bernoulli arm its posterior probability of being best', () => {
    const result = thompsonWeights(
      [
        { successes: 40, trials: 400 },
        { successes: 60, trials: 400 },
      ],
      { draws: 100_000, minWeight: 0, rng: createRng(1) },
    );
    expect(result.inBurnIn).toBe(false);
    expect(Math.abs(result.bestArmProbabilities![1]! - 0.9835548478043105)).toBeLessThan(0.006);
    expect(result.weights).toEqual(result.bestArmProbabilities);
    expect(result.method).toContain('Thompson sampling');
  });

  it('gives each Gaussian arm its posterior probability of being best', () => {
    const two = thompsonWeights(
      [
        { mean: 1, variance: 4, n: 100 },
        { mean: 1.1, variance: 4, n: 100 },
      ],
      { draws: 100_000, minWeight: 0, rng: createRng(2) },
    );
    expect(Math.abs(two.weights[1]! - 0.6381631950841185)).toBeLessThan(0.006);

    const three = thompsonWeights(
      [
        { mean: 0, variance: 1, n: 100 },
        { mean: 0.05, variance: 1, n: 100 },
        { mean: 0.1, variance: 4, n: 100 },
      ],
      { draws: 100_000, minWeight: 0, rng: createRng(3) },
    );
    [0.1628932626668855, 0.3087798554237783, 0.5283268819093363].forEach((expected, index) => {
      expect(Math.abs(three.weights[index]! - expected)).toBeLessThan(0.006);
    });
  });

  it('floors a hopeless arm at minWeight and renormalises the rest', () => {
    const result = thompsonWeights(
      [
        { successes: 10, trials: 1000 },
        { successes: 100, trials: 1000 },
        { successes: 300, trials: 1000 },
      ],
      { minWeight: 0.05, rng: createRng(4) },
    );
    expect(result.bestArmProbabilities).toEqual([0, 0, 1]);
    expect(result.weights[0]).toBe(0.05);
    expect(result.weights[1]).toBe(0.05);
    expect(result.weights[2]).toBeCloseTo(0.9, 12);
  });

  it('keeps equal weights during burn-in without drawing', () => {
    const result = thompsonWeights(
      [
        { successes: 1, trials: 99 },
        { successes: 50, trials: 500 },
      ],
      { rng: never },
    );
    expect(result).toMatchObject({ weights: [0.5, 0.5], bestArmProbabilities: null, inBurnIn: true });
    const gaussian = thompsonWeights(
      [
        { mean: 1, variance: 1, n: 0 },
        { mean: 2, variance: 1, n: 300 },
      ],
      { burnIn: 10, rng: never },
    );
    expect(gaussian.weights).toEqual([0.5, 0.5]);
    const zeroBurnIn = thompsonWeights([{ successes: 0, trials: 0 }], { burnIn: 0, rng: createRng(5) });
    expect(zeroBurnIn.weights).toEqual([1]);
  });

  it('splits ties evenly and is deterministic for a seed', () => {
    const tied = thompsonWeights(
      [
        { mean: 1, variance: 0, n: 200 },
        { mean: 1, variance: 0, n: 200 },
      ],
      { draws: 100, rng: createRng(6) },
    );
    expect(tied.weights).toEqual([0.5, 0.5]);
    const arms = [
      { successes: 30, trials: 300 },
      { successes: 33, trials: 300 },
    ];
    expect(thompsonWeights(arms, { rng: createRng(7) })).toEqual(
      thompsonWeights(arms, { rng: createRng(7) }),
    );
  });

  it('rejects bad input naming the field', () => {
    const arms = [
      { successes: 1, trials: 200 },
      { successes: 2, trials: 200 },
    ];
    const rng = createRng(8);
    const cases: Array<[() => unknown, RegExp]> = [
      [() => thompsonWeights([], { rng }), /^arms /],
      [() => thompsonWeights(arms, { rng, minWeight: 0.6 }), /^minWeight /],
      [() => thompsonWeights(arms, { rng, minWeight: -0.1 }), /^minWeight /],
      [() => thompsonWeights(arms, { rng, draws: 0 }), /^draws /],
      [() => thompsonWeights(arms, { rng, burnIn: -1 }), /^burnIn /],
      [() => thompsonWeights(arms, { rng: 3 as never }), /^rng /],
      [() => thompsonWeights([{ successes: 5, trials: 4 }], { rng }), /^arms\[0\]\.successes /],
      [() => thompsonWeights([{ successes: 1, trials: -4 }], { rng }), /^arms\[0\]\.trials /],
      [() => thompsonWeights([arms[0]!, { mean: 1, variance: 1, n: 10 }], { rng }), /^arms\[1\] /],
      [() => thompsonWeights([{ mean: 1, variance: -1, n: 10 }], { rng }), /^arms\[0\]\.variance /],
      [() => thompsonWeights([{ mean: 1, variance: 1, n: 0 }], { rng, burnIn: 0 }), /^arms\[0\]\.n /],
    ];
    for (const [action, pattern] of cases) {
      const error = thrownBy(action);
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(pattern);
    }
  });

  it('returns weights that sum to 1 and respect minWeight', () => {
    const arm = fc
      .integer({ min: 0, max: 5000 })
      .chain((trials) =>
        fc.record({ successes: fc.integer({ min: 0, max: trials }), trials: fc.constant(trials) }),
      );
    fc.assert(
      fc.property(
        fc.array(arm, { minLength: 1, maxLength: 8 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer(),
        (arms, floorShare, burnIn, seed) => {
          const minWeight = floorShare / arms.length;
          const result = thompsonWeights(arms, { draws: 300, minWeight, burnIn, rng: createRng(seed) });
          const sum = result.weights.reduce((total, weight) => total + weight, 0);
          expect(Math.abs(sum - 1)).toBeLessThan(1e-9);
          for (const weight of result.weights) expect(weight).toBeGreaterThanOrEqual(minWeight - 1e-12);
        },
      ),
      { numRuns: 200 },
    );
  });
});
