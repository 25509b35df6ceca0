import { describe, expect, it } from 'vitest';
import { compileFeature } from '../../core/compile-feature.js';
import { parseFeature } from '../../core/validate-feature.js';
import type { Assignment } from '../../store/store.js';
import { type AssignmentBackend, createExperimentAssignments } from './experiment-assignments.js';

const feature = (split: Record<string, number>, status: 'running' | 'paused' = 'running') =>
  compileFeature(
    parseFeature({
      key: 'coach-reply',
      defaultVariant: 'v1',
      variants: { v1: { type: 'handler' }, v2: { type: 'handler' } },
      rules: [{ id: 'split', split, hashAttribute: 'accountId', experiment: { key: 'coach-test', status } }],
    }),
  );

/** A shared backend as two processes would see it through one store. */
function memoryBackend() {
  const rows = new Map<string, Assignment>();
  const calls = { find: 0, assign: 0 };
  const backend: AssignmentBackend = {
    async find(experiment, unitId) {
      calls.find += 1;
      return rows.get(`${experiment}/${unitId}`);
    },
    async assignOnce(assignment) {
      calls.assign += 1;
      const key = `${assignment.experiment}/${assignment.unitId}`;
      if (!rows.has(key)) rows.set(key, assignment);
      return rows.get(key) as Assignment;
    },
  };
  return { backend, rows, calls };
}

const context = (accountId: string) => ({ attributes: { userId: 'ignored', accountId } });

describe('experiment assignments', () => {
  it('stores the first arm on the hash attribute and keeps it when weights move', async () => {
    const shared = memoryBackend();
    const assignments = createExperimentAssignments({
      backend: shared.backend,
      clock: () => 5,
      onError: () => {},
    });
    const first = await assignments.decide(feature({ v1: 1, v2: 1 }), context('acct-1'));
    expect(first.reason).toBe('SPLIT');
    expect(shared.rows.get('coach-test/acct-1')).toEqual({
      experiment: 'coach-test',
      unitId: 'acct-1',
      variant: first.variant,
      seed: 'coach-reply',
      at: 5,
    });
    const other = first.variant === 'v1' ? 'v2' : 'v1';
    const moved = feature({ [other]: 1, [first.variant]: 0.0001 });
    const again = await assignments.decide(moved, context('acct-1'));
    expect(again).toMatchObject({ variant: first.variant, reason: 'STICKY' });
    expect(assignments.decideKnown(moved, context('acct-1')).variant).toBe(first.variant);
  });

  it('serves the arm another process stored first, and finds it before deciding', async () => {
    const shared = memoryBackend();
    shared.rows.set('coach-test/acct-9', {
      experiment: 'coach-test',
      unitId: 'acct-9',
      variant: 'v2',
      seed: 'coach-reply',
      at: 1,
    });
    const process2 = createExperimentAssignments({
      backend: shared.backend,
      clock: () => 5,
      onError: () => {},
    });
    const onlyV1 = feature({ v1: 1, v2: 0.000001 });
    expect(await process2.decide(onlyV1, context('acct-9'))).toMatchObject({
      variant: 'v2',
      reason: 'STICKY',
    });
    // Paused: a stored unit keeps its arm even when this process never saw it.
    const process3 = createExperimentAssignments({
      backend: shared.backend,
      clock: () => 5,
      onError: () => {},
    });
    expect(await process3.decide(feature({ v1: 1, v2: 1 }, 'paused'), context('acct-9'))).toMatchObject({
      variant: 'v2',
      reason: 'STICKY',
    });
    expect(await process3.decide(feature({ v1: 1, v2: 1 }, 'paused'), context('acct-new'))).toMatchObject({
      reason: 'DEFAULT',
    });
  });

  it('ignores assignments under another seed and asks the backend once per known unit', async () => {
    const shared = memoryBackend();
    shared.rows.set('coach-test/acct-2', {
      experiment: 'coach-test',
      unitId: 'acct-2',
      variant: 'v2',
      seed: 'old-seed',
      at: 1,
    });
    const assignments = createExperimentAssignments({
      backend: shared.backend,
      clock: () => 5,
      onError: () => {},
    });
    const decision = await assignments.decide(feature({ v1: 1, v2: 0.000001 }), context('acct-2'));
    expect(decision).toMatchObject({ variant: 'v1', reason: 'SPLIT' });
    const fresh = createExperimentAssignments({ backend: shared.backend, clock: () => 5, onError: () => {} });
    await fresh.decide(feature({ v1: 1, v2: 1 }), context('acct-3'));
    const before = { ...shared.calls };
    for (let index = 0; index < 5; index += 1)
      await fresh.decide(feature({ v1: 1, v2: 1 }), context('acct-3'));
    expect(shared.calls).toEqual(before);
  });

  it('decides by weight when the backend fails, reporting the error', async () => {
    const errors: unknown[] = [];
    const failing: AssignmentBackend = {
      find: async () => {
        throw new Error('store down');
      },
      assignOnce: async () => {
        throw new Error('store down');
      },
    };
    const assignments = createExperimentAssignments({
      backend: failing,
      clock: () => 5,
      onError: (error) => errors.push(error),
    });
    const decision = await assignments.decide(feature({ v1: 1, v2: 1 }), context('acct-4'));
    expect(decision.reason).toBe('SPLIT');
    expect(errors).toHaveLength(2);
  });
});
