import type { Kysely } from 'kysely';
import { InvalidInputError } from '../core/errors.js';
import { ALERT_STATUSES, requireOneOf, toStoredAlert } from './alert-queries.js';
import { ALERT_TABLES, withAlertTables } from './alert-tables.js';
import { columnText } from './event-columns.js';
import { requireInputInteger, requireInputText, requireInputTime } from './input-fields.js';
import { decodeKeysetCursor, encodeKeysetCursor } from './keyset-cursor.js';
import type { AlertPage, AlertQuery } from './store.js';
import type { StoreDatabase } from './store-database.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1_000;

/** Where a page continues: strictly before this (openedAt, id) in newest-first order. */
interface AlertPosition {
  openedAt: number;
  id: string;
}

/**
 * One page of alerts, newest first by (opened_at, id), continuing below the cursor's position (keyset
 * pagination, see `Store.listAlerts`); InvalidInputError naming the field for a bad query.
 */
export async function selectAlertPage(db: Kysely<StoreDatabase>, query: AlertQuery): Promise<AlertPage> {
  if (typeof query !== 'object' || query === null) {
    throw new InvalidInputError('query', 'must be an object');
  }
  const limit = requireInputInteger('limit', query.limit ?? DEFAULT_LIMIT, 1, MAX_LIMIT);
  let select = withAlertTables(db)
    .selectFrom(ALERT_TABLES.alerts)
    .selectAll()
    .orderBy('opened_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (query.status !== undefined) {
    select = select.where('status', '=', requireOneOf('status', query.status, ALERT_STATUSES));
  }
  if (query.feature !== undefined) {
    select = select.where('feature', '=', columnText(requireInputText('feature', query.feature)));
  }
  if (query.experiment !== undefined) {
    select = select.where('experiment', '=', columnText(requireInputText('experiment', query.experiment)));
  }
  if (query.from !== undefined) {
    select = select.where('opened_at', '>=', requireInputTime('from', query.from));
  }
  if (query.to !== undefined) {
    select = select.where('opened_at', '<', requireInputTime('to', query.to));
  }
  if (query.cursor !== undefined) {
    const after = decodeAlertCursor(query.cursor);
    // The row comparison starts the (opened_at, id) index range at the cursor on both stores.
    select = select.where((expression) =>
      expression(expression.refTuple('opened_at', 'id'), '<', expression.tuple(after.openedAt, after.id)),
    );
  }
  // One row past the page tells whether another page exists without a count query.
  const rows = await select.execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    alerts: page.map(toStoredAlert),
    nextCursor:
      rows.length > limit && last !== undefined
        ? encodeAlertCursor({ openedAt: last.opened_at, id: last.id })
        : null,
  };
}

function encodeAlertCursor(position: AlertPosition): string {
  return encodeKeysetCursor({ time: position.openedAt, id: position.id });
}

function decodeAlertCursor(cursor: unknown): AlertPosition {
  const position = decodeKeysetCursor(requireInputText('cursor', cursor));
  if (position === undefined)
    throw new InvalidInputError('cursor', 'must be the nextCursor of a previous page');
  return { openedAt: position.time, id: position.id };
}
