import { describe, expect, it } from 'vitest';
import { AlreadyExistsError, InvalidInputError } from '../core/errors.js';
import type { AlertQuery, NewAlert, Store } from './store.js';
import { type ReopenTestStore, START_TIME, type StoreHarness } from './store-harness.case.js';

/** A firing guardrail rule on coach-reply's v2, plus any overrides. */
export function testAlert(id: string, overrides: Partial<NewAlert> = {}): NewAlert {
  return {
    id,
    ruleId: 'error-rate-guard',
    feature: 'coach-reply',
    experiment: 'tone-test',
    variant: 'v2',
    metric: 'error-rate',
    severity: 'critical',
    action: 'kill',
    evidence: { value: 0.12, threshold: 0.05, samples: 400, pValue: 0.001 },
    at: START_TIME,
    ...overrides,
  };
}

/** The InvalidInputError a call failed with, so a case can check the field it names. */
async function inputError(call: () => Promise<unknown>): Promise<InvalidInputError> {
  const error = await call().then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  return error as InvalidInputError;
}

/**
 * Contract cases for guardrail alerts and leases. `reopen` opens the current store's location again (file
 * and server stores), which lets two stores race on one database; without it one store races itself.
 */
export function alertCases(harness: StoreHarness, reopen: ReopenTestStore | undefined): void {
  /** The test's store and a second one on the same database, closed by the caller. */
  async function twoStores(): Promise<[Store, Store, () => Promise<void>]> {
    if (reopen === undefined) return [harness.store, harness.store, async () => {}];
    const second = await reopen({ clock: harness.clock });
    return [harness.store, second, () => second.close()];
  }

  describe('alerts', () => {
    it('opens one alert per incident, refreshing its evidence and counting occurrences', async () => {
      const first = await harness.store.openAlert(testAlert('alert-1'));
      expect(first).toEqual({
        opened: true,
        alert: {
          id: 'alert-1',
          ruleId: 'error-rate-guard',
          feature: 'coach-reply',
          experiment: 'tone-test',
          variant: 'v2',
          metric: 'error-rate',
          severity: 'critical',
          status: 'open',
          action: 'kill',
          openedAt: START_TIME,
          updatedAt: START_TIME,
          resolvedAt: null,
          evidence: { value: 0.12, threshold: 0.05, samples: 400, pValue: 0.001 },
          occurrences: 1,
        },
      });
      expect(await harness.store.getAlert('alert-1')).toEqual(first.alert);

      const evidence = { value: 0.2, threshold: 0.05, samples: 800, interval: [0.15, 0.25] };
      const second = await harness.store.openAlert(
        testAlert('alert-2', { at: START_TIME + 10_000, evidence }),
      );
      expect(second.opened).toBe(false);
      expect(second.alert).toEqual({
        ...first.alert,
        updatedAt: START_TIME + 10_000,
        evidence,
        occurrences: 2,
      });
      const third = await harness.store.openAlert(testAlert('alert-3', { at: START_TIME + 20_000 }));
      expect(third).toMatchObject({ opened: false, alert: { id: 'alert-1', occurrences: 3 } });
      expect(await harness.store.getAlert('alert-2')).toBeUndefined();
      const page = await harness.store.listAlerts();
      expect(page).toEqual({ alerts: [third.alert], nextCursor: null });
    });

    it('tells incidents apart by rule, feature and variant scope', async () => {
      const opened = [
        await harness.store.openAlert(testAlert('v2')),
        await harness.store.openAlert(testAlert('control', { variant: 'control' })),
        await harness.store.openAlert(testAlert('whole', { variant: null })),
        await harness.store.openAlert(testAlert('other-rule', { ruleId: 'latency-guard' })),
        await harness.store.openAlert(testAlert('other-feature', { feature: 'persona' })),
      ];
      expect(opened.every((result) => result.opened)).toBe(true);
      // An absent variant is the whole feature, as null is; another experiment is the same incident.
      const again = [
        await harness.store.openAlert({ ...testAlert('whole-again'), variant: undefined }),
        await harness.store.openAlert(testAlert('v2-again', { experiment: 'other-test' })),
      ];
      expect(again.map((result) => [result.opened, result.alert.id])).toEqual([
        [false, 'whole'],
        [false, 'v2'],
      ]);
      expect((await harness.store.listAlerts({ status: 'open' })).alerts).toHaveLength(5);
    });

    it('resolves an alert once, keeping or replacing its evidence, and reopens the incident as a new alert', async () => {
      const { alert } = await harness.store.openAlert(testAlert('first'));
      const resolvedAt = START_TIME + 60_000;
      const recovered = { value: 0.01, threshold: 0.05 };
      const resolved = await harness.store.resolveAlert('first', { at: resolvedAt, evidence: recovered });
      expect(resolved).toEqual({
        ...alert,
        status: 'resolved',
        resolvedAt,
        updatedAt: resolvedAt,
        evidence: recovered,
      });
      // Resolving again changes nothing, not even the times.
      expect(
        await harness.store.resolveAlert('first', { at: resolvedAt + 5, evidence: { late: true } }),
      ).toEqual(resolved);
      expect(await harness.store.resolveAlert('missing', { at: resolvedAt })).toBeUndefined();

      const reopened = await harness.store.openAlert(testAlert('second', { at: resolvedAt + 10_000 }));
      expect(reopened).toMatchObject({
        opened: true,
        alert: { id: 'second', status: 'open', occurrences: 1, openedAt: resolvedAt + 10_000 },
      });
      expect(await harness.store.getAlert('first')).toEqual(resolved);
      const kept = await harness.store.resolveAlert('second', { at: resolvedAt + 20_000 });
      expect(kept).toMatchObject({ status: 'resolved', evidence: alert.evidence });
    });

    it('refuses a new alert under an id that is taken', async () => {
      await harness.store.openAlert(testAlert('taken'));
      await harness.store.resolveAlert('taken', { at: START_TIME + 1 });
      const again = harness.store.openAlert(testAlert('taken', { at: START_TIME + 2 }));
      await expect(again).rejects.toBeInstanceOf(AlreadyExistsError);
      expect((await harness.store.listAlerts()).alerts).toHaveLength(1);
    });

    it('keeps evidence exactly, nested, unicode and key order included', async () => {
      const evidence = {
        zulu: 1,
        alpha: { values: { v2: 0.3, control: 0.1 }, note: 'überschritten 🚨 "quoted" \\ back' },
        interval: [-0.5, 2.5e-7],
        nothing: null,
      };
      const { alert } = await harness.store.openAlert(testAlert('exact', { evidence }));
      const read = await harness.store.getAlert('exact');
      expect(JSON.stringify(alert.evidence)).toBe(JSON.stringify(evidence));
      expect(JSON.stringify(read?.evidence)).toBe(JSON.stringify(evidence));
    });

    it('refuses bad alerts and resolutions with InvalidInputError naming the field, storing nothing', async () => {
      const cases: [string, Partial<NewAlert> | Record<string, unknown>][] = [
        ['id', { id: '' }],
        ['ruleId', { ruleId: ' ' }],
        ['feature', { feature: 7 }],
        ['experiment', { experiment: '' }],
        ['variant', { variant: 3 }],
        ['metric', { metric: undefined }],
        ['severity', { severity: 'fatal' }],
        ['action', { action: '' }],
        ['evidence', { evidence: [0.1] }],
        ['evidence', { evidence: null }],
        ['at', { at: -1 }],
        ['at', { at: 1.5 }],
      ];
      for (const [field, override] of cases) {
        const error = await inputError(() =>
          harness.store.openAlert({ ...testAlert('bad'), ...override } as NewAlert),
        );
        expect(error.field, JSON.stringify(override)).toBe(field);
      }
      expect((await harness.store.listAlerts()).alerts).toEqual([]);
      await harness.store.openAlert(testAlert('good'));
      expect((await inputError(() => harness.store.resolveAlert('', { at: START_TIME }))).field).toBe('id');
      expect((await inputError(() => harness.store.resolveAlert('good', { at: Number.NaN }))).field).toBe(
        'at',
      );
      const badEvidence = () =>
        harness.store.resolveAlert('good', { at: START_TIME, evidence: 'fine' as never });
      expect((await inputError(badEvidence)).field).toBe('evidence');
      expect(await harness.store.getAlert('good')).toMatchObject({ status: 'open', resolvedAt: null });
    });

    it('lists newest first with exact filters and keyset pages, ties in one millisecond included', async () => {
      const opened: string[] = [];
      for (let index = 0; index < 7; index++) {
        // Pairs share a millisecond, so pages must break ties by id.
        const at = START_TIME + Math.floor(index / 2) * 1_000;
        const feature = index % 3 === 0 ? 'persona' : 'coach-reply';
        const experiment = index % 2 === 0 ? 'tone-test' : null;
        await harness.store.openAlert(
          testAlert(`alert-${index}`, { ruleId: `rule-${index}`, feature, experiment, at }),
        );
        opened.push(`alert-${index}`);
      }
      await harness.store.resolveAlert('alert-1', { at: START_TIME + 10_000 });
      await harness.store.resolveAlert('alert-4', { at: START_TIME + 10_000 });
      const newestFirst = [...opened].reverse();

      const ids = async (query: AlertQuery) =>
        (await harness.store.listAlerts(query)).alerts.map((alert) => alert.id);
      expect(await ids({})).toEqual(newestFirst);
      expect(await ids({ status: 'resolved' })).toEqual(['alert-4', 'alert-1']);
      expect(await ids({ status: 'open' })).toEqual(['alert-6', 'alert-5', 'alert-3', 'alert-2', 'alert-0']);
      expect(await ids({ feature: 'persona' })).toEqual(['alert-6', 'alert-3', 'alert-0']);
      expect(await ids({ experiment: 'tone-test' })).toEqual(['alert-6', 'alert-4', 'alert-2', 'alert-0']);
      expect(await ids({ experiment: 'tone' })).toEqual([]);
      expect(await ids({ from: START_TIME + 1_000, to: START_TIME + 3_000 })).toEqual([
        'alert-5',
        'alert-4',
        'alert-3',
        'alert-2',
      ]);
      expect(await ids({ status: 'open', feature: 'coach-reply', experiment: 'tone-test' })).toEqual([
        'alert-2',
      ]);

      for (const query of [
        { limit: 2 },
        { limit: 1, status: 'open' as const },
        { limit: 3, feature: 'coach-reply' },
      ]) {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 10; pages++) {
          const page = await harness.store.listAlerts({ ...query, cursor });
          expect(page.alerts.length).toBeLessThanOrEqual(query.limit);
          seen.push(...page.alerts.map((alert) => alert.id));
          if (page.nextCursor === null) break;
          cursor = page.nextCursor;
        }
        const { limit: _limit, ...filter } = query;
        expect(seen, JSON.stringify(query)).toEqual(await ids(filter));
      }
      const full = await harness.store.listAlerts({ limit: 7 });
      expect(full.nextCursor).toBeNull();
    });

    it('refuses bad queries with InvalidInputError naming the field', async () => {
      const cases: [string, Record<string, unknown>][] = [
        ['limit', { limit: 0 }],
        ['limit', { limit: 1_001 }],
        ['limit', { limit: 2.5 }],
        ['status', { status: 'closed' }],
        ['feature', { feature: '' }],
        ['experiment', { experiment: 4 }],
        ['from', { from: -1 }],
        ['to', { to: 'tomorrow' }],
        ['cursor', { cursor: 'not-a-cursor' }],
        ['cursor', { cursor: Buffer.from('[1.5,"a"]').toString('base64url') }],
        ['cursor', { cursor: '' }],
      ];
      for (const [field, query] of cases) {
        const error = await inputError(() => harness.store.listAlerts(query as AlertQuery));
        expect(error.field, JSON.stringify(query)).toBe(field);
      }
    });

    it('opens exactly one alert when stores on one database race to open the same incident', async () => {
      const [first, second, close] = await twoStores();
      try {
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, index) =>
            (index % 2 === 0 ? first : second).openAlert(
              testAlert(`racer-${index}`, { at: START_TIME + index }),
            ),
          ),
        );
        const opened = results.filter((result) => result.opened);
        expect(opened).toHaveLength(1);
        const id = opened[0]?.alert.id;
        expect(new Set(results.map((result) => result.alert.id))).toEqual(new Set([id]));
        expect(await second.getAlert(id as string)).toMatchObject({ status: 'open', occurrences: 10 });
        expect((await first.listAlerts()).alerts).toHaveLength(1);
      } finally {
        await close();
      }
    });
  });

  describe('leases', () => {
    it('is taken when free, refused while another holder is live, and taken over once expired', async () => {
      expect(await harness.store.acquireLease('monitor', 'server-a', 1_000, START_TIME)).toBe(true);
      expect(await harness.store.acquireLease('monitor', 'server-b', 1_000, START_TIME + 999)).toBe(false);
      // Leases are independent by name.
      expect(await harness.store.acquireLease('other', 'server-b', 1_000, START_TIME)).toBe(true);
      // Expired at exactly its expiry time.
      expect(await harness.store.acquireLease('monitor', 'server-b', 1_000, START_TIME + 1_000)).toBe(true);
      expect(await harness.store.acquireLease('monitor', 'server-a', 1_000, START_TIME + 1_500)).toBe(false);
    });

    it('is renewed by its holder until now + ttl', async () => {
      expect(await harness.store.acquireLease('monitor', 'server-a', 1_000, START_TIME)).toBe(true);
      expect(await harness.store.acquireLease('monitor', 'server-a', 1_000, START_TIME + 500)).toBe(true);
      // Without the renewal it would have expired at START_TIME + 1000.
      expect(await harness.store.acquireLease('monitor', 'server-b', 1_000, START_TIME + 1_200)).toBe(false);
      expect(await harness.store.acquireLease('monitor', 'server-b', 1_000, START_TIME + 1_500)).toBe(true);
    });

    it('is released only by its holder', async () => {
      await harness.store.acquireLease('monitor', 'server-a', 10_000, START_TIME);
      expect(await harness.store.releaseLease('monitor', 'server-b')).toBe(false);
      expect(await harness.store.acquireLease('monitor', 'server-b', 10_000, START_TIME + 1)).toBe(false);
      expect(await harness.store.releaseLease('monitor', 'server-a')).toBe(true);
      expect(await harness.store.releaseLease('monitor', 'server-a')).toBe(false);
      expect(await harness.store.acquireLease('monitor', 'server-b', 10_000, START_TIME + 2)).toBe(true);
    });

    it('refuses bad input with InvalidInputError naming the field', async () => {
      const store = harness.store;
      const cases: [string, () => Promise<unknown>][] = [
        ['name', () => store.acquireLease('', 'server-a', 1_000, START_TIME)],
        ['holder', () => store.acquireLease('monitor', 5 as never, 1_000, START_TIME)],
        ['ttlMs', () => store.acquireLease('monitor', 'server-a', 0, START_TIME)],
        ['ttlMs', () => store.acquireLease('monitor', 'server-a', 1.5, START_TIME)],
        ['now', () => store.acquireLease('monitor', 'server-a', 1_000, Number.NaN)],
        ['name', () => store.releaseLease(' ', 'server-a')],
        ['holder', () => store.releaseLease('monitor', '')],
      ];
      for (const [field, call] of cases) {
        expect((await inputError(call)).field).toBe(field);
      }
      expect(await store.acquireLease('monitor', 'server-b', 1_000, START_TIME)).toBe(true);
    });

    it('goes to exactly one of several holders racing for it on one database', async () => {
      const [first, second, close] = await twoStores();
      try {
        const won = await Promise.all(
          Array.from({ length: 10 }, (_, index) =>
            (index % 2 === 0 ? first : second).acquireLease('monitor', `server-${index}`, 10_000, START_TIME),
          ),
        );
        expect(won.filter(Boolean)).toHaveLength(1);
        const winner = won.indexOf(true);
        // The winner holds it: it renews, everyone else is still refused.
        expect(await second.acquireLease('monitor', `server-${winner}`, 10_000, START_TIME + 1)).toBe(true);
        expect(
          await first.acquireLease('monitor', `server-${(winner + 1) % 10}`, 10_000, START_TIME + 2),
        ).toBe(false);
      } finally {
        await close();
      }
    });
  });
}
