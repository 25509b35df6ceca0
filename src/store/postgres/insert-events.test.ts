import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../core/event-schema.js';
import { EVENT_COLUMNS, eventColumnValues } from '../event-columns.js';
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
  let next = 0;

  beforeAll(async () => {
    const url = postgres!.schemaUrl();
    store = await openStore(url);
    client = new pg.Client({
      connectionString: postgres!.url,
      options: `-c search_path=${new URL(url).searchParams.get('schema')}`,
    });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await store?.close();
    await postgres?.cleanup();
  });

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
});
