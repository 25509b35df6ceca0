import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Store } from './store.js';
import { callEvent, decisionEvent, feedbackEvent } from './store-events.case.js';
import {
  type OpenTestStore,
  type ReopenTestStore,
  type StoreHarness,
  testFeature,
} from './store-harness.case.js';

const KEY = 'unit-key-0123456789abcdef';
const hashed = { unitIds: 'hashed' as const, key: KEY };
const pseudonym = (unitId: string) => createHmac('sha256', KEY).update(unitId, 'utf8').digest('hex');

/** Stores opened with hashed unit ids keep pseudonyms everywhere they keep a unit id, in one form. */
export function privacyCases(harness: StoreHarness, open: OpenTestStore, reopen?: ReopenTestStore): void {
  describe('hashed unit ids', () => {
    const withStore = async (store: Store, work: (store: Store) => Promise<void>) => {
      try {
        await work(store);
      } finally {
        await store.close();
      }
    };

    it('stores HMAC-SHA256 pseudonyms in events and assignments, looked up by the clear id', async () => {
      expect(harness.store.unitIds).toBe('clear');
      await withStore(await open({ clock: harness.clock, privacy: hashed }), async (store) => {
        expect(store.unitIds).toBe('hashed');
        await store.appendEvents([
          decisionEvent('d1', { unitId: 'alice@example.com' }),
          callEvent('c1', { unitId: 'alice@example.com' }),
          callEvent('c2', { unitId: null }),
          feedbackEvent('f1'),
        ]);
        const { events } = await store.listEvents({ limit: 10 });
        const units = Object.fromEntries(
          events.map((event) => [event.id, 'unitId' in event ? event.unitId : '-']),
        );
        expect(units).toEqual({
          d1: pseudonym('alice@example.com'),
          c1: pseudonym('alice@example.com'),
          c2: null,
          f1: '-',
        });
        expect(units.d1).toMatch(/^[0-9a-f]{64}$/);

        const first = {
          experiment: 'coach-test',
          unitId: 'alice@example.com',
          variant: 'v2',
          seed: 's',
          at: 1,
        };
        await expect(store.assignOnce(first)).resolves.toEqual(first);
        await expect(store.assignOnce({ ...first, variant: 'control' })).resolves.toEqual(first);
        await expect(store.findAssignment('coach-test', 'alice@example.com')).resolves.toEqual(first);
        await expect(
          store.findAssignment('coach-test', pseudonym('alice@example.com')),
        ).resolves.toBeUndefined();
      });
    });

    it('keeps a clear store clear: no pseudonym, and the id is stored as given', async () => {
      await harness.store.appendEvents([decisionEvent('d1', { unitId: 'bob' })]);
      const { events } = await harness.store.listEvents({ limit: 1 });
      expect(events[0]).toMatchObject({ unitId: 'bob' });
    });

    it('refuses bad privacy settings naming the field', async () => {
      for (const [privacy, path] of [
        [{ unitIds: 'hashed' }, 'privacy.key'],
        [{ unitIds: 'hashed', key: 'short' }, 'privacy.key'],
        [{ unitIds: 'clear', key: KEY }, 'privacy.key'],
        [{ unitIds: 'salted', key: KEY }, 'privacy.unitIds'],
      ] as const) {
        await expect(open({ clock: harness.clock, privacy: privacy as never })).rejects.toMatchObject({
          code: 'INVALID_CONFIG',
          problems: [expect.objectContaining({ path })],
        });
      }
    });

    // Only a store that outlives its connection can be reopened: an in-memory SQLite store cannot.
    const itWhenReopenable = reopen === undefined ? () => {} : it;
    itWhenReopenable(
      'holds one key per store: the same pseudonyms after reopening, another key or clear ids refused',
      async () => {
        const first = await open({ clock: harness.clock, privacy: hashed });
        await first.createFeature(testFeature('coach-reply'), { actor: 'writer' });
        await first.appendEvents([decisionEvent('d1', { unitId: 'carol' })]);
        await first.close();

        await withStore(await (reopen as ReopenTestStore)({ privacy: hashed }), async (again) => {
          await again.appendEvents([decisionEvent('d2', { unitId: 'carol' })]);
          const { events } = await again.listEvents({ limit: 10 });
          expect(new Set(events.map((event) => ('unitId' in event ? event.unitId : null)))).toEqual(
            new Set([pseudonym('carol')]),
          );
        });
        await expect(
          (reopen as ReopenTestStore)({ privacy: { unitIds: 'hashed', key: 'another-key-0123456789' } }),
        ).rejects.toMatchObject({
          code: 'INVALID_CONFIG',
          problems: [expect.objectContaining({ path: 'privacy.key' })],
        });
        await expect((reopen as ReopenTestStore)({ privacy: { unitIds: 'clear' } })).rejects.toMatchObject({
          code: 'INVALID_CONFIG',
          problems: [expect.objectContaining({ path: 'privacy.unitIds' })],
        });
        // Without settings it opens as it is: features read, but no unit id is written or looked up in clear.
        await withStore(await (reopen as ReopenTestStore)({}), async (keyless) => {
          expect(keyless.unitIds).toBe('hashed');
          expect((await keyless.getFeature('coach-reply'))?.version).toBe(1);
          await keyless.appendEvents([callEvent('c9', { unitId: null })]);
          await expect(keyless.appendEvents([callEvent('c10', { unitId: 'carol' })])).rejects.toMatchObject({
            code: 'INVALID_CONFIG',
          });
          await expect(keyless.findAssignment('coach-test', 'carol')).rejects.toMatchObject({
            code: 'INVALID_CONFIG',
          });
        });
      },
    );
  });
}
