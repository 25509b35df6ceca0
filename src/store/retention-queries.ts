import { type Kysely, sql } from 'kysely';
import { requireInputInteger, requireInputTime } from './input-fields.js';
import type { ScrubBatch, ScrubCursor } from './retention-types.js';
import { type StoreDatabase, TABLES } from './store-database.js';

/** The largest batch one call may take. */
const MAX_BATCH = 10_000;

/** Deletes up to `limit` of the oldest events with `at < before` (see `Store.deleteEventsBefore`). */
export async function deleteEventsBefore(
  db: Kysely<StoreDatabase>,
  before: number,
  limit: number,
): Promise<number> {
  const cutoff = requireInputTime('before', before);
  const batch = requireInputInteger('limit', limit, 1, MAX_BATCH);
  const result = await db
    .deleteFrom(TABLES.events)
    .where(
      'id',
      'in',
      db
        .selectFrom(TABLES.events)
        .select('id')
        .where('at', '<', cutoff)
        .orderBy('at')
        .orderBy('id')
        .limit(batch),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes up to `limit` of the oldest audit entries with `at < before` (see `Store.deleteAuditBefore`). */
export async function deleteAuditBefore(
  db: Kysely<StoreDatabase>,
  before: number,
  limit: number,
): Promise<number> {
  const cutoff = requireInputTime('before', before);
  const batch = requireInputInteger('limit', limit, 1, MAX_BATCH);
  const result = await db
    .deleteFrom(TABLES.auditEntries)
    .where(
      'id',
      'in',
      db.selectFrom(TABLES.auditEntries).select('id').where('at', '<', cutoff).orderBy('id').limit(batch),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Removes the stored prompt and output of up to `limit` call events with `at < before`, after `cursor` in
 * (at, id) order (see `Store.scrubEventContent`). Prompts and outputs live only in the `data` JSON, never in
 * a column, so each event keeps every other field exactly.
 */
export async function scrubEventContent(
  db: Kysely<StoreDatabase>,
  kind: 'sqlite' | 'postgres',
  before: number,
  limit: number,
  cursor: ScrubCursor | null,
): Promise<ScrubBatch> {
  const cutoff = requireInputTime('before', before);
  const batch = requireInputInteger('limit', limit, 1, MAX_BATCH);
  let query = db
    .selectFrom(TABLES.events)
    .select(['id', 'at', sql<string>`cast(data as text)`.as('data')])
    .where('type', '=', 'call')
    .where('at', '<', cutoff);
  if (cursor !== null) {
    const after = requireInputTime('cursor.at', cursor.at);
    query = query.where((expression) =>
      expression.or([
        expression('at', '>', after),
        expression.and([expression('at', '=', after), expression('id', '>', String(cursor.id))]),
      ]),
    );
  }
  const rows = await query.orderBy('at').orderBy('id').limit(batch).execute();
  const changed: Array<{ id: string; data: string }> = [];
  for (const row of rows) {
    // A cheap text test first: most call events keep no content at all.
    if (!row.data.includes('"prompt"') && !row.data.includes('"output"')) continue;
    const data = JSON.parse(row.data) as Record<string, unknown>;
    if (!Object.hasOwn(data, 'prompt') && !Object.hasOwn(data, 'output')) continue;
    delete data.prompt;
    delete data.output;
    changed.push({ id: row.id, data: JSON.stringify(data) });
  }
  if (changed.length > 0) {
    await db.transaction().execute(async (transaction) => {
      for (const row of changed) {
        await transaction
          .updateTable(TABLES.events)
          .set({ data: kind === 'postgres' ? sql<string>`cast(${row.data} as json)` : row.data })
          .where('id', '=', row.id)
          .execute();
      }
    });
  }
  const last = rows.at(-1);
  return {
    scrubbed: changed.length,
    next: rows.length < batch || last === undefined ? null : { at: Number(last.at), id: last.id },
  };
}
