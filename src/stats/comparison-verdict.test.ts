import { describe, expect, it } from 'vitest';
import { comparisonVerdict, type VerdictInput } from './comparison-verdict.js';

const base: VerdictInput = {
  controlN: 100,
  treatmentN: 100,
  minSamplePerArm: 30,
  pValue: 0.01,
  diff: 0.05,
  alpha: 0.05,
  direction: 'higher',
};

describe('comparisonVerdict', () => {
  it('reads the sign of the difference against the direction', () => {
    expect(comparisonVerdict(base)).toBe('significant win');
    expect(comparisonVerdict({ ...base, diff: -0.05 })).toBe('significant loss');
    expect(comparisonVerdict({ ...base, direction: 'lower' })).toBe('significant loss');
    expect(comparisonVerdict({ ...base, direction: 'lower', diff: -0.05 })).toBe('significant win');
  });

  it('needs p < alpha strictly and a nonzero difference', () => {
    expect(comparisonVerdict({ ...base, pValue: 0.05 })).toBe('no significant difference');
    expect(comparisonVerdict({ ...base, pValue: 0.0499 })).toBe('significant win');
    expect(comparisonVerdict({ ...base, diff: 0 })).toBe('no significant difference');
  });

  it('waits for minSamplePerArm in both arms and for a p-value', () => {
    expect(comparisonVerdict({ ...base, controlN: 29 })).toBe('insufficient data');
    expect(comparisonVerdict({ ...base, treatmentN: 29 })).toBe('insufficient data');
    expect(comparisonVerdict({ ...base, controlN: 30, treatmentN: 30 })).toBe('significant win');
    expect(comparisonVerdict({ ...base, pValue: null })).toBe('insufficient data');
    expect(comparisonVerdict({ ...base, diff: null })).toBe('insufficient data');
  });
});
