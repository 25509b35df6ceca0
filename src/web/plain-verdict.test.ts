import { describe, expect, it } from 'vitest';
import type { ExperimentAnalysis } from './api-types.js';
import { plainVerdict } from './plain-verdict.js';

type Comparison = ExperimentAnalysis['metrics'][number]['comparisons'][number];

function analysis(
  comparison: Partial<Comparison>,
  bandit: ExperimentAnalysis['bandit'] = null,
): ExperimentAnalysis {
  const full: Comparison = {
    variant: 'v2',
    diff: 0.1,
    diffCI: [-0.02, 0.22],
    relativeLift: 0.48,
    relativeLiftCI: [-0.1, 1.1],
    pValue: 0.11,
    adjustedPValue: 0.11,
    chanceToBeatControl: 0.95,
    verdict: 'no significant difference',
    method: '',
    power: { power: 0.22, sampleNeededPerArm: 507, remainingPerArm: 407, method: '' },
    ...comparison,
  };
  return {
    control: 'v1',
    alpha: 0.05,
    sequential: false,
    correction: 'holm',
    arms: [],
    multipleExposureUnits: 0,
    srm: null,
    metrics: [
      {
        metric: 'acceptance-rate',
        role: 'primary',
        direction: 'higher',
        kind: 'proportion',
        arms: [],
        comparisons: [full],
      },
    ],
    verdict: { verdict: full.verdict, winner: null },
    bandit,
  };
}

describe('plainVerdict', () => {
  it('says how far an inconclusive lead is from a verdict, and never more than the interval allows', () => {
    expect(plainVerdict(analysis({}))).toBe(
      'v2 looks better (+48 %), but not yet conclusive: about 407 more units per arm.',
    );
    expect(plainVerdict(analysis({ diff: -0.05, relativeLift: -0.2 }))).toBe(
      'v2 looks worse (-20 %), but not yet conclusive: about 407 more units per arm.',
    );
    expect(plainVerdict(analysis({ verdict: 'significant win', diffCI: [0.01, 0.19] }))).toBe(
      'v2 is better than v1 (+48 %): the interval excludes no difference.',
    );
    expect(plainVerdict(analysis({ verdict: 'insufficient data' }))).toBe(
      'Too early to tell: about 407 more units per arm before any verdict.',
    );
  });

  it('reads a bandit by its probability of being best and its stopping rule', () => {
    const arm = (variant: string, probabilityBest: number) => ({
      variant,
      n: 60,
      mean: 0.3,
      credibleInterval: [0.2, 0.4] as [number, number],
      probabilityBest,
      expectedLoss: 0.01,
      failing: false,
    });
    const bandit = (winner: string | null): ExperimentAnalysis['bandit'] => ({
      metric: 'acceptance-rate',
      arms: [arm('control', 0.05), arm('personalized-history', 0.71), arm('personalized', 0.24)],
      regret: 3,
      method: '',
      decision: { verdict: winner ? 'best arm found' : 'no best arm yet', winner, rule: 'rule' },
    });
    expect(plainVerdict(analysis({ verdict: 'significant win' }, bandit(null)))).toBe(
      'personalized-history leads with 71 % probability of being best, not yet decided: a bandit stops at 95 % at two looks in a row, with every arm at its minimum units.',
    );
    expect(plainVerdict(analysis({}, bandit('personalized-history')))).toBe(
      'personalized-history is the best arm (71 % probability of being best), by the stopping rule.',
    );
  });
});
