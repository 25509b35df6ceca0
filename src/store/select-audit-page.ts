import type { Kysely } from 'kysely';
import { InvalidConfigError } from '../core/errors.js';
import { jsonColumn } from './json-column.js';
import type { AuditPage, AuditQuery } from './store.js';
import { type StoreDatabase, TABLES } from './store-database.js';
import { requireInteger, requireNumber } from './store-input.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1_000;
const CURSOR_PATTERN = /^[1-9][0-9]{0,15}$/;
const SUBJECT = 'invalid audit query';

/** One page of audit entries, newest first, continuing below the cursor's id (keyset pagination). */
export async function selectAuditPage(db: Kysely<StoreDatabase>, query: AuditQuery): Promise<AuditPage> {
  const limit = requireInteger(SUBJECT, 'limit', query.limit ?? DEFAULT_LIMIT, 1, MAX_LIMIT);
  let select = db
    .selectFrom(TABLES.auditEntries)
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (query.target !== undefined) {
    select = select.where('target', '=', query.target);
  }
  if (query.actor !== undefined) {
    select = select.where('actor', '=', query.actor);
  }
  if (query.action !== undefined) {
    select = select.where('action', '=', query.action);
  }
  if (query.from !== undefined) {
    select = select.where('at', '>=', requireNumber(SUBJECT, 'from', query.from));
  }
  if (query.to !== undefined) {
    select = select.where('at', '<', requireNumber(SUBJECT, 'to', query.to));
  }
  if (query.cursor !== undefined) {
    if (!CURSOR_PATTERN.test(query.cursor)) {
      throw new InvalidConfigError(SUBJECT, [
        { path: 'cursor', message: 'must be the nextCursor of a previous page' },
      ]);
    }
    select = select.where('id', '<', Number(query.cursor));
  }
  // One row past the page tells whether another page exists without a count query.
  const rows = await select.execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    entries: page.map((row) => ({
      id: String(row.id),
      at: row.at,
      actor: row.actor,
      action: row.action,
      target: row.target,
      before: jsonColumn.decode(row.before),
      after: jsonColumn.decode(row.after),
      reason: row.reason,
    })),
    nextCursor: rows.length > limit && last !== undefined ? String(last.id) : null,
  };
}
