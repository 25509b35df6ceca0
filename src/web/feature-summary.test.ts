import { describe, expect, it } from 'vitest';
import { effectiveCoverage, featureState, splitSummary } from './feature-summary.js';

describe('feature summaries', () => {
  it('reads the serving state, a kill winning over the master switch', () => {
    expect(featureState({ enabled: true })).toBe('enabled');
    expect(featureState({ enabled: false })).toBe('disabled');
    expect(featureState({ enabled: false, killed: true })).toBe('killed');
  });

  it('gives each variant its share and the coverage, the ramp step replacing coverage', () => {
    expect(splitSummary({ split: { v1: 1, v2: 3 }, coverage: 0.5 })).toBe(
      'v1 25 % · v2 75 % — coverage 50 %',
    );
    const ramp = {
      steps: [1, 5, 10],
      step: 1,
      status: 'running' as const,
      minMinutesPerStep: 10,
      minSamplesPerStep: 100,
    };
    expect(effectiveCoverage({ coverage: 1, ramp })).toBe(0.05);
    expect(splitSummary({ split: { v1: 0, v2: 0 }, coverage: 1, ramp })).toBe(
      'v1 0 % · v2 0 % — coverage 5 %',
    );
  });
});
