import { CompiledQuery, type Transaction } from 'kysely';
import type { TelemetryEvent } from '../../src/core/event-schema.js';
import { columnText, jsonHasUnicodeEscapes } from '../../src/store/event-columns.js';
import type { EventInserter } from '../../src/store/event-inserter.js';
import type { StoreDatabase } from '../../src/store/store-database.js';

/** Each typed column, the event key it copies and that key's type in `json_to_record`. */
const FIELDS: readonly (readonly [column: string, key: string, type: string])[] = [
  ['id', 'id', 'text'],
  ['type', 'type', 'text'],
  ['at', 'at', 'bigint'],
  ['request_id', 'requestId', 'text'],
  ['feature', 'feature', 'text'],
  ['variant', 'variant', 'text'],
  ['unit_id', 'unitId', 'text'],
  ['scope', 'scope', 'text'],
  ['served_variant', 'servedVariant', 'text'],
  ['outcome', 'outcome', 'text'],
  ['error_class', 'errorClass', 'text'],
  ['fallback', 'fallback', 'boolean'],
  ['cached', 'cached', 'boolean'],
  ['latency_ms', 'latencyMs', 'float8'],
  ['input_tokens', 'inputTokens', 'bigint'],
  ['output_tokens', 'outputTokens', 'bigint'],
  ['cost_usd', 'costUsd', 'float8'],
  ['accepted', 'accepted', 'boolean'],
  ['selected_variant', 'selectedVariant', 'text'],
  ['rating', 'rating', 'float8'],
  ['metric', 'metric', 'text'],
  ['value', 'value', 'float8'],
  ['reason', 'reason', 'text'],
  ['rule_id', 'ruleId', 'text'],
];

const COLUMNS = `${FIELDS.map(([column]) => column).join(', ')}, data`;
// Booleans become the 0 / 1 integers SQLite stores too. A key the event type lacks reads as NULL.
const VALUES = FIELDS.map(([, key, type]) => (type === 'boolean' ? `x."${key}"::int` : `x."${key}"`)).join(
  ', ',
);
const RECORD = FIELDS.map(([, key, type]) => `"${key}" ${type}`).join(', ');

/** Every event plain: the typed columns come straight from the stored JSON. */
const INSERT_PLAIN = `insert into switchyard_events (${COLUMNS}) select ${VALUES}, event.value from json_array_elements($1::json) as event, json_to_record(event.value) as x(${RECORD})`;

/**
 * Some event holds NUL or a lone surrogate, which json-to-text conversion rejects: the typed columns come from
 * a second array of the events with such text replaced (`columnText`), zipped with the exact one by position.
 */
const INSERT_REPLACED = `insert into switchyard_events (${COLUMNS}) select ${VALUES}, event.data from rows from (json_array_elements($1::json), json_array_elements($2::json)) as event(data, typed), json_to_record(event.typed) as x(${RECORD})`;

const SKIP_DUPLICATES = ' on conflict (id) do nothing';

/**
 * A batch goes as two statements, the first with a quarter of it: the server spends several times longer on
 * an event than Node does on its JSON, so the rest is ready before the first part is in, and the server does
 * not wait for JSON. Each statement also costs the server about 0.3 ms of its own, so two beat more.
 * Small batches go as one.
 */
const FIRST_PART = 1 / 4;
const SMALLEST_SPLIT = 64;

/** PostgreSQL's unique_violation: only the primary key on id is unique in this table. */
const UNIQUE_VIOLATION = '23505';

const replaceOddText = (_key: string, value: unknown) =>
  typeof value === 'string' ? columnText(value) : value;

/**
 * The PostgreSQL insert the store used before `copy … from stdin` (docs/benchmarks.md), kept here so the bench
 * can compare the two in one run. Each statement carries its events as one JSON array parameter (the events'
 * JSON, exactly as stored); PostgreSQL splits it with `json_array_elements` and reads the typed columns with
 * `json_to_record`, which beat one array parameter per column and Kysely's multi-row inserts
 * (docs/benchmarks.md). The statements of a batch share one transaction and follow each other without a gap.
 *
 * Ids repeated in the batch are dropped first (the first one wins), so the batch normally goes in as plain
 * inserts, which cost the server about a tenth less than `on conflict do nothing`; when an id is stored
 * already (a retried batch, another writer), the unique violation rolls that attempt back and the batch goes
 * again with `on conflict (id) do nothing`.
 *
 * The transaction commits durably (`synchronous_commit` as the server sets it): `POST /api/events` answers a
 * remote SDK only after this commit, and what was acknowledged must not be lost. Turning it off for this
 * transaction was 8-18 % faster and is deliberately not done (docs/benchmarks.md).
 */
export const insertEventsWithJson: EventInserter = async (db, events: readonly TelemetryEvent[]) => {
  const ids = new Set<string>();
  const distinct = events.filter((event) => {
    if (ids.has(event.id)) {
      return false;
    }
    ids.add(event.id);
    return true;
  });
  try {
    return await db.transaction().execute((transaction) => insertChunks(transaction, distinct, false));
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code !== UNIQUE_VIOLATION) {
      throw error;
    }
    return db.transaction().execute((transaction) => insertChunks(transaction, distinct, true));
  }
};

/** Inserts the events in one or two statements, the second one's JSON built while the server runs the first. */
async function insertChunks(
  transaction: Transaction<StoreDatabase>,
  events: readonly TelemetryEvent[],
  skipDuplicates: boolean,
): Promise<number> {
  const split = events.length < SMALLEST_SPLIT ? events.length : Math.ceil(events.length * FIRST_PART);
  const first = transaction
    .executeQuery(chunkQuery(events.slice(0, split), skipDuplicates))
    .then((result) => Number(result.numAffectedRows ?? 0n));
  if (split === events.length) {
    return first;
  }
  // Its failure is thrown where it is awaited, below; until then it must not count as unhandled.
  first.catch(() => {});
  // Let the first statement reach the socket before the second one's JSON occupies this thread.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const rest = chunkQuery(events.slice(split), skipDuplicates);
  const inserted = await first;
  const result = await transaction.executeQuery(rest);
  return inserted + Number(result.numAffectedRows ?? 0n);
}

/**
 * One statement for some events: their JSON array as one parameter (one `JSON.stringify`, flat, no joining),
 * and a second one with odd text replaced when the first shows any (`jsonHasUnicodeEscapes`).
 */
function chunkQuery(events: readonly TelemetryEvent[], skipDuplicates: boolean): CompiledQuery {
  const json = JSON.stringify(events);
  const plain = !jsonHasUnicodeEscapes(json);
  const insert = plain ? INSERT_PLAIN : INSERT_REPLACED;
  return CompiledQuery.raw(
    skipDuplicates ? insert + SKIP_DUPLICATES : insert,
    plain ? [json] : [json, JSON.stringify(events, replaceOddText)],
  );
}
