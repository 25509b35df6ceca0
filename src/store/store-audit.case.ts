import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../core/errors.js';
import type { AuditEntry, NewAuditEntry } from './store.js';
import { START_TIME, type StoreHarness } from './store-harness.case.js';

/** Seven entries across two actors, three actions and two targets, one second apart. */
function sampleEntries(): NewAuditEntry[] {
  return Array.from({ length: 7 }, (_, index) => ({
    at: START_TIME + index * 1_000,
    actor: index % 2 === 0 ? 'alice' : 'bob',
    action: ['token.create', 'token.revoke', 'experiment.start'][index % 3] ?? 'token.create',
    target: index < 4 ? 'token:ci' : 'experiment:coach',
    before: index === 0 ? null : { step: index - 1 },
    after: { step: index },
    reason: index === 3 ? 'rotated' : null,
  }));
}

/** Contract cases for the append-only audit log: appends, pagination and filters. */
export function auditCases(harness: StoreHarness): void {
  describe('audit log', () => {
    async function appendAll(entries: NewAuditEntry[]): Promise<AuditEntry[]> {
      const appended: AuditEntry[] = [];
      for (const entry of entries) {
        appended.push(await harness.store.appendAudit(entry));
      }
      return appended;
    }

    it('appends an entry, stamping it with the clock unless it carries a time', async () => {
      harness.advance(42);
      const stamped = await harness.store.appendAudit({
        actor: 'admin',
        action: 'token.create',
        target: 'token:ci',
        before: null,
        after: { role: 'sdk', scopes: ['read', 'events'] },
        reason: 'new pipeline',
      });
      expect(stamped).toMatchObject({ at: START_TIME + 42, reason: 'new pipeline' });
      const dated = await harness.store.appendAudit({ ...stamped, at: 7, reason: null });
      expect(dated.at).toBe(7);
      expect(Number(dated.id)).toBeGreaterThan(Number(stamped.id));
      expect((await harness.store.listAudit()).entries).toEqual([dated, stamped]);
    });

    it('pages newest first by id until nextCursor is null', async () => {
      const appended = await appendAll(sampleEntries());
      const pages: AuditEntry[][] = [];
      let cursor: string | undefined;
      do {
        const page = await harness.store.listAudit({ limit: 3, cursor });
        pages.push(page.entries);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
      expect(pages.flat()).toEqual([...appended].reverse());
    });

    it('returns no cursor when the last page is exactly full', async () => {
      await appendAll(sampleEntries().slice(0, 6));
      const first = await harness.store.listAudit({ limit: 3 });
      expect(first.nextCursor).not.toBeNull();
      const second = await harness.store.listAudit({ limit: 3, cursor: first.nextCursor ?? undefined });
      expect(second.entries).toHaveLength(3);
      expect(second.nextCursor).toBeNull();
    });

    it('filters by target, actor, action and a half-open time window, also across pages', async () => {
      const appended = await appendAll(sampleEntries());
      const pick = (indexes: number[]) => indexes.map((index) => appended[index]).reverse();
      const list = async (query: Parameters<typeof harness.store.listAudit>[0]) =>
        (await harness.store.listAudit(query)).entries;
      expect(await list({ target: 'token:ci' })).toEqual(pick([0, 1, 2, 3]));
      expect(await list({ actor: 'bob' })).toEqual(pick([1, 3, 5]));
      expect(await list({ action: 'token.create' })).toEqual(pick([0, 3, 6]));
      expect(await list({ from: START_TIME + 2_000, to: START_TIME + 5_000 })).toEqual(pick([2, 3, 4]));
      expect(await list({ actor: 'alice', target: 'experiment:coach' })).toEqual(pick([4, 6]));
      const firstPage = await harness.store.listAudit({ actor: 'alice', limit: 2 });
      expect(firstPage.entries).toEqual(pick([4, 6]));
      const secondPage = await harness.store.listAudit({
        actor: 'alice',
        limit: 2,
        cursor: firstPage.nextCursor ?? undefined,
      });
      expect(secondPage).toEqual({ entries: pick([0, 2]), nextCursor: null });
    });

    it('rejects a bad page size or cursor, naming the field', async () => {
      for (const limit of [0, 1_001, 2.5]) {
        const listing = harness.store.listAudit({ limit });
        await expect(listing).rejects.toBeInstanceOf(InvalidConfigError);
        await expect(listing).rejects.toMatchObject({ path: 'limit' });
      }
      for (const cursor of ['abc', '-1', '0', '']) {
        await expect(harness.store.listAudit({ cursor })).rejects.toMatchObject({ path: 'cursor' });
      }
    });

    it('rejects an entry without actor, action or target and appends nothing', async () => {
      const base = { actor: 'admin', action: 'token.create', target: 'token:ci', before: null, after: null };
      for (const field of ['actor', 'action', 'target'] as const) {
        const append = harness.store.appendAudit({ ...base, [field]: ' ', reason: null });
        await expect(append).rejects.toMatchObject({ code: 'INVALID_CONFIG', path: field });
      }
      expect((await harness.store.listAudit()).entries).toEqual([]);
    });
  });
}
