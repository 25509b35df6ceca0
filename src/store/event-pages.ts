import type { Kysely } from 'kysely';
import type { TelemetryEvent } from '../core/event-schema.js';
import { decodeCursor, type EventPosition, encodeCursor, selectEventPage } from './select-event-page.js';
import type { EventFilter, EventPage, EventQuery, StreamEventsOptions } from './store.js';
import type { StoreDatabase } from './store-database.js';
import { requireInteger } from './store-input.js';

const EVENT_QUERY = 'invalid event query';
const DEFAULT_EVENT_PAGE = 100;
const MAX_EVENT_PAGE = 1_000;
const DEFAULT_STREAM_BATCH = 1_000;
const MAX_STREAM_BATCH = 10_000;

/** One page of events in `(at, id)` order, with the cursor of the next page (`Store.listEvents`). */
export async function listEventPage(db: Kysely<StoreDatabase>, query: EventQuery): Promise<EventPage> {
  const limit = requireInteger(EVENT_QUERY, 'limit', query.limit ?? DEFAULT_EVENT_PAGE, 1, MAX_EVENT_PAGE);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const { events, next } = await selectEventPage(db, query, limit, after);
  return { events, nextCursor: next === undefined ? null : encodeCursor(next) };
}

/** Every event a filter matches, read a page at a time (`Store.streamEvents`). */
export async function* streamEventPages(
  db: Kysely<StoreDatabase>,
  filter: EventFilter,
  options: StreamEventsOptions,
): AsyncGenerator<TelemetryEvent> {
  const batchSize = requireInteger(
    EVENT_QUERY,
    'batchSize',
    options.batchSize ?? DEFAULT_STREAM_BATCH,
    1,
    MAX_STREAM_BATCH,
  );
  // Only the filter fields: a stray limit or cursor on the object must not cut the stream short.
  const { type, feature, variant, requestId, from, to } = filter;
  const only = { type, feature, variant, requestId, from, to };
  let after: EventPosition | undefined;
  do {
    const page = await selectEventPage(db, only, batchSize, after);
    yield* page.events;
    after = page.next;
  } while (after !== undefined);
}
