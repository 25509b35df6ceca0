import type Database from 'better-sqlite3';
import type { TelemetryEvent } from '../../core/event-schema.js';
import { EVENT_COLUMNS, type EventColumnValue, eventColumnValues } from '../event-columns.js';
import type { EventInserter } from '../event-inserter.js';

const INSERT = `insert into switchyard_events (${EVENT_COLUMNS.join(', ')}) values (${EVENT_COLUMNS.map(() => '?').join(', ')}) on conflict (id) do nothing`;

/**
 * SQLite's event insert: one prepared single-row statement run for every row inside one better-sqlite3
 * transaction, about twice the rate of Kysely's multi-row inserts, which re-prepare a large statement per
 * chunk (docs/benchmarks.md). It holds Kysely's connection lock while it runs, so it never lands inside a
 * transaction Kysely has open on the same connection.
 */
export function sqliteEventInserter(database: Database.Database): EventInserter {
  // Prepared on first use: the table exists only once the store's migrations have run.
  let insertAll: ((events: readonly TelemetryEvent[]) => number) | undefined;
  return (db, events) =>
    db.connection().execute(async () => {
      if (insertAll === undefined) {
        const statement = database.prepare<[EventColumnValue[]]>(INSERT);
        insertAll = database.transaction((batch: readonly TelemetryEvent[]) => {
          let inserted = 0;
          for (const event of batch) {
            inserted += statement.run(eventColumnValues(event)).changes;
          }
          return inserted;
        });
      }
      return insertAll(events);
    });
}
