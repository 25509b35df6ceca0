import { describe, expect, it } from 'vitest';
import type { ExperimentAnalysis } from './api-types.js';
import { reviewPromotion } from './promote-concerns.js';

type Metric = ExperimentAnalysis['metrics'][number];
type Comparison = Metric['comparisons'][number];

const comparison = (verdict: Comparison['verdict'], relativeLift: number, power?: number): Comparison => ({
  variant: 'v2',
  diff: relativeLift,
  diffCI: null,
  relativeLift,
  relativeLiftCI: null,
  pValue: 0.01,
  adjustedPValue: 0.01,
  chanceToBeatControl: 0.99,
  verdict,
  method: '',
  power: power === undefined ? null : { power, sampleNeededPerArm: 900, remainingPerArm: 700, method: '' },
});

const metric = (name: string, role: Metric['role'], entry: Comparison): Metric => ({
  metric: name,
  role,
  direction: 'higher',
  kind: 'proportion',
  arms: [],
  comparisons: [entry],
});

function analysis(metrics: Metric[]): ExperimentAnalysis {
  return {
    control: 'v1',
    alpha: 0.05,
    sequential: false,
    correction: 'holm',
    arms: [],
    multipleExposureUnits: 0,
    srm: null,
    metrics,
    verdict: {
      verdict: metrics[0]!.comparisons[0]!.verdict,
      winner: metrics[0]!.comparisons[0]!.verdict === 'significant win' ? 'v2' : null,
    },
    bandit: null,
  };
}

describe('reviewPromotion', () => {
  it('does not pre-select an underpowered winner and lists its guardrail losses first', () => {
    const underpowered = analysis([
      metric('acceptance-rate', 'primary', comparison('significant win', 0.48, 0.22)),
      metric('mean-cost', 'secondary', comparison('significant loss', 0.9)),
      metric('p95-latency', 'guardrail', comparison('significant loss', 10.43)),
    ]);
    expect(reviewPromotion(underpowered, 'v2', 0.8)).toEqual({
      preselect: null,
      concerns: [
        'p95-latency (guardrail): significant loss, +1,043 %',
        'mean-cost (secondary): significant loss, +90 %',
        'acceptance-rate (primary): power 22 %, below the planned 80 %',
      ],
    });
    expect(reviewPromotion(underpowered, 'v1', 0.8).concerns).toEqual([]);
  });

  it('pre-selects a well-powered winner with no loss, and warns about promoting an inconclusive arm', () => {
    const clear = analysis([metric('acceptance-rate', 'primary', comparison('significant win', 0.2, 0.91))]);
    expect(reviewPromotion(clear, 'v2', 0.8)).toEqual({ preselect: 'v2', concerns: [] });
    const open = analysis([
      metric('acceptance-rate', 'primary', comparison('no significant difference', 0.2, 0.5)),
    ]);
    expect(reviewPromotion(open, 'v2', 0.8).concerns).toEqual([
      'acceptance-rate (primary): no significant difference',
      'acceptance-rate (primary): power 50 %, below the planned 80 %',
    ]);
    expect(reviewPromotion(null, 'v2', 0.8).concerns).toEqual([
      'no results yet: nothing is known about any arm',
    ]);
  });
});
