import type pg from 'pg';
import type { TelemetryEvent } from '../../core/event-schema.js';
import { EVENT_COLUMNS } from '../event-columns.js';
import type { EventInserter } from '../event-inserter.js';
import { copyFromStdin } from './copy-from-stdin.js';
import { eventCopyChunks } from './event-copy-chunks.js';

const COLUMNS = EVENT_COLUMNS.join(', ');
const COPY_EVENTS = `copy switchyard_events (${COLUMNS}) from stdin`;

/** A batch with some id stored already goes through a session-local table, gone at commit. */
const INCOMING = 'switchyard_events_incoming';
const CREATE_INCOMING = `create temporary table ${INCOMING} (like switchyard_events) on commit drop`;
const COPY_INCOMING = `copy ${INCOMING} (${COLUMNS}) from stdin`;
const INSERT_INCOMING = `insert into switchyard_events (${COLUMNS}) select ${COLUMNS} from ${INCOMING} on conflict (id) do nothing`;

/** PostgreSQL's unique_violation: only the primary key on id is unique in this table. */
const UNIQUE_VIOLATION = '23505';

/**
 * PostgreSQL's event insert: one `copy switchyard_events … from stdin` per batch, the rows in COPY's text
 * format from `eventColumnValues` (the column list and values the SQLite insert uses, so a column added to
 * `event-columns.ts` is copied too). COPY skips parsing and planning a statement and reads each value once:
 * the server spends about a third less CPU per event than on the JSON-array insert it replaced, Node a little
 * more (docs/benchmarks.md, docs/decisions/0009-telemetry-ingest.md). A statement of its own is its own
 * transaction: one round trip, all of the batch or none of it.
 *
 * Ids repeated in the batch are dropped first (the first one wins), so the batch normally goes straight in;
 * when an id is stored already (a retried batch, another writer), the unique violation fails that COPY whole
 * and the batch goes again into a temporary table, and from there with `on conflict (id) do nothing`.
 *
 * The commit is durable (`synchronous_commit` as the server sets it): `POST /api/events` answers a remote SDK
 * only after it, and what was acknowledged must not be lost.
 */
export function postgresEventInserter(pool: pg.Pool): EventInserter {
  return async (_db, events) => {
    const distinct = withoutRepeatedIds(events);
    const client = await pool.connect();
    try {
      try {
        return await copyFromStdin(client, COPY_EVENTS, () => eventCopyChunks(distinct));
      } catch (error) {
        if ((error as { code?: unknown } | null)?.code !== UNIQUE_VIOLATION) {
          throw error;
        }
      }
      return await insertSkippingStored(client, distinct);
    } finally {
      client.release();
    }
  };
}

/** The events in one transaction through a temporary table, skipping ids the table holds already. */
async function insertSkippingStored(
  client: pg.PoolClient,
  events: readonly TelemetryEvent[],
): Promise<number> {
  await client.query('begin');
  try {
    await client.query(CREATE_INCOMING);
    await copyFromStdin(client, COPY_INCOMING, () => eventCopyChunks(events));
    const result = await client.query(INSERT_INCOMING);
    await client.query('commit');
    return result.rowCount ?? 0;
  } catch (error) {
    // The connection goes back to the pool: it must not stay inside the failed transaction.
    await client.query('rollback').catch(() => {});
    throw error;
  }
}

/** The events with each id once, the first occurrence kept; the array itself when no id repeats. */
function withoutRepeatedIds(events: readonly TelemetryEvent[]): readonly TelemetryEvent[] {
  const ids = new Set<string>();
  const distinct = events.filter((event) => {
    if (ids.has(event.id)) {
      return false;
    }
    ids.add(event.id);
    return true;
  });
  return distinct.length === events.length ? events : distinct;
}
