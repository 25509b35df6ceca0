import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PreferenceUpdateInput, Store } from './store.js';
import type { OpenTestStore, StoreHarness } from './store-harness.case.js';

const DAY = 86_400_000;
const HALF_LIFE = 14 * DAY;
const KEY = 'unit-key-0123456789abcdef';

function update(overrides: Partial<PreferenceUpdateInput> = {}): PreferenceUpdateInput {
  return {
    feature: 'suggestions',
    scope: 'userId',
    profile: 'alice',
    attribute: 'category',
    value: 'music',
    successes: 1,
    failures: 0,
    at: 0,
    halfLifeMs: HALF_LIFE,
    ...overrides,
  };
}

/** Preference profiles: incremental decayed upserts, reads by profile, pseudonyms under hashed unit ids. */
export function preferenceCases(harness: StoreHarness, open: OpenTestStore): void {
  describe('preference profiles', () => {
    const read = (store: Store, profiles: { scope: string; profile: string }[]) =>
      store.listPreferences({ feature: 'suggestions', profiles });

    it('adds evidence decayed to the later time, merging one batch and concurrent writers', async () => {
      const { store } = harness;
      await store.addPreferences([
        update({ successes: 4, failures: 2 }),
        update({ successes: 4, failures: 2 }),
      ]);
      await store.addPreferences([update({ at: HALF_LIFE, successes: 1, failures: 0 })]);
      // Late evidence counts decayed to the stored time.
      await store.addPreferences([update({ at: 0, successes: 0, failures: 2 })]);
      const [entry] = await read(store, [{ scope: 'userId', profile: 'alice' }]);
      expect(entry?.successes).toBeCloseTo(8 / 2 + 1, 9);
      expect(entry?.failures).toBeCloseTo(4 / 2 + 1, 9);
      expect(entry?.updatedAt).toBe(HALF_LIFE);
      await Promise.all(
        Array.from({ length: 20 }, () => store.addPreferences([update({ value: 'news', at: HALF_LIFE })])),
      );
      const [, news] = await read(store, [{ scope: 'userId', profile: 'alice' }]);
      expect(news).toMatchObject({ value: 'news', successes: 20, failures: 0 });
    });

    it('reads only the profiles named, of the feature named', async () => {
      const { store } = harness;
      await store.addPreferences([
        update(),
        update({ profile: 'bob' }),
        update({ scope: 'tenant', profile: 'acme', value: 'news' }),
        update({ scope: '*', profile: '*' }),
        update({ feature: 'other' }),
      ]);
      const entries = await read(store, [
        { scope: 'tenant', profile: 'acme' },
        { scope: 'userId', profile: 'alice' },
        { scope: '*', profile: '*' },
      ]);
      expect(entries.map((entry) => `${entry.scope}:${entry.profile}:${entry.value}`)).toEqual([
        '*:*:music',
        'tenant:acme:news',
        'userId:alice:music',
      ]);
      expect(await read(store, [])).toEqual([]);
    });

    it('refuses a malformed update naming its field and writes none of the batch', async () => {
      const { store } = harness;
      await expect(store.addPreferences([update(), update({ successes: -1 })])).rejects.toThrow(
        /updates\[1\]\.successes/,
      );
      await expect(store.addPreferences([update({ value: '' })])).rejects.toThrow(/updates\[0\]\.value/);
      expect(await read(store, [{ scope: 'userId', profile: 'alice' }])).toEqual([]);
    });

    it('keeps profile keys as pseudonyms under hashed unit ids and answers with the clear key', async () => {
      const store = await open({ clock: harness.clock, privacy: { unitIds: 'hashed', key: KEY } });
      try {
        await store.addPreferences([update(), update({ scope: '*', profile: '*' })]);
        const entries = await read(store, [
          { scope: 'userId', profile: 'alice' },
          { scope: '*', profile: '*' },
        ]);
        expect(entries.map((entry) => entry.profile).sort()).toEqual(['*', 'alice']);
        // Looked up by the pseudonym itself, the entry is not found under a second hashing.
        const pseudonym = createHmac('sha256', KEY).update('alice', 'utf8').digest('hex');
        expect(await read(store, [{ scope: 'userId', profile: pseudonym }])).toEqual([]);
      } finally {
        await store.close();
      }
    });
  });
}
