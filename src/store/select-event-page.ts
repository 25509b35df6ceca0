import type { ExpressionBuilder, Kysely } from 'kysely';
import { InvalidConfigError } from '../core/errors.js';
import type { TelemetryEvent } from '../core/event-schema.js';
import { columnText, EVENT_COLUMNS, eventFromColumns } from './event-columns.js';
import { decodeKeysetCursor, encodeKeysetCursor } from './keyset-cursor.js';
import type { EventFilter } from './store.js';
import { type StoreDatabase, TABLES } from './store-database.js';
import { requireNumber } from './store-input.js';

const SUBJECT = 'invalid event query';
const TYPES: ReadonlySet<unknown> = new Set(['decision', 'call', 'feedback']);

/** Where a page starts: strictly after this (at, id). */
export interface EventPosition {
  at: number;
  id: string;
}

/** A page of events and, when more follow, the position of its last row. */
export interface EventRows {
  events: TelemetryEvent[];
  next: EventPosition | undefined;
}

/**
 * One page of at most `limit` events in (at, id) order, strictly after `after` when given. Validates the
 * filter, naming the field; the caller validates `limit`.
 */
export async function selectEventPage(
  db: Kysely<StoreDatabase>,
  filter: EventFilter,
  limit: number,
  after: EventPosition | undefined,
): Promise<EventRows> {
  let select = db
    .selectFrom(TABLES.events)
    .select(EVENT_COLUMNS)
    .orderBy('at')
    .orderBy('id')
    .limit(limit + 1);
  if (filter.type !== undefined) {
    if (!TYPES.has(filter.type)) {
      throw new InvalidConfigError(SUBJECT, [
        { path: 'type', message: 'must be decision, call or feedback' },
      ]);
    }
    select = select.where('type', '=', filter.type);
  }
  if (filter.feature !== undefined) {
    select = select.where('feature', '=', columnText(requireString('feature', filter.feature)));
  }
  if (filter.variant !== undefined) {
    select = select.where('variant', '=', columnText(requireString('variant', filter.variant)));
  }
  if (filter.requestId !== undefined) {
    select = select.where('request_id', '=', columnText(requireString('requestId', filter.requestId)));
  }
  if (filter.from !== undefined) {
    select = select.where('at', '>=', requireNumber(SUBJECT, 'from', filter.from));
  }
  if (filter.to !== undefined) {
    select = select.where('at', '<', requireNumber(SUBJECT, 'to', filter.to));
  }
  if (after !== undefined) {
    select = select.where(afterPosition(after));
  }
  // One row past the page tells whether another page exists without a count query.
  const rows = await select.execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    events: page.map((row) => eventFromColumns(row)),
    next: rows.length > limit && last !== undefined ? { at: last.at, id: last.id } : undefined,
  };
}

/**
 * Rows strictly after a position, as the row comparison `(at, id) > (?, ?)`: both stores start the
 * (at, id) or (feature, at, id) index range at the cursor, so every page costs its own rows. The older
 * `at >= ? and (at > ? or id > ?)` made PostgreSQL choose a full scan and sort per page, and SQLite bound
 * pages by the window's start when one was given, so each page re-read the window from its beginning.
 */
export function afterPosition(after: EventPosition) {
  return (expression: ExpressionBuilder<StoreDatabase, typeof TABLES.events>) =>
    expression(expression.refTuple('at', 'id'), '>', expression.tuple(after.at, after.id));
}

/** An opaque cursor for a position: base64url of `[at, id]`. */
export function encodeCursor(position: EventPosition): string {
  return encodeKeysetCursor({ time: position.at, id: position.id });
}

/** The position a cursor names; InvalidConfigError on `cursor` when it is not one `encodeCursor` made. */
export function decodeCursor(cursor: string): EventPosition {
  const position = decodeKeysetCursor(requireString('cursor', cursor));
  if (position === undefined) {
    throw new InvalidConfigError(SUBJECT, [
      { path: 'cursor', message: 'must be the nextCursor of a previous page' },
    ]);
  }
  return { at: position.time, id: position.id };
}

function requireString(field: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new InvalidConfigError(SUBJECT, [{ path: field, message: 'must be a string' }]);
  }
  return value;
}
