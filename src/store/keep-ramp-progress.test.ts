import { describe, expect, it } from 'vitest';
import { parseFeature } from '../core/validate-feature.js';
import { keepRampProgress } from './keep-ramp-progress.js';

const feature = (ramp: Record<string, unknown>) =>
  parseFeature({
    key: 'persona',
    defaultVariant: 'legacy',
    variants: { legacy: { type: 'handler' }, qloo: { type: 'handler' } },
    rules: [{ id: 'rollout', split: { qloo: 1 }, ramp }],
  });

describe('keepRampProgress', () => {
  const stored = feature({
    steps: [5, 25, 100],
    status: 'halted',
    step: 1,
    startedAt: 10,
    stepStartedAt: 20,
    reason: 'p95',
  });

  it('keeps the stored progress when a file gives the same plan at its start', () => {
    const rules = keepRampProgress(stored, feature({ steps: [5, 25, 100], minSamplesPerStep: 50 }).rules);
    expect(rules[0]).toMatchObject({
      ramp: {
        steps: [5, 25, 100],
        minSamplesPerStep: 50,
        status: 'halted',
        step: 1,
        startedAt: 10,
        stepStartedAt: 20,
        reason: 'p95',
      },
    });
  });

  it('lets a file with other steps or a state of its own replace the ramp', () => {
    const otherSteps = keepRampProgress(stored, feature({ steps: [10, 100] }).rules);
    expect(otherSteps[0]).toMatchObject({ ramp: { steps: [10, 100], status: 'running', step: 0 } });
    expect(otherSteps[0]).not.toHaveProperty('ramp.startedAt');
    const ownState = keepRampProgress(stored, feature({ steps: [5, 25, 100], status: 'paused' }).rules);
    expect(ownState[0]).toMatchObject({ ramp: { status: 'paused', step: 0 } });
  });
});
