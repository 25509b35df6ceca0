import { describe, expect, it } from 'vitest';
import {
  AlreadyExistsError,
  ExperimentNotFoundError,
  FeatureNotFoundError,
  InvalidConfigError,
  VersionConflictError,
} from '../core/errors.js';
import {
  type ExperimentConfig,
  type ExperimentConfigInput,
  experimentConfigSchema,
} from '../core/experiment-config.js';
import { experimentDataCases } from './experiments/experiment-data.case.js';
import { START_TIME, type StoreHarness, testFeature } from './store-harness.case.js';

const alice = { actor: 'alice', reason: 'test the new prompt' };

/** A valid experiment config (parsed by the real schema) on `feature`, plus any overrides. */
export function testExperiment(
  key: string,
  feature = 'coach-reply',
  overrides: Partial<ExperimentConfigInput> = {},
): ExperimentConfig {
  return experimentConfigSchema.parse({ key, feature, primaryMetric: 'acceptance-rate', ...overrides });
}

/** Contract cases for experiments and sticky assignments, then for `experimentData`. */
export function experimentCases(harness: StoreHarness): void {
  describe('experiments', () => {
    it('creates a draft at version 1, audited, and reads and lists it', async () => {
      const config = testExperiment('tone-test', 'coach-reply', {
        hypothesis: 'Warmer answers are accepted more 🙂',
      });
      const created = await harness.store.createExperiment(config, alice);
      expect(created).toEqual({
        key: 'tone-test',
        feature: 'coach-reply',
        config,
        status: 'draft',
        version: 1,
        createdAt: START_TIME,
        updatedAt: START_TIME,
        startedAt: null,
        endedAt: null,
        winner: null,
        weightHistory: [],
      });
      expect(await harness.store.getExperiment('tone-test')).toEqual(created);
      expect(await harness.store.getExperiment('missing')).toBeUndefined();
      const [entry] = (await harness.store.listAudit()).entries;
      expect(entry).toMatchObject({
        action: 'experiment.create',
        target: 'experiment:tone-test',
        actor: 'alice',
        reason: 'test the new prompt',
        before: null,
        after: created,
      });
    });

    it('refuses a key twice, and an experiment without key or feature', async () => {
      const created = await harness.store.createExperiment(testExperiment('dup'), alice);
      const again = harness.store.createExperiment(testExperiment('dup', 'persona'), alice);
      await expect(again).rejects.toBeInstanceOf(AlreadyExistsError);
      expect(await harness.store.getExperiment('dup')).toEqual(created);
      const racing = await Promise.allSettled(
        Array.from({ length: 4 }, () => harness.store.createExperiment(testExperiment('raced'), alice)),
      );
      expect(racing.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
      for (const attempt of racing.filter((each) => each.status === 'rejected')) {
        expect(attempt.reason).toBeInstanceOf(AlreadyExistsError);
      }
      const bad = { ...testExperiment('bad'), feature: '' };
      await expect(harness.store.createExperiment(bad, alice)).rejects.toThrow(/feature/);
      await expect(harness.store.createExperiment(testExperiment('x'), { actor: '' })).rejects.toBeInstanceOf(
        InvalidConfigError,
      );
      expect((await harness.store.listAudit({ action: 'experiment.create' })).entries).toHaveLength(2);
    });

    it('lists by key, filtered by feature and status', async () => {
      for (const [key, feature] of [
        ['zeta', 'coach-reply'],
        ['alpha', 'persona'],
        ['mid', 'coach-reply'],
      ]) {
        await harness.store.createExperiment(testExperiment(key as string, feature), alice);
      }
      await harness.store.updateExperiment(
        'mid',
        { status: 'running' },
        { ...alice, expectedVersion: 1, action: 'experiment.start' },
      );
      const keys = async (options?: Parameters<typeof harness.store.listExperiments>[0]) =>
        (await harness.store.listExperiments(options)).map((experiment) => experiment.key);
      expect(await keys()).toEqual(['alpha', 'mid', 'zeta']);
      expect(await keys({ feature: 'coach-reply' })).toEqual(['mid', 'zeta']);
      expect(await keys({ status: 'draft' })).toEqual(['alpha', 'zeta']);
      expect(await keys({ feature: 'coach-reply', status: 'running' })).toEqual(['mid']);
      await expect(keys({ status: 'done' as 'draft' })).rejects.toThrow(/status/);
    });

    it('updates under the expected version, bumping version and updatedAt, audited with before and after', async () => {
      const created = await harness.store.createExperiment(testExperiment('tone'), alice);
      const now = harness.advance(60_000);
      const weightHistory = [{ at: now, weights: { control: 0.5, v2: 0.5 } }];
      const { experiment, feature } = await harness.store.updateExperiment(
        'tone',
        { status: 'running', startedAt: now, weightHistory },
        { actor: 'bob', expectedVersion: 1, action: 'experiment.start' },
      );
      expect(feature).toBeUndefined();
      expect(experiment).toEqual({
        ...created,
        status: 'running',
        startedAt: now,
        weightHistory,
        version: 2,
        updatedAt: now,
      });
      expect(await harness.store.getExperiment('tone')).toEqual(experiment);
      const [entry] = (
        await harness.store.listAudit({ target: 'experiment:tone', action: 'experiment.start' })
      ).entries;
      expect(entry).toMatchObject({
        actor: 'bob',
        reason: null,
        before: created,
        after: experiment,
        at: now,
      });

      const stale = harness.store.updateExperiment(
        'tone',
        { status: 'paused' },
        { actor: 'bob', expectedVersion: 1, action: 'experiment.pause' },
      );
      await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
      await expect(stale).rejects.toMatchObject({ expectedVersion: 1, actualVersion: 2 });
      const missing = harness.store.updateExperiment(
        'nope',
        {},
        { actor: 'bob', expectedVersion: 1, action: 'experiment.pause' },
      );
      await expect(missing).rejects.toBeInstanceOf(ExperimentNotFoundError);
      const renamed = harness.store.updateExperiment(
        'tone',
        { config: testExperiment('other') },
        { actor: 'bob', expectedVersion: 2, action: 'experiment.update' },
      );
      await expect(renamed).rejects.toThrow(/config\.key/);
      const badStatus = harness.store.updateExperiment(
        'tone',
        { status: 'done' as 'draft' },
        { actor: 'bob', expectedVersion: 2, action: 'x' },
      );
      await expect(badStatus).rejects.toThrow(/status/);
      expect(await harness.store.getExperiment('tone')).toEqual(experiment);
      expect((await harness.store.listAudit({ target: 'experiment:tone' })).entries).toHaveLength(2);
    });

    it('lets exactly one of several concurrent updates with the same expected version win', async () => {
      await harness.store.createExperiment(testExperiment('contended'), alice);
      const attempts = await Promise.allSettled(
        Array.from({ length: 6 }, (_, index) =>
          harness.store.updateExperiment(
            'contended',
            { winner: `v${index}` },
            { actor: `w${index}`, expectedVersion: 1, action: 'experiment.promote' },
          ),
        ),
      );
      const rejected = attempts.filter((attempt) => attempt.status === 'rejected');
      expect(rejected).toHaveLength(5);
      for (const attempt of rejected) expect(attempt.reason).toBeInstanceOf(VersionConflictError);
      expect((await harness.store.getExperiment('contended'))?.version).toBe(2);
      expect((await harness.store.listAudit({ action: 'experiment.promote' })).entries).toHaveLength(1);
    });

    it('writes the feature in the same transaction, versioned and audited as updateFeature', async () => {
      const featureBefore = await harness.store.createFeature(testFeature('coach-reply'), alice);
      await harness.store.createExperiment(testExperiment('tone'), alice);
      const now = harness.advance(1_000);
      const config = testFeature('coach-reply', {
        rules: [{ id: 'rollout', split: { control: 50, v2: 50 } }],
      });
      const result = await harness.store.updateExperiment(
        'tone',
        { status: 'running', startedAt: now },
        {
          actor: 'bob',
          reason: 'go',
          expectedVersion: 1,
          action: 'experiment.start',
          feature: { config, expectedVersion: 1 },
        },
      );
      expect(result.feature).toMatchObject({
        key: 'coach-reply',
        version: 2,
        config: { ...config, version: 2 },
        updatedAt: now,
      });
      expect(result.feature?.revision).toBeGreaterThan(featureBefore.revision);
      expect(await harness.store.getFeature('coach-reply')).toEqual(result.feature);
      const entries = (await harness.store.listAudit({ action: 'experiment.start' })).entries;
      expect(entries.map((entry) => [entry.target, entry.actor, entry.reason]).sort()).toEqual([
        ['experiment:tone', 'bob', 'go'],
        ['feature:coach-reply', 'bob', 'go'],
      ]);
      const featureEntry = entries.find((entry) => entry.target === 'feature:coach-reply');
      expect(featureEntry).toMatchObject({ before: featureBefore.config, after: result.feature?.config });
    });

    it('writes nothing when the feature write fails: stale version, wrong key, missing feature', async () => {
      await harness.store.createFeature(testFeature('coach-reply'), alice);
      await harness.store.updateFeature(
        'coach-reply',
        testFeature('coach-reply', { description: 'moved on' }),
        { ...alice, expectedVersion: 1 },
      );
      const experiment = await harness.store.createExperiment(testExperiment('tone'), alice);
      await harness.store.createExperiment(testExperiment('orphan', 'gone'), alice);
      const audit = await harness.store.listAudit();
      const start = { actor: 'bob', expectedVersion: 1, action: 'experiment.start' };
      // Each attempt runs only when the loop reaches it: started together, a later rejection could arrive
      // before anything listens to it, which Node reports as unhandled.
      const attempts: [string, string, () => Promise<unknown>, new (...args: never[]) => Error][] = [
        [
          'tone',
          'stale',
          () =>
            harness.store.updateExperiment(
              'tone',
              { status: 'running' },
              { ...start, feature: { config: testFeature('coach-reply'), expectedVersion: 1 } },
            ),
          VersionConflictError,
        ],
        [
          'tone',
          'other key',
          () =>
            harness.store.updateExperiment(
              'tone',
              { status: 'running' },
              { ...start, feature: { config: testFeature('persona'), expectedVersion: 2 } },
            ),
          InvalidConfigError,
        ],
        [
          'orphan',
          'missing',
          () =>
            harness.store.updateExperiment(
              'orphan',
              { status: 'running' },
              { ...start, feature: { config: testFeature('gone'), expectedVersion: 1 } },
            ),
          FeatureNotFoundError,
        ],
      ];
      for (const [, label, attempt, errorClass] of attempts) {
        await expect(attempt(), label).rejects.toBeInstanceOf(errorClass);
      }
      expect(await harness.store.getExperiment('tone')).toEqual(experiment);
      expect((await harness.store.getExperiment('orphan'))?.version).toBe(1);
      expect((await harness.store.getFeature('coach-reply'))?.version).toBe(2);
      expect(await harness.store.listAudit()).toEqual(audit);
    });
  });

  describe('assignments', () => {
    const assignment = {
      experiment: 'tone',
      unitId: 'user-1',
      variant: 'v2',
      seed: 'seed-a',
      at: START_TIME,
    };

    it('keeps the first assignment of a unit and returns it to later writers', async () => {
      expect(await harness.store.findAssignment('tone', 'user-1')).toBeUndefined();
      expect(await harness.store.assignOnce(assignment)).toEqual(assignment);
      const later = { ...assignment, variant: 'control', seed: 'seed-b', at: START_TIME + 5 };
      expect(await harness.store.assignOnce(later)).toEqual(assignment);
      expect(await harness.store.findAssignment('tone', 'user-1')).toEqual(assignment);
      // Another experiment, or another unit, is another assignment.
      expect(await harness.store.assignOnce({ ...later, experiment: 'other' })).toEqual({
        ...later,
        experiment: 'other',
      });
      expect(await harness.store.assignOnce({ ...later, unitId: 'user-2' })).toEqual({
        ...later,
        unitId: 'user-2',
      });
      await expect(harness.store.assignOnce({ ...assignment, unitId: '' })).rejects.toThrow(/unitId/);
    });

    it('agrees on one winner among concurrent first assignments', async () => {
      const results = await Promise.all(
        ['a', 'b', 'c', 'd', 'e'].map((variant) => harness.store.assignOnce({ ...assignment, variant })),
      );
      expect(new Set(results.map((result) => result.variant)).size).toBe(1);
      expect(await harness.store.findAssignment('tone', 'user-1')).toEqual(results[0]);
    });
  });

  experimentDataCases(harness);
}
