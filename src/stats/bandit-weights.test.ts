import { describe, expect, it } from 'vitest';
import { bernoulliSums, meanSums, periodOf, simpsonParadoxPeriods } from './analysis-fixtures.test-helper.js';
import { banditWeights } from './bandit-weights.js';
import { createRng } from './create-rng.js';
import { thrownBy } from './expect-close.test-helper.js';
import { thompsonWeights } from './thompson-weights.js';

// Shares of posterior draws are compared with exact probabilities within 0.01 (about four standard errors at
// 20 000 draws); the seeds make each run identical. Reference: B's period-weighted lead of 0.02 has standard
// error sqrt(2.8333e-5 + 5.7333e-5) = 0.0092556, so P(B best) = Φ(0.02 / 0.0092556) = 0.98465 (scipy 1.17).
const never = (): number => {
  throw new Error('rng must not be called');
};

describe('banditWeights', () => {
  it('picks the arm that is better in every period where pooling picks the worse one (Simpson’s paradox)', () => {
    const periods = simpsonParadoxPeriods('acceptance-rate');
    const pooled = thompsonWeights(
      [
        { successes: 2800, trials: 10_000 },
        { successes: 1400, trials: 10_000 },
      ],
      { draws: 20_000, minWeight: 0.01, rng: createRng(3) },
    );
    expect(pooled.weights[0]).toBeCloseTo(0.99, 6);

    const weighted = banditWeights({
      periods,
      metric: 'acceptance-rate',
      arms: ['A', 'B'],
      draws: 20_000,
      minWeight: 0,
      rng: createRng(3),
    });
    expect(weighted.inBurnIn).toBe(false);
    expect(Math.abs(weighted.weights.B! - 0.98465)).toBeLessThan(0.01);
    expect(weighted.weights.A! + weighted.weights.B!).toBeCloseTo(1, 12);
    expect(weighted.method).toContain('period-weighted');
  });

  it('prefers lower values for lower-is-better metrics, for rates and for means', () => {
    // error-rate: the Simpson periods again, now B's higher rate in every period is worse.
    const rates = banditWeights({
      periods: simpsonParadoxPeriods('error-rate'),
      metric: 'error-rate',
      arms: ['A', 'B'],
      draws: 20_000,
      minWeight: 0,
      rng: createRng(4),
    });
    expect(Math.abs(rates.weights.A! - 0.98465)).toBeLessThan(0.01);
    // mean-cost, one period: exact Bernoulli inputs are not used for means; the cheaper arm wins.
    const costs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const means = banditWeights({
      periods: [
        periodOf(0, 'mean-cost', { A: meanSums(costs), B: meanSums(costs.map((cost) => cost + 20)) }),
      ],
      metric: 'mean-cost',
      arms: ['A', 'B'],
      burnIn: 5,
      minWeight: 0.05,
      rng: createRng(5),
    });
    expect(means.weights).toEqual({ A: 0.95, B: expect.closeTo(0.05, 12) });
    // A single period of a rate uses the exact Beta posterior; the lower error rate wins.
    const single = banditWeights({
      periods: [periodOf(0, 'error-rate', { A: bernoulliSums(10, 200), B: bernoulliSums(60, 200) })],
      metric: 'error-rate',
      arms: ['A', 'B'],
      rng: createRng(6),
    });
    expect(single.weights.A).toBeCloseTo(0.99, 6);
  });

  it('gives failing arms no traffic and shares the rest among the others', () => {
    const periods = [
      periodOf(0, 'acceptance-rate', {
        v1: bernoulliSums(100, 1000),
        v2: bernoulliSums(200, 1000),
        v3: bernoulliSums(110, 1000),
      }),
    ];
    const result = banditWeights({
      periods,
      metric: 'acceptance-rate',
      arms: ['v1', 'v2', 'v3'],
      failingArms: ['v2'],
      minWeight: 0.01,
      draws: 20_000,
      rng: createRng(7),
    });
    expect(result.weights.v2).toBe(0);
    expect(result.bestArmProbabilities!.v2).toBe(0);
    expect(result.weights.v1! + result.weights.v3!).toBeCloseTo(1, 12);
    expect(result.weights.v3).toBeGreaterThan(result.weights.v1!);
    expect(result.method).toContain('weight 0 for failing arms v2');
  });

  it('keeps equal weights in burn-in, without data, and when every arm fails', () => {
    const small = [periodOf(0, 'acceptance-rate', { v1: bernoulliSums(1, 10), v2: bernoulliSums(9, 10) })];
    const burnIn = banditWeights({
      periods: small,
      metric: 'acceptance-rate',
      arms: ['v1', 'v2'],
      rng: never,
    });
    expect(burnIn).toMatchObject({
      weights: { v1: 0.5, v2: 0.5 },
      inBurnIn: true,
      bestArmProbabilities: null,
    });
    const empty = banditWeights({
      periods: [],
      metric: 'mean-cost',
      arms: ['v1', 'v2', 'v3'],
      burnIn: 0,
      rng: never,
    });
    expect(empty.weights).toEqual({ v1: 1 / 3, v2: 1 / 3, v3: 1 / 3 });
    expect(empty.inBurnIn).toBe(true);
    const failing = banditWeights({
      periods: small,
      metric: 'acceptance-rate',
      arms: ['v1', 'v2'],
      failingArms: ['v1', 'v2'],
      rng: never,
    });
    expect(failing).toMatchObject({ weights: { v1: 0.5, v2: 0.5 }, inBurnIn: false });
    expect(failing.method).toContain('every arm fails a guardrail');
  });

  it('rejects bad input naming the field', () => {
    const input = { periods: [], metric: 'acceptance-rate', arms: ['v1', 'v2'], rng: never };
    expect(thrownBy(() => banditWeights({ ...input, arms: [] })).message).toMatch(/^arms must be/);
    expect(thrownBy(() => banditWeights({ ...input, failingArms: ['v9'] })).message).toMatch(
      /^failingArms must be/,
    );
    const periods = simpsonParadoxPeriods('acceptance-rate');
    expect(
      thrownBy(() =>
        banditWeights({ ...input, periods, arms: ['A', 'B'], minWeight: 0.6, rng: createRng(1) }),
      ).message,
    ).toMatch(/^minWeight must be/);
  });
});
