import type Database from 'better-sqlite3';
import type { TelemetryEvent } from '../../core/event-schema.js';
import { EVENT_COLUMNS, type EventColumnValue, eventColumnValues } from '../event-columns.js';
import type { EventInserter } from '../event-inserter.js';

const INSERT = `insert into switchyard_events (${EVENT_COLUMNS.join(', ')}) values (${EVENT_COLUMNS.map(() => '?').join(', ')}) on conflict (id) do nothing`;

/** `PRAGMA synchronous` levels: NORMAL skips the sync at each commit in WAL mode, FULL does not. */
const NORMAL = 1;

/**
 * SQLite's event insert: one prepared single-row statement run for every row inside one better-sqlite3
 * transaction, about twice the rate of Kysely's multi-row inserts, which re-prepare a large statement per
 * chunk (docs/benchmarks.md). It holds Kysely's connection lock while it runs, so it never lands inside a
 * transaction Kysely has open on the same connection.
 *
 * The transaction commits with `synchronous = NORMAL`, for itself alone: the WAL is synced at checkpoints
 * rather than at this commit, so a crash of the machine (not of the process) can roll back the last
 * committed batches, whole transactions only. better-sqlite3 already opens an existing WAL database at
 * NORMAL; this makes the database's first session behave the same. Telemetry is acknowledged to callers
 * before it is written anyway.
 */
export function sqliteEventInserter(database: Database.Database): EventInserter {
  // Prepared on first use: the table exists only once the store's migrations have run.
  let insertAll: ((events: readonly TelemetryEvent[]) => number) | undefined;
  return (db, events) =>
    db.connection().execute(async () => {
      if (insertAll === undefined) {
        const statement = database.prepare<EventColumnValue[]>(INSERT);
        insertAll = database.transaction((batch: readonly TelemetryEvent[]) => {
          let inserted = 0;
          for (const event of batch) {
            // Spread, not one array: the driver reads arguments faster than array elements (about 0.6 µs
            // of some 10 µs per event, docs/benchmarks.md).
            inserted += statement.run(...eventColumnValues(event)).changes;
          }
          return inserted;
        });
      }
      const synchronous = database.pragma('synchronous', { simple: true }) as number;
      if (synchronous <= NORMAL) {
        return insertAll(events);
      }
      database.pragma(`synchronous = ${NORMAL}`);
      try {
        return insertAll(events);
      } finally {
        database.pragma(`synchronous = ${synchronous}`);
      }
    });
}
