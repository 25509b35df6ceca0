import type Database from 'better-sqlite3';
import type { TelemetryEvent } from '../../core/event-schema.js';
import { EVENT_COLUMNS, type EventColumnValue, eventColumnValues } from '../event-columns.js';
import type { EventInserter } from '../event-inserter.js';

const INSERT = `insert into switchyard_events (${EVENT_COLUMNS.join(', ')}) values (${EVENT_COLUMNS.map(() => '?').join(', ')}) on conflict (id) do nothing`;

/** Values per row of `EventRows`. */
export const EVENT_ROW_WIDTH = EVENT_COLUMNS.length;

/** A batch's rows laid end to end, `EVENT_ROW_WIDTH` values each: one array that crosses to a worker whole. */
export type EventRows = EventColumnValue[];

/** `PRAGMA synchronous` levels: NORMAL skips the sync at each commit in WAL mode, FULL does not. */
const NORMAL = 1;

/** The rows of events `requireEventColumns` accepted, in `EVENT_COLUMNS` order. */
export function eventRows(events: readonly TelemetryEvent[]): EventRows {
  const rows: EventRows = new Array(events.length * EVENT_ROW_WIDTH);
  let at = 0;
  for (const event of events) {
    for (const value of eventColumnValues(event)) rows[at++] = value;
  }
  return rows;
}

/**
 * Prepares the insert of a batch's rows into `database`: one prepared single-row statement run for every row
 * inside one better-sqlite3 transaction (about twice the rate of Kysely's multi-row inserts, which re-prepare
 * a large statement per chunk), skipping ids stored already or repeated earlier in the batch. Returns the
 * number of rows inserted; a failing row rolls the whole batch back.
 *
 * The transaction commits with `synchronous = NORMAL`, for itself alone: the WAL is synced at checkpoints
 * rather than at this commit, so a crash of the machine (not of the process) can roll back the last
 * committed batches, whole transactions only. better-sqlite3 already opens an existing WAL database at
 * NORMAL; this makes a database's first session behave the same. Telemetry is acknowledged to callers
 * before it is written anyway.
 */
export function prepareEventRowsInsert(database: Database.Database): (rows: EventRows) => number {
  // Rows are read by index, which the compiler types as possibly undefined; every row is EVENT_ROW_WIDTH long.
  const statement = database.prepare<(EventColumnValue | undefined)[]>(INSERT);
  const insertAll = database.transaction((rows: EventRows) => {
    let inserted = 0;
    for (let at = 0; at < rows.length; at += EVENT_ROW_WIDTH) {
      // Arguments, not one array: the driver reads arguments faster than array elements (about 0.6 µs of
      // some 10 µs per event, docs/benchmarks.md).
      // biome-ignore format: the 25 values of one row
      inserted += statement.run(rows[at], rows[at + 1], rows[at + 2], rows[at + 3], rows[at + 4], rows[at + 5],
        rows[at + 6], rows[at + 7], rows[at + 8], rows[at + 9], rows[at + 10], rows[at + 11], rows[at + 12],
        rows[at + 13], rows[at + 14], rows[at + 15], rows[at + 16], rows[at + 17], rows[at + 18], rows[at + 19],
        rows[at + 20], rows[at + 21], rows[at + 22], rows[at + 23], rows[at + 24]).changes;
    }
    return inserted;
  });
  return (rows) => {
    const synchronous = database.pragma('synchronous', { simple: true }) as number;
    if (synchronous <= NORMAL) {
      return insertAll(rows);
    }
    database.pragma(`synchronous = ${NORMAL}`);
    try {
      return insertAll(rows);
    } finally {
      database.pragma(`synchronous = ${synchronous}`);
    }
  };
}

/**
 * SQLite's event insert on the store's own connection, in this thread: what an in-memory database uses (a
 * second connection would open a database of its own). It holds Kysely's connection lock while it runs, so
 * it never lands inside a transaction Kysely has open on the same connection. File databases write events
 * from a worker thread instead (`worker-event-inserter.ts`).
 */
export function sqliteEventInserter(database: Database.Database): EventInserter {
  // Prepared on first use: the table exists only once the store's migrations have run.
  let insertRows: ((rows: EventRows) => number) | undefined;
  return (db, events) =>
    db.connection().execute(async () => {
      insertRows ??= prepareEventRowsInsert(database);
      return insertRows(eventRows(events));
    });
}
