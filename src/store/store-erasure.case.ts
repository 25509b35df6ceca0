import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callEvent, decisionEvent, feedbackEvent } from './store-events.case.js';
import type { OpenTestStore, StoreHarness } from './store-harness.case.js';

const KEY = 'erasure-key-0123456789abcdef';

/** Erasure removes one unit's events, the events of its requests and its assignments, and nothing else. */
export function erasureCases(harness: StoreHarness, open: OpenTestStore): void {
  describe('unit erasure', () => {
    const seed = async (store = harness.store) => {
      await store.appendEvents([
        decisionEvent('d-a', { unitId: 'alice', requestId: 'r-a' }),
        callEvent('c-a', { unitId: 'alice', requestId: 'r-a' }),
        feedbackEvent('f-a', { requestId: 'r-a' }),
        decisionEvent('d-b', { unitId: 'bob', requestId: 'r-b' }),
        feedbackEvent('f-b', { requestId: 'r-b' }),
      ]);
      for (const unitId of ['alice', 'bob']) {
        await store.assignOnce({ experiment: 'coach-test', unitId, variant: 'v2', seed: 's', at: 1 });
      }
      const preference = {
        feature: 'suggestions',
        attribute: 'category',
        value: 'music',
        successes: 1,
        failures: 0,
        at: 1,
        halfLifeMs: 86_400_000,
      };
      await store.addPreferences([
        { ...preference, scope: 'userId', profile: 'alice' },
        { ...preference, scope: 'userId', profile: 'alice', value: 'news' },
        { ...preference, scope: 'userId', profile: 'bob' },
        { ...preference, scope: '*', profile: '*' },
      ]);
    };
    const ids = async (store = harness.store) =>
      (await store.listEvents({ limit: 100 })).events.map((event) => event.id).sort();

    it('removes exactly the unit, audited under a hash of its id, and answers zeros the second time', async () => {
      await seed();
      await expect(
        harness.store.eraseUnit('alice', { actor: 'token:admin', reason: 'GDPR request' }),
      ).resolves.toEqual({
        events: 3,
        assignments: 1,
        preferences: 2,
      });
      expect(await ids()).toEqual(['d-b', 'f-b']);
      await expect(harness.store.findAssignment('coach-test', 'alice')).resolves.toBeUndefined();
      await expect(harness.store.findAssignment('coach-test', 'bob')).resolves.toBeDefined();
      const profiles = await harness.store.listPreferences({
        feature: 'suggestions',
        profiles: [
          { scope: 'userId', profile: 'alice' },
          { scope: 'userId', profile: 'bob' },
          { scope: '*', profile: '*' },
        ],
      });
      expect(profiles.map((entry) => entry.profile).sort()).toEqual(['*', 'bob']);
      await expect(harness.store.eraseUnit('alice', { actor: 'cli' })).resolves.toEqual({
        events: 0,
        assignments: 0,
        preferences: 0,
      });
      const { entries } = await harness.store.listAudit({ action: 'unit.erase' });
      const target = `unit:sha256:${createHash('sha256').update('alice').digest('hex')}`;
      expect(entries.map((entry) => [entry.actor, entry.target, entry.after])).toEqual([
        ['cli', target, { events: 0, assignments: 0, preferences: 0 }],
        ['token:admin', target, { events: 3, assignments: 1, preferences: 2 }],
      ]);
      expect(JSON.stringify(entries)).not.toContain('alice');
      await expect(harness.store.eraseUnit('', { actor: 'cli' })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
    });

    it('erases by the pseudonym with hashed ids, which is all the audit entry holds', async () => {
      const store = await open({ clock: harness.clock, privacy: { unitIds: 'hashed', key: KEY } });
      try {
        await seed(store);
        await expect(store.eraseUnit('alice', { actor: 'cli' })).resolves.toEqual({
          events: 3,
          assignments: 1,
          preferences: 2,
        });
        expect(await ids(store)).toEqual(['d-b', 'f-b']);
        const left = await store.listPreferences({
          feature: 'suggestions',
          profiles: [
            { scope: 'userId', profile: 'alice' },
            { scope: 'userId', profile: 'bob' },
          ],
        });
        expect(left.map((entry) => entry.profile)).toEqual(['bob']);
        const { entries } = await store.listAudit({ action: 'unit.erase' });
        expect(entries[0]?.target).toBe(`unit:${createHmac('sha256', KEY).update('alice').digest('hex')}`);
      } finally {
        await store.close();
      }
    });
  });
}
