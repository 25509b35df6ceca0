import { CompiledQuery } from 'kysely';
import { EVENT_COLUMNS, type EventColumnValue, eventColumnValues } from '../../src/store/event-columns.js';
import type { EventInserter } from '../../src/store/event-inserter.js';

/** PostgreSQL array types of the columns that are not text. */
const NON_TEXT: Readonly<Record<string, string>> = {
  at: 'bigint[]',
  fallback: 'integer[]',
  cached: 'integer[]',
  latency_ms: 'float8[]',
  input_tokens: 'bigint[]',
  output_tokens: 'bigint[]',
  cost_usd: 'float8[]',
  accepted: 'integer[]',
  rating: 'float8[]',
  value: 'float8[]',
};
/** Every column but `data`, each with its index in `EVENT_COLUMNS` and its array type (text[] unless listed). */
const TYPED = EVENT_COLUMNS.flatMap((column, index) =>
  column === 'data' ? [] : [{ column, index, type: NON_TEXT[column] ?? 'text[]' }],
);
const DATA = EVENT_COLUMNS.indexOf('data');
const INSERT = `insert into switchyard_events (${TYPED.map(({ column }) => column).join(', ')}, data) select * from rows from (unnest(${TYPED.map(
  ({ type }, index) => `$${index + 1}::${type}`,
).join(', ')}), json_array_elements($${TYPED.length + 1}::json)) on conflict (id) do nothing`;

const NEEDS_ESCAPE = /[\\"]/;
const ESCAPED = /[\\"]/g;

/** A PostgreSQL array literal, every string quoted (pg's own array serialisation is far slower). */
function arrayLiteral(values: readonly EventColumnValue[]): string {
  let literal = '{';
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (index > 0) literal += ',';
    if (value === null || value === undefined) literal += 'NULL';
    else if (typeof value === 'number') literal += String(value);
    else literal += `"${NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, '\\$&') : value}"`;
  }
  return `${literal}}`;
}

/**
 * The PostgreSQL insert the store's JSON one was measured against: one array parameter per typed column
 * (`unnest`), zipped with the events' JSON. Kept here so the bench can show the comparison in one run.
 */
export const insertEventsWithArrays: EventInserter = async (db, events) => {
  const rows = events.map(eventColumnValues);
  const parameters = TYPED.map(({ index }) => arrayLiteral(rows.map((row) => row[index] ?? null)));
  parameters.push(`[${rows.map((row) => row[DATA]).join(',')}]`);
  const result = await db.executeQuery(CompiledQuery.raw(INSERT, parameters));
  return Number(result.numAffectedRows ?? 0n);
};
