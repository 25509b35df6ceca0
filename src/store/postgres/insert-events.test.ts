import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../core/event-schema.js';
import { EVENT_COLUMNS, type EventColumnRow, eventColumnValues, eventFromColumns } from '../event-columns.js';
import { openStore } from '../open-store.js';
import type { Store } from '../store.js';
import { callEvent, decisionEvent, feedbackEvent } from '../store-events.case.js';
import { postgresTestDatabase } from '../testing/postgres-test-database.js';

const postgres = await postgresTestDatabase('postgres-insert-events');

/** Any UTF-16 text, NUL and lone surrogates included, never empty. */
const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 8 });

const event = fc.oneof(
  fc
    .record({ variant: text, unitId: fc.option(text), ruleId: fc.option(text) })
    .map((fields) => (id: string) => decisionEvent(id, fields)),
  fc
    .record({
      variant: text,
      servedVariant: fc.option(text),
      errorMessage: fc.option(text),
      model: fc.option(text),
    })
    .map((fields) => (id: string) => callEvent(id, { ...fields, latencyMs: 0.1 + 0.2, costUsd: 1e-9 })),
  fc
    .record({ variant: fc.option(text), metric: fc.option(text), selectedVariant: fc.option(text) })
    .map((fields) => (id: string) => feedbackEvent(id, { ...fields, accepted: false, value: -2.5e-300 })),
);

describe.skipIf(postgres === undefined)('PostgreSQL event insert', () => {
  let store: Store;
  let client: pg.Client;
  let schema: string;
  let next = 0;

  beforeAll(async () => {
    const url = postgres!.schemaUrl();
    schema = new URL(url).searchParams.get('schema') as string;
    store = await openStore(url);
    client = new pg.Client({ connectionString: postgres!.url, options: `-c search_path=${schema}` });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await store?.close();
    await postgres?.cleanup();
  });

  /** The events stored under ids with this prefix, put back together from their columns and `data`. */
  const storedRows = async (prefix: string) =>
    (
      await client.query<EventColumnRow>(
        `select ${EVENT_COLUMNS.map((column) => (column === 'data' ? 'data::text as data' : column)).join(', ')}
         from switchyard_events where id like $1 order by id`,
        [`${prefix}%`],
      )
    ).rows.map((row) => [row.id, eventFromColumns(row)]);

  it('fills the typed columns exactly as the SQLite insert does, odd text included', async () => {
    const batches = fc.array(fc.tuple(event, fc.option(text)), { minLength: 1, maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(batches, async (makers) => {
        const events: TelemetryEvent[] = makers.map(([make, feature]) => {
          const made = make(`property-${next++}`);
          return feature === null ? made : { ...made, feature, requestId: feature };
        });
        await store.appendEvents(events);
        const selected = EVENT_COLUMNS.map((column) => (column === 'data' ? 'data::text as data' : column));
        const result = await client.query(
          `select ${selected.join(', ')} from switchyard_events where id = any($1)`,
          [events.map((made) => made.id)],
        );
        const rows = result.rows.map((row: Record<string, unknown>) =>
          EVENT_COLUMNS.map((column) => {
            const value = row[column];
            // pg returns bigint as text; SQLite's row holds numbers.
            return ['at', 'input_tokens', 'output_tokens'].includes(column) && value !== null
              ? Number(value)
              : value;
          }),
        );
        const byId = (left: unknown[], right: unknown[]) => String(left[0]).localeCompare(String(right[0]));
        expect(rows.sort(byId)).toEqual(events.map(eventColumnValues).sort(byId));
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it('copies a large batch in several chunks of one statement, first of equal ids winning', async () => {
    const id = (index: number) => `chunked-${String(index).padStart(4, '0')}`;
    const events: TelemetryEvent[] = Array.from({ length: 700 }, (_, index) =>
      index === 400 ? callEvent(id(index), { errorMessage: 'nul \u0000 inside' }) : callEvent(id(index)),
    );
    // Repeats of ids from other statements of the batch, the odd one included.
    const repeats = [3, 260, 400, 699].map((index) => callEvent(id(index), { latencyMs: 1 }));
    expect(await store.appendEvents([...events, ...repeats])).toEqual({ inserted: 700, duplicates: 4 });
    expect(await storedRows('chunked-')).toEqual(events.map((event) => [event.id, event]));
  });

  it('goes again with on conflict when some ids are stored already, keeping the stored events', async () => {
    const first = Array.from({ length: 300 }, (_, index) => decisionEvent(`again-${1_000 + index * 2}`));
    await store.appendEvents(first);
    // Every other id is new; the stored ones come back changed and must stay as they were.
    const second = Array.from({ length: 600 }, (_, index) =>
      decisionEvent(`again-${1_000 + index}`, { variant: 'changed' }),
    );
    expect(await store.appendEvents(second)).toEqual({ inserted: 300, duplicates: 300 });
    const expected = [...first, ...second.filter((_, index) => index % 2 === 1)].sort((left, right) =>
      left.id < right.id ? -1 : 1,
    );
    expect(await storedRows('again-')).toEqual(expected.map((event) => [event.id, event]));
  });

  it('inserts nothing of a batch when a later chunk of it fails', async () => {
    // A fractional token count passes the store's column check (not the event schema) but not PostgreSQL's bigint.
    const events = Array.from({ length: 600 }, (_, index) =>
      index === 550 ? { ...callEvent(`atomic-${index}`), inputTokens: 1.5 } : callEvent(`atomic-${index}`),
    );
    await expect(store.appendEvents(events)).rejects.toThrow(/bigint/);
    expect(await storedRows('atomic-')).toEqual([]);
  });

  it('keeps tabs, line ends and backslashes in columns and in data exactly', async () => {
    const odd = 'tab\there\nline\r\\N \\. back\\slash "quoted"';
    const event = { ...callEvent('copy-odd-1'), variant: odd, servedVariant: '\\', errorMessage: odd };
    expect(await store.appendEvents([event, callEvent('copy-odd-2')])).toEqual({
      inserted: 2,
      duplicates: 0,
    });
    const { rows } = await client.query<{ variant: string; served_variant: string }>(
      "select variant, served_variant from switchyard_events where id = 'copy-odd-1'",
    );
    expect(rows).toEqual([{ variant: odd, served_variant: '\\' }]);
    expect(await storedRows('copy-odd-')).toEqual([
      ['copy-odd-1', event],
      ['copy-odd-2', callEvent('copy-odd-2')],
    ]);
  });

  it('gives its connection back to the pool whether a batch fails or goes again', async () => {
    // More failures than the pool has connections (10): a connection kept by any of them would stall the last.
    for (let attempt = 0; attempt < 12; attempt++) {
      await expect(
        store.appendEvents([{ ...callEvent(`returned-bad-${attempt}`), inputTokens: 0.5 }]),
      ).rejects.toThrow(/bigint/);
      await store.appendEvents([decisionEvent(`returned-${attempt}`)]);
      // Stored already: the COPY fails and the batch goes again through the temporary table.
      expect(await store.appendEvents([decisionEvent(`returned-${attempt}`)])).toEqual({
        inserted: 0,
        duplicates: 1,
      });
    }
    expect(await storedRows('returned-')).toHaveLength(12);
  });
});
