import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../core/errors.js';
import type { CallEvent, DecisionEvent, FeedbackEvent, TelemetryEvent } from '../core/event-schema.js';
import { eventSchema } from '../core/event-schema.js';
import type { EventFilter, Store } from './store.js';
import { START_TIME, type StoreHarness } from './store-harness.case.js';

/** A valid decision event (checked against the schema) with any overrides. */
export function decisionEvent(id: string, overrides: Partial<DecisionEvent> = {}): DecisionEvent {
  return eventSchema.parse({
    id,
    type: 'decision',
    at: START_TIME,
    requestId: `request-${id}`,
    feature: 'coach-reply',
    variant: 'v2',
    reason: 'SPLIT',
    ruleId: 'rollout',
    unitId: 'user-1',
    version: 3,
    ...overrides,
  }) as DecisionEvent;
}

/** A valid run-scope call event with any overrides. */
export function callEvent(id: string, overrides: Partial<CallEvent> = {}): CallEvent {
  return eventSchema.parse({
    id,
    type: 'call',
    at: START_TIME,
    requestId: `request-${id}`,
    feature: 'coach-reply',
    scope: 'run',
    variant: 'v2',
    servedVariant: 'v1',
    outcome: 'success',
    errorClass: null,
    errorMessage: null,
    fallback: true,
    cached: false,
    latencyMs: 812.5,
    inputTokens: 1_200,
    outputTokens: 340,
    costUsd: 0.00231,
    provider: 'openai',
    model: 'gpt-4o-mini',
    attempts: 2,
    unitId: 'user-1',
    ...overrides,
  }) as CallEvent;
}

/** A valid feedback event with any overrides. */
export function feedbackEvent(id: string, overrides: Partial<FeedbackEvent> = {}): FeedbackEvent {
  return eventSchema.parse({
    id,
    type: 'feedback',
    at: START_TIME,
    requestId: `request-${id}`,
    feature: 'coach-reply',
    variant: 'v2',
    accepted: true,
    selectedVariant: null,
    rating: 4.5,
    metric: 'edit_distance',
    value: 0.25,
    ...overrides,
  }) as FeedbackEvent;
}

/** Thirty events over three features, three types and two variants, several sharing each millisecond. */
function sampleEvents(): TelemetryEvent[] {
  return Array.from({ length: 30 }, (_, index) => {
    const common = {
      at: START_TIME + Math.floor(index / 3) * 1_000,
      feature: ['coach-reply', 'persona', 'summary'][index % 3] ?? 'coach-reply',
      variant: index % 2 === 0 ? 'v1' : 'v2',
      requestId: `request-${Math.floor(index / 2)}`,
    };
    // Ids descend while times ascend, so an (id)-only order would be caught.
    const id = `event-${String(99 - index).padStart(2, '0')}`;
    if (index % 3 === 0) return decisionEvent(id, common);
    if (index % 3 === 1) return callEvent(id, common);
    return feedbackEvent(id, common);
  });
}

/** Listing order: time, then id compared as UTF-8 bytes (SQLite BINARY, PostgreSQL "C"). */
function byTimeThenId(left: TelemetryEvent, right: TelemetryEvent): number {
  return left.at - right.at || Buffer.compare(Buffer.from(left.id), Buffer.from(right.id));
}

async function collect(store: Store, filter?: EventFilter, batchSize?: number): Promise<TelemetryEvent[]> {
  const events: TelemetryEvent[] = [];
  for await (const event of store.streamEvents(filter, batchSize === undefined ? {} : { batchSize })) {
    events.push(event);
  }
  return events;
}

/** Contract cases for telemetry events: round trip, idempotency, filters, pagination and streaming. */
export function eventCases(harness: StoreHarness): void {
  describe('telemetry events', () => {
    it('round-trips all three types exactly, key order and optional fields included', async () => {
      const events = [
        decisionEvent('d-1', { ruleId: null, unitId: null, reason: 'DEFAULT' }),
        callEvent('c-1', { prompt: 'Hi "coach"', output: null, costUsd: 1e-9 }),
        callEvent('c-2', {
          scope: 'attempt',
          outcome: 'error',
          errorClass: 'timeout',
          errorMessage: 'upstream took > 8 s',
          servedVariant: null,
          provider: null,
          model: null,
        }),
        feedbackEvent('f-1', { variant: null, accepted: null, rating: null, metric: null, value: null }),
        feedbackEvent('f-2', {
          selectedVariant: 'v1',
          accepted: false,
          rating: -1,
          value: 9_007_199_254_740_991,
        }),
      ];
      expect(await harness.store.appendEvents(events)).toEqual({ inserted: 5, duplicates: 0 });
      const { events: read, nextCursor } = await harness.store.listEvents();
      expect(read).toEqual([...events].sort(byTimeThenId));
      expect(read.map((event) => JSON.stringify(event))).toEqual(
        [...events].sort(byTimeThenId).map((event) => JSON.stringify(event)),
      );
      expect(nextCursor).toBeNull();
    });

    it('keeps unicode, quotes, backslashes, NUL and lone surrogates in free text', async () => {
      const odd =
        'Coach 🧭 日本語 e\u0301 "quoted" \'single\' \\ back nul\u0000 lone\ud800 tail\udc00 \u2028 ;--';
      const events = [
        callEvent('odd-call', {
          errorMessage: odd,
          prompt: odd,
          output: `${odd}\n`,
          model: odd,
          unitId: odd,
        }),
        feedbackEvent('odd-feedback', { metric: odd, selectedVariant: odd }),
        decisionEvent(`odd-id-${odd}`, { feature: `feature\u0000${odd}`, requestId: odd, variant: odd }),
      ];
      await harness.store.appendEvents(events);
      const read = await harness.store.listEvents();
      expect(read.events).toEqual([...events].sort(byTimeThenId));
      // Filters apply the same NUL replacement as the columns, so odd values still find their events.
      const byFeature = await harness.store.listEvents({ feature: `feature\u0000${odd}` });
      expect(byFeature.events).toEqual([events[2]]);
      expect((await harness.store.listEvents({ requestId: odd, variant: odd })).events).toEqual([events[2]]);
      expect(await harness.store.appendEvents(events)).toEqual({ inserted: 0, duplicates: 3 });
    });

    it('is idempotent by id: a batch sent twice inserts nothing the second time and the first write wins', async () => {
      const batch = sampleEvents();
      expect(await harness.store.appendEvents(batch)).toEqual({ inserted: 30, duplicates: 0 });
      expect(await harness.store.appendEvents(batch)).toEqual({ inserted: 0, duplicates: 30 });
      const changed = { ...callEvent('event-98'), latencyMs: 1 };
      const mixed = [changed, callEvent('new-1'), callEvent('new-1', { latencyMs: 2 }), callEvent('new-2')];
      expect(await harness.store.appendEvents(mixed)).toEqual({ inserted: 2, duplicates: 2 });
      const all = await collect(harness.store);
      expect(all).toHaveLength(32);
      expect(all.find((event) => event.id === 'event-98')).toEqual(batch[1]);
      expect(all.find((event) => event.id === 'new-1')).toEqual(callEvent('new-1'));
      expect(await harness.store.appendEvents([])).toEqual({ inserted: 0, duplicates: 0 });
    });

    it('counts each id once when the same batch is appended concurrently', async () => {
      const batch = Array.from({ length: 300 }, (_, index) => callEvent(`concurrent-${index}`));
      const results = await Promise.all([1, 2, 3].map(() => harness.store.appendEvents(batch)));
      expect(results.reduce((sum, result) => sum + result.inserted, 0)).toBe(300);
      expect(results.reduce((sum, result) => sum + result.duplicates, 0)).toBe(600);
      expect(await collect(harness.store)).toHaveLength(300);
    });

    it('filters by type, feature, variant, request id and a half-open time window', async () => {
      const events = sampleEvents();
      await harness.store.appendEvents(events);
      const expected = (keep: (event: TelemetryEvent) => boolean) => events.filter(keep).sort(byTimeThenId);
      const list = async (filter: EventFilter) => (await harness.store.listEvents(filter)).events;
      expect(await list({ type: 'call' })).toEqual(expected((event) => event.type === 'call'));
      expect(await list({ feature: 'persona' })).toEqual(expected((event) => event.feature === 'persona'));
      expect(await list({ variant: 'v1' })).toEqual(expected((event) => event.variant === 'v1'));
      expect(await list({ requestId: 'request-4' })).toEqual(
        expected((event) => event.requestId === 'request-4'),
      );
      expect(await list({ from: START_TIME + 2_000, to: START_TIME + 4_000 })).toEqual(
        expected((event) => event.at >= START_TIME + 2_000 && event.at < START_TIME + 4_000),
      );
      expect(
        await list({ type: 'feedback', feature: 'summary', variant: 'v2', from: START_TIME + 1 }),
      ).toEqual(
        expected(
          (event) =>
            event.type === 'feedback' &&
            event.feature === 'summary' &&
            event.variant === 'v2' &&
            event.at >= START_TIME + 1,
        ),
      );
      expect(await list({ feature: 'missing' })).toEqual([]);
    });

    it('pages by (at, id) with ties in time ordered by id bytes, filtered pages included', async () => {
      const events = sampleEvents();
      // Same millisecond, ids whose byte order differs from a locale's ('B' < 'a' < 'é' < '😀').
      const tied = ['a', 'B', 'é', '😀', '\uffff'].map((id) =>
        decisionEvent(`tie-${id}`, { at: START_TIME + 500 }),
      );
      await harness.store.appendEvents([...events, ...tied]);
      const pages: TelemetryEvent[][] = [];
      let cursor: string | undefined;
      do {
        const page = await harness.store.listEvents({ limit: 7, cursor });
        pages.push(page.events);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(pages.map((page) => page.length)).toEqual([7, 7, 7, 7, 7]);
      expect(pages.flat()).toEqual([...events, ...tied].sort(byTimeThenId));
      const first = await harness.store.listEvents({ type: 'decision', limit: 4 });
      const second = await harness.store.listEvents({
        type: 'decision',
        limit: 4,
        cursor: first.nextCursor!,
      });
      const decisions = [...events, ...tied].filter((event) => event.type === 'decision').sort(byTimeThenId);
      expect([...first.events, ...second.events]).toEqual(decisions.slice(0, 8));
    });

    it('returns no cursor when the last page is exactly full and defaults to 100 per page', async () => {
      await harness.store.appendEvents(sampleEvents().slice(0, 10));
      const first = await harness.store.listEvents({ limit: 5 });
      const second = await harness.store.listEvents({ limit: 5, cursor: first.nextCursor ?? undefined });
      expect(second.events).toHaveLength(5);
      expect(second.nextCursor).toBeNull();
      await harness.store.appendEvents(Array.from({ length: 120 }, (_, index) => callEvent(`bulk-${index}`)));
      expect((await harness.store.listEvents()).events).toHaveLength(100);
    });

    it('rejects a bad page size, cursor, type or time, naming the field', async () => {
      for (const limit of [0, 1_001, 2.5]) {
        const listing = harness.store.listEvents({ limit });
        await expect(listing).rejects.toBeInstanceOf(InvalidConfigError);
        await expect(listing).rejects.toMatchObject({ path: 'limit' });
      }
      for (const cursor of ['', 'abc', Buffer.from('[1]').toString('base64url'), 'W10']) {
        await expect(harness.store.listEvents({ cursor })).rejects.toMatchObject({ path: 'cursor' });
      }
      const type = 'exposure' as TelemetryEvent['type'];
      await expect(harness.store.listEvents({ type })).rejects.toMatchObject({ path: 'type' });
      await expect(harness.store.listEvents({ from: Number.NaN })).rejects.toMatchObject({ path: 'from' });
      await expect(collect(harness.store, {}, 0)).rejects.toMatchObject({ path: 'batchSize' });
    });

    it('rejects a batch with an event its columns cannot hold and inserts none of it', async () => {
      const broken = [callEvent('fine'), { ...callEvent('late'), at: 1.5 }] as TelemetryEvent[];
      const appending = harness.store.appendEvents(broken);
      await expect(appending).rejects.toMatchObject({ code: 'INVALID_CONFIG', path: 'events[1].at' });
      const missing = [{ ...callEvent('x'), id: '' }] as TelemetryEvent[];
      await expect(harness.store.appendEvents(missing)).rejects.toMatchObject({ path: 'events[0].id' });
      expect((await harness.store.listEvents()).events).toEqual([]);
    });

    it('streams every matching event across many pages in order', async () => {
      const events = sampleEvents();
      await harness.store.appendEvents(events);
      expect(await collect(harness.store, {}, 7)).toEqual([...events].sort(byTimeThenId));
      expect(await collect(harness.store, { feature: 'coach-reply' }, 3)).toEqual(
        events.filter((event) => event.feature === 'coach-reply').sort(byTimeThenId),
      );
      expect(await collect(harness.store, { feature: 'missing' })).toEqual([]);
    });

    it('appends 10,000 events in one call and streams them back in default batches', async () => {
      const events = Array.from({ length: 10_000 }, (_, index) =>
        index % 4 === 0
          ? decisionEvent(`large-${index}`, { at: START_TIME + (index % 977) })
          : callEvent(`large-${index}`, { at: START_TIME + (index % 977), latencyMs: index }),
      );
      expect(await harness.store.appendEvents(events)).toEqual({ inserted: 10_000, duplicates: 0 });
      const read = await collect(harness.store);
      expect(read).toHaveLength(10_000);
      expect(read).toEqual(events.sort(byTimeThenId));
    });
  });
}
