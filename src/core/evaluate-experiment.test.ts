import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFeature } from './compile-feature.js';
import { evaluate } from './evaluate.js';
import { parseFeature } from './validate-feature.js';

const experimentFeature = (
  status: 'running' | 'paused',
  split: Record<string, number> = { v1: 50, v2: 50 },
) =>
  compileFeature(
    parseFeature({
      key: 'coach-reply',
      version: 4,
      defaultVariant: 'v1',
      variants: { v1: { type: 'handler' }, v2: { type: 'handler' }, v3: { type: 'handler' } },
      rules: [
        {
          id: 'experiment',
          when: { tier: 'paid' },
          split,
          experiment: { key: 'coach-test', status },
        },
      ],
    }),
  );

describe('evaluate with experiment assignments', () => {
  it('keeps an assigned unit in its arm whatever the weights, with reason STICKY', () => {
    const allOnV1 = experimentFeature('running', { v1: 1, v2: 0.0001 });
    const decision = evaluate(allOnV1, {
      attributes: { userId: 'u-1', tier: 'paid' },
      assignments: { 'coach-test': 'v2' },
    });
    expect(decision).toMatchObject({ variant: 'v2', reason: 'STICKY', ruleId: 'experiment' });
  });

  it('still applies targeting before the assignment', () => {
    const decision = evaluate(experimentFeature('running'), {
      attributes: { userId: 'u-1', tier: 'free' },
      assignments: { 'coach-test': 'v2' },
    });
    expect(decision).toMatchObject({ variant: 'v1', reason: 'DEFAULT' });
  });

  it('releases units of an arm that left the split or whose weight went to 0', () => {
    const withoutV2 = experimentFeature('running', { v1: 50, v3: 50 });
    const zeroV2 = experimentFeature('running', { v1: 50, v2: 0, v3: 50 });
    for (const compiled of [withoutV2, zeroV2]) {
      const decision = evaluate(compiled, {
        attributes: { userId: 'u-1', tier: 'paid' },
        assignments: { 'coach-test': 'v2' },
      });
      expect(decision.reason).toBe('SPLIT');
      expect(decision.variant).not.toBe('v2');
    }
  });

  it('while paused serves assigned units their arm and lets new units fall through', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.constantFrom('v1', 'v2'), (user, arm) => {
        const paused = experimentFeature('paused');
        const assigned = evaluate(paused, {
          attributes: { userId: user, tier: 'paid' },
          assignments: { 'coach-test': arm },
        });
        expect(assigned).toMatchObject({ variant: arm, reason: 'STICKY' });
        const fresh = evaluate(paused, { attributes: { userId: user, tier: 'paid' } });
        expect(fresh).toMatchObject({ variant: 'v1', reason: 'DEFAULT', ruleId: null });
      }),
    );
  });

  it('ignores assignments of other experiments and answers ERROR for malformed ones', () => {
    const compiled = experimentFeature('running');
    const other = evaluate(compiled, {
      attributes: { userId: 'u-1', tier: 'paid' },
      assignments: { 'another-test': 'v2' },
    });
    expect(other.reason).toBe('SPLIT');
    const malformed = evaluate(compiled, {
      attributes: { userId: 'u-1', tier: 'paid' },
      assignments: 'v2' as never,
    });
    expect(malformed).toMatchObject({ reason: 'ERROR', errorCode: 'INVALID_CONTEXT', variant: 'v1' });
  });
});
