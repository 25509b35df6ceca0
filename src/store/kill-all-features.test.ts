import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileFeature } from '../core/compile-feature.js';
import { evaluate } from '../core/evaluate.js';
import { switchFeature } from './feature-commands.js';
import { killAllFeatures, MAX_KILL_ALL_REASON_LENGTH } from './kill-all-features.js';
import { openStore } from './open-store.js';
import type { Store } from './store.js';
import { testFeature } from './store-harness.case.js';
import { postgresTestDatabase } from './testing/postgres-test-database.js';

const postgres = await postgresTestDatabase('kill-all-features');
afterAll(() => postgres?.cleanup());

const stores = [
  { name: 'SQLite', url: () => 'sqlite::memory:', skip: false },
  { name: 'PostgreSQL', url: () => postgres?.schemaUrl() ?? '', skip: postgres === undefined },
];

/** The store with `updateFeature` replaced for one key (the others go straight through). */
function interceptUpdates(
  store: Store,
  key: string,
  intercept: (original: Store['updateFeature'], ...args: Parameters<Store['updateFeature']>) => unknown,
): Store {
  return new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property !== 'updateFeature') return typeof value === 'function' ? value.bind(target) : value;
      const original = target.updateFeature.bind(target);
      return (...args: Parameters<Store['updateFeature']>) =>
        args[0] === key ? intercept(original, ...args) : original(...args);
    },
  });
}

for (const kind of stores) {
  describe.skipIf(kind.skip)(`killAllFeatures on ${kind.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openStore(kind.url());
      for (const key of ['alpha', 'bravo', 'charlie', 'delta', 'echo']) {
        await store.createFeature(testFeature(key), { actor: 'test' });
      }
      await switchFeature(store, 'bravo', 'kill', { actor: 'oncall', reason: 'earlier incident' });
      await switchFeature(store, 'charlie', 'disable', { actor: 'test' });
      await store.archiveFeature('echo', { actor: 'test' });
    });
    afterEach(async () => {
      await store.close();
    });

    it('kills every live feature not killed yet, each audited, and leaves the rest as they were', async () => {
      const outcome = await killAllFeatures(store, { actor: 'token:ops', reason: 'provider outage' });
      expect(outcome).toEqual({
        killed: [
          { key: 'alpha', version: 2 },
          { key: 'charlie', version: 3 },
          { key: 'delta', version: 2 },
        ],
        alreadyKilled: ['bravo'],
        failed: [],
      });

      for (const key of ['alpha', 'charlie', 'delta']) {
        const feature = await store.getFeature(key);
        expect(feature?.config).toMatchObject({ killed: true, killReason: 'kill-all: provider outage' });
        const decision = evaluate(compileFeature(feature!.config), { attributes: { userId: 'u-1' } });
        expect(decision).toMatchObject({ variant: 'control', reason: 'KILLED' });
      }
      // The earlier kill keeps its own reason; the archived feature is not touched.
      expect((await store.getFeature('bravo'))?.config.killReason).toBe('earlier incident');
      expect((await store.getFeature('echo', { includeArchived: true }))?.config.killed).toBeUndefined();

      const kills = (await store.listAudit({ action: 'feature.kill' })).entries;
      expect(
        kills
          .filter((entry) => entry.actor === 'token:ops')
          .map((entry) => [entry.target, entry.reason])
          .sort(),
      ).toEqual([
        ['feature:alpha', 'kill-all: provider outage'],
        ['feature:charlie', 'kill-all: provider outage'],
        ['feature:delta', 'kill-all: provider outage'],
      ]);
      expect(kills).toHaveLength(4);
    });

    it('records `kill-all` as the reason when none is given, and changes nothing the second time', async () => {
      await killAllFeatures(store, { actor: 'cli' });
      expect((await store.getFeature('alpha'))?.config.killReason).toBe('kill-all');
      expect((await store.listAudit({ actor: 'cli' })).entries.map((entry) => entry.reason)).toEqual([
        'kill-all',
        'kill-all',
        'kill-all',
      ]);

      const again = await killAllFeatures(store, { actor: 'cli' });
      expect(again).toEqual({
        killed: [],
        alreadyKilled: ['alpha', 'bravo', 'charlie', 'delta'],
        failed: [],
      });
      expect((await store.listAudit({ actor: 'cli' })).entries).toHaveLength(3);
    });

    it('retries a feature that lost a version race once, against the version that won', async () => {
      let raced = false;
      const racing = interceptUpdates(store, 'alpha', async (original, key, config, change) => {
        if (!raced) {
          raced = true;
          // Another writer gets in between the kill's read and its write.
          const current = (await store.getFeature(key))!;
          await store.updateFeature(
            key,
            { ...current.config, description: 'edited meanwhile' },
            { actor: 'editor', expectedVersion: current.version },
          );
        }
        return original(key, config, change);
      });

      const outcome = await killAllFeatures(racing, { actor: 'cli', reason: 'outage' });
      expect(outcome.failed).toEqual([]);
      expect(outcome.killed).toContainEqual({ key: 'alpha', version: 3 });
      expect((await store.getFeature('alpha'))?.config).toMatchObject({
        killed: true,
        description: 'edited meanwhile',
      });
    });

    it('reports a feature that fails twice and still kills all the others', async () => {
      let attempts = 0;
      const broken = interceptUpdates(store, 'charlie', async () => {
        attempts += 1;
        throw new Error('disk on fire');
      });

      const outcome = await killAllFeatures(broken, { actor: 'cli' });
      expect(attempts).toBe(2);
      expect(outcome).toEqual({
        killed: [
          { key: 'alpha', version: 2 },
          { key: 'delta', version: 2 },
        ],
        alreadyKilled: ['bravo'],
        failed: [{ key: 'charlie', code: 'INTERNAL', message: 'disk on fire' }],
      });
      expect((await store.getFeature('charlie'))?.config.killed).toBeUndefined();
      expect((await store.getFeature('delta'))?.config.killed).toBe(true);
    });

    it('refuses a reason it could not store, naming `reason`, before writing anything', async () => {
      const before = await store.listFeatures();
      for (const reason of ['', '   ', 'x'.repeat(MAX_KILL_ALL_REASON_LENGTH + 1)]) {
        await expect(killAllFeatures(store, { actor: 'cli', reason })).rejects.toMatchObject({
          code: 'INVALID_INPUT',
          field: 'reason',
        });
      }
      expect(await store.listFeatures()).toEqual(before);

      const longest = 'x'.repeat(MAX_KILL_ALL_REASON_LENGTH);
      expect((await killAllFeatures(store, { actor: 'cli', reason: longest })).failed).toEqual([]);
    });
  });
}
