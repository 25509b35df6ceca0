import { CompiledQuery } from 'kysely';
import type { TelemetryEvent } from '../../core/event-schema.js';
import { columnText, jsonHasUnicodeEscapes } from '../event-columns.js';
import type { EventInserter } from '../event-inserter.js';

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
];

const COLUMNS = `${FIELDS.map(([column]) => column).join(', ')}, data`;
// Booleans become the 0 / 1 integers SQLite stores too. A key the event type lacks reads as NULL.
const VALUES = FIELDS.map(([, key, type]) => (type === 'boolean' ? `x."${key}"::int` : `x."${key}"`)).join(
  ', ',
);
const RECORD = FIELDS.map(([, key, type]) => `"${key}" ${type}`).join(', ');
const SKIP_DUPLICATES = 'on conflict (id) do nothing';

/** Every event plain: the typed columns come straight from the stored JSON. */
const INSERT_PLAIN = `insert into switchyard_events (${COLUMNS}) select ${VALUES}, event.value from json_array_elements($1::json) as event, json_to_record(event.value) as x(${RECORD}) ${SKIP_DUPLICATES}`;

/**
 * Some event holds NUL or a lone surrogate, which json-to-text conversion rejects: the typed columns come from
 * a second array of the events with such text replaced (`columnText`), zipped with the exact one by position.
 */
const INSERT_REPLACED = `insert into switchyard_events (${COLUMNS}) select ${VALUES}, event.data from rows from (json_array_elements($1::json), json_array_elements($2::json)) as event(data, typed), json_to_record(event.typed) as x(${RECORD}) ${SKIP_DUPLICATES}`;

const replaceOddText = (_key: string, value: unknown) =>
  typeof value === 'string' ? columnText(value) : value;

/**
 * PostgreSQL's event insert: the batch travels as one JSON array (the events' own JSON, joined, with no
 * escaping), and PostgreSQL splits it into rows with `json_array_elements` and reads the typed columns with
 * `json_to_record`. One statement, one parameter, any batch size; faster than one array parameter per
 * column, and than Kysely's multi-row inserts with 23 parameters per row (docs/benchmarks.md). A single
 * statement is its own transaction; rows go in array order, so the first of two equal ids wins.
 */
export const insertPostgresEvents: EventInserter = async (db, events: readonly TelemetryEvent[]) => {
  const data = events.map((event) => JSON.stringify(event));
  const plain = !data.some(jsonHasUnicodeEscapes);
  const parameters = [`[${data.join(',')}]`];
  if (!plain) {
    const typed = events.map((event, index) =>
      jsonHasUnicodeEscapes(data[index] as string) ? JSON.stringify(event, replaceOddText) : data[index],
    );
    parameters.push(`[${typed.join(',')}]`);
  }
  const result = await db.executeQuery(CompiledQuery.raw(plain ? INSERT_PLAIN : INSERT_REPLACED, parameters));
  return Number(result.numAffectedRows ?? 0n);
};
