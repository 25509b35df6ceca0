import { describe, expect, it } from 'vitest';
import { rampLabel } from './ramp-label.js';

describe('rampLabel', () => {
  const steps = [1, 5, 10, 25, 50, 100];

  it('counts steps from 1 and shows the coverage the step gives', () => {
    expect(rampLabel({ steps, step: 1, status: 'running' })).toBe('ramp step 2/6 (5 %) running');
    expect(rampLabel({ steps, step: 2, status: 'paused' })).toBe('ramp step 3/6 (10 %) paused');
    expect(rampLabel({ steps: [0.5, 100], step: 0, status: 'halted' })).toBe('ramp step 1/2 (0.5 %) halted');
  });

  it('shows the last step once done and no coverage once rolled back', () => {
    expect(rampLabel({ steps, step: 3, status: 'done' })).toBe('ramp step 6/6 (100 %) done');
    expect(rampLabel({ steps, step: 3, status: 'rolled-back' })).toBe('ramp step 4/6 (0 %) rolled-back');
  });
});
