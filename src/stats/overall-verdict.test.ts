import { describe, expect, it } from 'vitest';
import type { ArmComparison, ComparisonVerdict } from './experiment-analysis.js';
import { overallVerdict } from './overall-verdict.js';

const comparison = (variant: string, verdict: ComparisonVerdict, diff: number | null): ArmComparison => ({
  variant,
  diff,
  diffCI: null,
  relativeLift: null,
  relativeLiftCI: null,
  pValue: null,
  adjustedPValue: null,
  chanceToBeatControl: null,
  verdict,
  method: 'test',
  power: null,
});

describe('overallVerdict', () => {
  it('picks the winning arm with the best difference in the metric direction', () => {
    const arms = [
      comparison('v2', 'significant win', 0.02),
      comparison('v3', 'significant win', 0.05),
      comparison('v4', 'significant loss', -0.1),
    ];
    expect(overallVerdict(arms, 'higher')).toEqual({ verdict: 'significant win', winner: 'v3' });
    const lower = [comparison('v2', 'significant win', -0.02), comparison('v3', 'significant win', -0.05)];
    expect(overallVerdict(lower, 'lower')).toEqual({ verdict: 'significant win', winner: 'v3' });
  });

  it('falls back to insufficient data, then loss, then no difference', () => {
    expect(
      overallVerdict(
        [comparison('v2', 'insufficient data', null), comparison('v3', 'significant loss', -1)],
        'higher',
      ),
    ).toEqual({ verdict: 'insufficient data', winner: null });
    expect(
      overallVerdict(
        [comparison('v2', 'significant loss', -1), comparison('v3', 'significant loss', -2)],
        'higher',
      ),
    ).toEqual({ verdict: 'significant loss', winner: null });
    expect(
      overallVerdict(
        [comparison('v2', 'significant loss', -1), comparison('v3', 'no significant difference', 0)],
        'higher',
      ),
    ).toEqual({ verdict: 'no significant difference', winner: null });
    expect(overallVerdict([], 'higher')).toEqual({ verdict: 'insufficient data', winner: null });
  });
});
