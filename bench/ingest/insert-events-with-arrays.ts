import { CompiledQuery } from 'kysely';
import { EVENT_COLUMNS, type EventColumnValue, eventColumnValues } from '../../src/store/event-columns.js';
import type { EventInserter } from '../../src/store/event-inserter.js';

/** PostgreSQL array type of each column but `data`, in `EVENT_COLUMNS` order. */
const ARRAY_TYPES = [
  'text[]',
  'text[]',
  'bigint[]',
  'text[]',
  'text[]',
  'text[]',
  'text[]',
  'text[]',
  'text[]',
  'text[]',
  'text[]',
  'integer[]',
  'integer[]',
  'float8[]',
  'bigint[]',
  'bigint[]',
  'float8[]',
  'integer[]',
  'text[]',
  'float8[]',
  'text[]',
  'float8[]',
];
const DATA = EVENT_COLUMNS.indexOf('data');
const INSERT = `insert into switchyard_events (${EVENT_COLUMNS.join(', ')}) select * from rows from (unnest(${ARRAY_TYPES.map(
  (type, index) => `$${index + 1}::${type}`,
).join(', ')}), json_array_elements($${ARRAY_TYPES.length + 1}::json)) on conflict (id) do nothing`;

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
  const parameters = ARRAY_TYPES.map((_, column) => arrayLiteral(rows.map((row) => row[column] ?? null)));
  parameters.push(`[${rows.map((row) => row[DATA]).join(',')}]`);
  const result = await db.executeQuery(CompiledQuery.raw(INSERT, parameters));
  return Number(result.numAffectedRows ?? 0n);
};
