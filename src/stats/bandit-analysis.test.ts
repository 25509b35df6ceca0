import beta from '@stdlib/stats-base-dists-beta';
import { describe, expect, it } from 'vitest';
import { bernoulliSums, periodOf, simpsonParadoxPeriods } from './analysis-fixtures.test-helper.js';
import {
  BANDIT_STOPPING_RULE,
  type BanditSnapshot,
  banditDecision,
  banditSnapshot,
} from './bandit-analysis.js';
import { betaGreaterProbability } from './beta-greater-probability.js';
import { createRng } from './create-rng.js';

const twoArms = [periodOf(0, 'acceptance-rate', { a: bernoulliSums(40, 400), b: bernoulliSums(60, 400) })];

describe('banditSnapshot', () => {
  it('gives each arm its probability of being best, credible interval, expected loss and the regret', () => {
    const snapshot = banditSnapshot({
      periods: twoArms,
      metric: 'acceptance-rate',
      arms: ['a', 'b'],
      alpha: 0.05,
      rng: createRng(3),
    });
    const [a, b] = snapshot.arms;
    // Exact P(b > a) for Beta(61, 341) against Beta(41, 361) (Miller's sum); 20,000 draws land within 0.01.
    const exact = betaGreaterProbability({ alpha: 41, beta: 361 }, { alpha: 61, beta: 341 }, 10_000)!;
    expect(Math.abs(b!.probabilityBest - exact)).toBeLessThan(0.01);
    expect(a!.probabilityBest + b!.probabilityBest).toBeCloseTo(1, 9);
    expect(b!.mean).toBeCloseTo(61 / 402, 12);
    // The credible interval is the Beta posterior's central 95 %.
    expect(b!.credibleInterval![0]).toBeCloseTo(beta.quantile(0.025, 61, 341), 2);
    expect(b!.credibleInterval![1]).toBeCloseTo(beta.quantile(0.975, 61, 341), 2);
    expect(a!.expectedLoss!).toBeGreaterThan(b!.expectedLoss!);
    expect(b!.expectedLoss!).toBeLessThan(0.001);
    expect(a!.expectedLoss!).toBeGreaterThan(0.04);
    // Regret: a's 400 units times the posterior means' gap, (61 - 41) / 402 each.
    expect(snapshot.regret).toBeCloseTo((400 * 20) / 402, 9);
    expect(snapshot.method).toContain('period-weighted');
  });

  it('prefers the lower value for lower-is-better metrics and leaves failing arms out', () => {
    const errors = [
      periodOf(0, 'error-rate', {
        a: bernoulliSums(10, 200),
        b: bernoulliSums(60, 200),
        c: bernoulliSums(5, 200),
      }),
    ];
    const snapshot = banditSnapshot({
      periods: errors,
      metric: 'error-rate',
      arms: ['a', 'b', 'c'],
      failingArms: ['c'],
      alpha: 0.05,
      rng: createRng(5),
    });
    expect(snapshot.arms.map((arm) => [arm.variant, arm.failing])).toEqual([
      ['a', false],
      ['b', false],
      ['c', true],
    ]);
    expect(snapshot.arms[0]!.probabilityBest).toBeGreaterThan(0.999);
    expect(snapshot.arms[2]).toMatchObject({ probabilityBest: 0, mean: null, expectedLoss: null });
  });

  it('judges arms on period-weighted estimates, not pooled ones (Simpson’s paradox)', () => {
    const snapshot = banditSnapshot({
      periods: simpsonParadoxPeriods('acceptance-rate'),
      metric: 'acceptance-rate',
      arms: ['A', 'B'],
      alpha: 0.05,
      rng: createRng(7),
    });
    expect(snapshot.arms[1]!.probabilityBest).toBeGreaterThan(0.5);
  });

  it('summarises nothing while an arm has no data', () => {
    const snapshot = banditSnapshot({
      periods: [],
      metric: 'acceptance-rate',
      arms: ['a', 'b'],
      alpha: 0.05,
      rng: createRng(1),
    });
    expect(snapshot.regret).toBeNull();
    expect(snapshot.arms.every((arm) => arm.mean === null && arm.probabilityBest === 0)).toBe(true);
  });
});

describe('banditDecision', () => {
  const snapshot = (probabilities: Record<string, number>, n = 500): BanditSnapshot => ({
    metric: 'acceptance-rate',
    arms: Object.entries(probabilities).map(([variant, probabilityBest]) => ({
      variant,
      n,
      mean: 0.1,
      credibleInterval: [0.08, 0.12],
      probabilityBest,
      expectedLoss: 0,
      failing: false,
    })),
    regret: 0,
    method: '',
  });

  it('declares a best arm only at P(best) >= 95 % at the last two looks with every arm at the minimum', () => {
    const now = snapshot({ a: 0.02, b: 0.97, c: 0.01 });
    expect(banditDecision(now, snapshot({ a: 0.03, b: 0.96, c: 0.01 }), 100)).toEqual({
      verdict: 'best arm found',
      winner: 'b',
      rule: BANDIT_STOPPING_RULE,
    });
    // One lucky look is not enough; neither is a first look, nor too few units.
    expect(banditDecision(now, snapshot({ a: 0.1, b: 0.88, c: 0.02 }), 100).verdict).toBe('no best arm yet');
    expect(banditDecision(now, null, 100).verdict).toBe('no best arm yet');
    expect(
      banditDecision(snapshot({ a: 0.02, b: 0.98 }, 60), snapshot({ a: 0.02, b: 0.98 }, 50), 100),
    ).toEqual({
      verdict: 'no best arm yet',
      winner: null,
      rule: BANDIT_STOPPING_RULE,
    });
  });
});
