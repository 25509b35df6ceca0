import { describe, expect, it } from 'vitest';
import {
  AlreadyExistsError,
  FeatureNotFoundError,
  InvalidConfigError,
  VersionConflictError,
} from '../core/errors.js';
import { START_TIME, type StoreHarness, testFeature } from './store-harness.case.js';

const alice = { actor: 'alice', reason: 'launch' };

/** Contract cases for feature writes and reads: versions, conflicts, archive and listing. */
export function featureCases(harness: StoreHarness): void {
  describe('features', () => {
    it('creates a feature at version 1 and reads it back', async () => {
      const created = await harness.store.createFeature(testFeature('coach-reply'), alice);
      expect(created).toEqual({
        key: 'coach-reply',
        version: 1,
        config: { ...testFeature('coach-reply'), version: 1 },
        archived: false,
        revision: created.revision,
        createdAt: START_TIME,
        updatedAt: START_TIME,
      });
      expect(created.revision).toBeGreaterThan(0);
      expect(await harness.store.getFeature('coach-reply')).toEqual(created);
      expect(await harness.store.getFeature('missing')).toBeUndefined();
    });

    it('refuses to create a key twice and changes nothing', async () => {
      const created = await harness.store.createFeature(testFeature('dup'), alice);
      const again = harness.store.createFeature(testFeature('dup', { description: 'other' }), alice);
      await expect(again).rejects.toBeInstanceOf(AlreadyExistsError);
      await expect(again).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      expect(await harness.store.getFeature('dup')).toEqual(created);
      expect((await harness.store.listAudit()).entries).toHaveLength(1);
    });

    it('refuses to create the key of an archived feature and says it is archived', async () => {
      await harness.store.createFeature(testFeature('old'), alice);
      await harness.store.archiveFeature('old', alice);
      await expect(harness.store.createFeature(testFeature('old'), alice)).rejects.toThrow(
        /archived feature "old" already exists/,
      );
    });

    it('updates with the expected version, bumping version, revision and updatedAt', async () => {
      const created = await harness.store.createFeature(testFeature('persona'), alice);
      const later = harness.advance(5_000);
      const config = testFeature('persona', { killed: true, killReason: 'p95 over 8 s' });
      const updated = await harness.store.updateFeature('persona', config, {
        actor: 'monitor',
        expectedVersion: 1,
        action: 'feature.kill',
      });
      expect(updated).toEqual({
        key: 'persona',
        version: 2,
        config: { ...config, version: 2 },
        archived: false,
        revision: updated.revision,
        createdAt: START_TIME,
        updatedAt: later,
      });
      expect(updated.revision).toBeGreaterThan(created.revision);
      expect(await harness.store.getFeature('persona')).toEqual(updated);
      const [entry] = (await harness.store.listAudit()).entries;
      expect(entry).toMatchObject({
        at: later,
        actor: 'monitor',
        action: 'feature.kill',
        target: 'feature:persona',
        before: created.config,
        after: updated.config,
        reason: null,
      });
    });

    it('fails a stale update with VersionConflictError and changes nothing, audit included', async () => {
      await harness.store.createFeature(testFeature('race'), alice);
      const current = await harness.store.updateFeature('race', testFeature('race', { enabled: false }), {
        ...alice,
        expectedVersion: 1,
      });
      const audit = await harness.store.listAudit();
      const stale = harness.store.updateFeature('race', testFeature('race'), {
        ...alice,
        expectedVersion: 1,
      });
      await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
      await expect(stale).rejects.toMatchObject({ expectedVersion: 1, actualVersion: 2 });
      expect(await harness.store.getFeature('race')).toEqual(current);
      expect(await harness.store.listAudit()).toEqual(audit);
      expect(await harness.store.listFeatures({ changedSince: current.revision })).toEqual([]);
    });

    it('fails updates of absent and archived features with FeatureNotFoundError', async () => {
      const missing = harness.store.updateFeature('nope', testFeature('nope'), {
        ...alice,
        expectedVersion: 1,
      });
      await expect(missing).rejects.toBeInstanceOf(FeatureNotFoundError);
      await harness.store.createFeature(testFeature('gone'), alice);
      await harness.store.archiveFeature('gone', alice);
      const archived = harness.store.updateFeature('gone', testFeature('gone'), {
        ...alice,
        expectedVersion: 2,
      });
      await expect(archived).rejects.toMatchObject({ code: 'FEATURE_NOT_FOUND', feature: 'gone' });
      expect((await harness.store.listAudit({ target: 'feature:nope' })).entries).toEqual([]);
    });

    it('rejects a config whose key is not the feature being updated, naming the field', async () => {
      await harness.store.createFeature(testFeature('one'), alice);
      const wrong = harness.store.updateFeature('one', testFeature('two'), { ...alice, expectedVersion: 1 });
      await expect(wrong).rejects.toBeInstanceOf(InvalidConfigError);
      await expect(wrong).rejects.toMatchObject({ path: 'key' });
      expect((await harness.store.getFeature('one'))?.version).toBe(1);
    });

    it('rejects a change without an actor and writes nothing', async () => {
      const anonymous = harness.store.createFeature(testFeature('anon'), { actor: '' });
      await expect(anonymous).rejects.toMatchObject({ code: 'INVALID_CONFIG', path: 'actor' });
      expect(await harness.store.listFeatures({ includeArchived: true })).toEqual([]);
      expect((await harness.store.listAudit()).entries).toEqual([]);
    });

    it('archives a feature: hidden by default, visible on request, audited with after null', async () => {
      const created = await harness.store.createFeature(testFeature('retire'), alice);
      const at = harness.advance(1_000);
      const archived = await harness.store.archiveFeature('retire', { actor: 'bob', expectedVersion: 1 });
      expect(archived).toMatchObject({ key: 'retire', version: 2, archived: true, updatedAt: at });
      expect(archived.config.version).toBe(2);
      expect(await harness.store.getFeature('retire')).toBeUndefined();
      expect(await harness.store.getFeature('retire', { includeArchived: true })).toEqual(archived);
      const [entry] = (await harness.store.listAudit()).entries;
      expect(entry).toMatchObject({
        action: 'feature.archive',
        actor: 'bob',
        before: created.config,
        after: null,
      });
      await expect(harness.store.archiveFeature('retire', alice)).rejects.toBeInstanceOf(
        FeatureNotFoundError,
      );
    });

    it('fails an archive with a stale expected version and leaves the feature live', async () => {
      await harness.store.createFeature(testFeature('keep'), alice);
      await harness.store.updateFeature('keep', testFeature('keep'), { ...alice, expectedVersion: 1 });
      const stale = harness.store.archiveFeature('keep', { ...alice, expectedVersion: 1 });
      await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
      expect(await harness.store.getFeature('keep')).toMatchObject({ version: 2, archived: false });
    });

    it('lists features by key in code-unit order, archived ones only on request', async () => {
      for (const key of ['ab', 'a_b', 'b', 'a0', 'a.b', 'a-b']) {
        await harness.store.createFeature(testFeature(key), alice);
      }
      await harness.store.archiveFeature('b', alice);
      const live = await harness.store.listFeatures();
      expect(live.map((feature) => feature.key)).toEqual(['a-b', 'a.b', 'a0', 'a_b', 'ab']);
      const all = await harness.store.listFeatures({ includeArchived: true });
      expect(all.map((feature) => [feature.key, feature.archived])).toEqual([
        ['a-b', false],
        ['a.b', false],
        ['a0', false],
        ['a_b', false],
        ['ab', false],
        ['b', true],
      ]);
    });

    it('gives every write a higher revision and returns everything written after a revision', async () => {
      const first = await harness.store.createFeature(testFeature('first'), alice);
      const second = await harness.store.createFeature(testFeature('second'), alice);
      const updated = await harness.store.updateFeature('first', testFeature('first'), {
        ...alice,
        expectedVersion: 1,
      });
      const archived = await harness.store.archiveFeature('second', alice);
      const revisions = [first, second, updated, archived].map((feature) => feature.revision);
      expect(revisions).toEqual([...revisions].sort((left, right) => left - right));
      expect(new Set(revisions).size).toBe(4);
      expect(await harness.store.listFeatures({ changedSince: second.revision })).toEqual([
        updated,
        archived,
      ]);
      expect(await harness.store.listFeatures({ changedSince: updated.revision })).toEqual([archived]);
      expect(await harness.store.listFeatures({ changedSince: archived.revision })).toEqual([]);
      expect(
        await harness.store.listFeatures({ changedSince: second.revision, includeArchived: false }),
      ).toEqual([updated]);
    });
  });
}
