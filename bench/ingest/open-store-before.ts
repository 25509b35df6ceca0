import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, sql } from 'kysely';
import type { TelemetryEvent } from '../../src/core/event-schema.js';
import {
  columnText,
  EVENT_COLUMNS,
  type EventColumnValue,
  eventColumnValues,
  jsonHasUnicodeEscapes,
} from '../../src/store/event-columns.js';
import type { EventInserter } from '../../src/store/event-inserter.js';
import { KyselyStore } from '../../src/store/kysely-store.js';
import { migrateStore } from '../../src/store/migrations/migrate-store.js';
import { openPostgresDialect } from '../../src/store/postgres/dialect.js';
import type { Store } from '../../src/store/store.js';
import type { StoreDatabase } from '../../src/store/store-database.js';

/**
 * A store as it was before time-ordered ids were measured against the indexes: the events table with its
 * former (type, at, id) index besides the three it keeps, and the former inserts: on SQLite the same prepared statement committed at the connection's own `synchronous`
 * level (FULL on a new file), on PostgreSQL one `on conflict do nothing` statement per batch, committed
 * synchronously. Kept so the bench shows before and after in one run.
 */
export async function openStoreBefore(url: string): Promise<Store> {
  if (url.startsWith('sqlite:')) {
    // The pragmas of src/store/sqlite/dialect.ts.
    const database = new Database(resolve(url.slice('sqlite:'.length)));
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    database.pragma('wal_autocheckpoint = 10000');
    const dialect = new SqliteDialect({ database });
    const db = new Kysely<StoreDatabase>({ dialect });
    await migrateStore(db, { kind: 'sqlite', dialect, migrationTableSchema: undefined });
    await useFormerIndexes(db);
    return new KyselyStore(db, 'sqlite', Date.now, sqliteInserterBefore(database));
  }
  const dialect = await openPostgresDialect(url);
  const db = new Kysely<StoreDatabase>({ dialect: dialect.dialect });
  await migrateStore(db, dialect);
  await useFormerIndexes(db);
  return new KyselyStore(db, 'postgres', Date.now, insertPostgresEventsBefore);
}

async function useFormerIndexes(db: Kysely<StoreDatabase>): Promise<void> {
  await sql`create index switchyard_events_type_at on switchyard_events (type, at, id)`.execute(db);
}

const SQLITE_INSERT = `insert into switchyard_events (${EVENT_COLUMNS.join(', ')}) values (${EVENT_COLUMNS.map(() => '?').join(', ')}) on conflict (id) do nothing`;

function sqliteInserterBefore(database: Database.Database): EventInserter {
  let insertAll: ((events: readonly TelemetryEvent[]) => number) | undefined;
  return (db, events) =>
    db.connection().execute(async () => {
      if (insertAll === undefined) {
        const statement = database.prepare<[EventColumnValue[]]>(SQLITE_INSERT);
        insertAll = database.transaction((batch: readonly TelemetryEvent[]) => {
          let inserted = 0;
          for (const event of batch) inserted += statement.run(eventColumnValues(event)).changes;
          return inserted;
        });
      }
      return insertAll(events);
    });
}

const FIELDS: readonly (readonly [column: string, key: string, type: string])[] = [
  ['id', 'id', 'text'],
  ['type', 'type', 'text'],
  ['at', 'at', 'bigint'],
  ['request_id', 'requestId', 'text'],
  ['feature', 'feature', 'text'],
  ['variant', 'variant', 'text'],
  ['unit_id', 'unitId', 'text'],
  ['scope', 'scope', 'text'],
  ['served_variant', 'servedVariant', 'text'],
  ['outcome', 'outcome', 'text'],
  ['error_class', 'errorClass', 'text'],
  ['fallback', 'fallback', 'boolean'],
  ['cached', 'cached', 'boolean'],
  ['latency_ms', 'latencyMs', 'float8'],
  ['input_tokens', 'inputTokens', 'bigint'],
  ['output_tokens', 'outputTokens', 'bigint'],
  ['cost_usd', 'costUsd', 'float8'],
  ['accepted', 'accepted', 'boolean'],
  ['selected_variant', 'selectedVariant', 'text'],
  ['rating', 'rating', 'float8'],
  ['metric', 'metric', 'text'],
  ['value', 'value', 'float8'],
];
const COLUMNS = `${FIELDS.map(([column]) => column).join(', ')}, data`;
const VALUES = FIELDS.map(([, key, type]) => (type === 'boolean' ? `x."${key}"::int` : `x."${key}"`)).join(
  ', ',
);
const RECORD = FIELDS.map(([, key, type]) => `"${key}" ${type}`).join(', ');
const INSERT_PLAIN = `insert into switchyard_events (${COLUMNS}) select ${VALUES}, event.value from json_array_elements($1::json) as event, json_to_record(event.value) as x(${RECORD}) on conflict (id) do nothing`;
const INSERT_REPLACED = `insert into switchyard_events (${COLUMNS}) select ${VALUES}, event.data from rows from (json_array_elements($1::json), json_array_elements($2::json)) as event(data, typed), json_to_record(event.typed) as x(${RECORD}) on conflict (id) do nothing`;
const replaceOddText = (_key: string, value: unknown) =>
  typeof value === 'string' ? columnText(value) : value;

/** The former PostgreSQL insert: the whole batch as one JSON array in one statement, its own transaction. */
const insertPostgresEventsBefore: EventInserter = async (db, events) => {
  const data = events.map((event) => JSON.stringify(event));
  const plain = !data.some(jsonHasUnicodeEscapes);
  const parameters = [`[${data.join(',')}]`];
  if (!plain) {
    const typed = events.map((event, index) =>
      jsonHasUnicodeEscapes(data[index] as string) ? JSON.stringify(event, replaceOddText) : data[index],
    );
    parameters.push(`[${typed.join(',')}]`);
  }
  const result = await db.executeQuery(CompiledQuery.raw(plain ? INSERT_PLAIN : INSERT_REPLACED, parameters));
  return Number(result.numAffectedRows ?? 0n);
};
