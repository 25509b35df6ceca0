import type { TelemetryEvent } from '../core/event-schema.js';
import { EVENT_COLUMNS, eventColumnValues } from './event-columns.js';
import type { EventInserter } from './event-inserter.js';
import { type EventRow, TABLES } from './store-database.js';

/** Rows per statement: 23 columns x 500 rows stays under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const ROWS_PER_STATEMENT = 500;

/**
 * The portable insert: Kysely multi-row inserts with `on conflict (id) do nothing`, in one transaction.
 * Dialects with a faster native path (`sqlite/`, `postgres/`) use their own; this serves any other.
 */
export const insertEventsWithKysely: EventInserter = (db, events) =>
  db.transaction().execute(async (transaction) => {
    let inserted = 0;
    for (let start = 0; start < events.length; start += ROWS_PER_STATEMENT) {
      const values = events.slice(start, start + ROWS_PER_STATEMENT).map(toEventRow);
      const result = await transaction
        .insertInto(TABLES.events)
        .values(values)
        .onConflict((conflict) => conflict.column('id').doNothing())
        .executeTakeFirst();
      inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
    }
    return inserted;
  });

function toEventRow(event: TelemetryEvent): EventRow {
  const values = eventColumnValues(event);
  return Object.fromEntries(
    EVENT_COLUMNS.map((column, index) => [column, values[index]]),
  ) as unknown as EventRow;
}
