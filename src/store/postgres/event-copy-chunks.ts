import type { TelemetryEvent } from '../../core/event-schema.js';
import { EVENT_COLUMNS, type EventColumnValue, eventColumnValues } from '../event-columns.js';

/** Rows per chunk: the server parses a chunk while Node builds the next (about 150 KB each). */
const ROWS_PER_CHUNK = 250;

/** The characters COPY's text format gives a meaning: its escape, the column and the row separators. */
const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escapeSpecial = (character: string) => ESCAPES[character] as string;

/** `data` is JSON, which escapes every control character: only a backslash can need escaping in it. */
const DATA = EVENT_COLUMNS.indexOf('data');

/**
 * One event as a row of COPY's text format, without its line end: the values of `eventColumnValues` joined by
 * tabs. Text is taken as it is but for COPY's own characters; NULL is `\N`, and so is a number that JSON
 * would write as null (NaN, ±Infinity), as the JSON insert stored it.
 */
function copyRow(event: TelemetryEvent): string {
  const values: (EventColumnValue | string)[] = eventColumnValues(event);
  for (let column = 0; column < values.length; column++) {
    const value = values[column] as EventColumnValue;
    if (value === null) {
      values[column] = '\\N';
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) values[column] = '\\N';
    } else if (column === DATA ? value.includes('\\') : SPECIAL.test(value)) {
      values[column] = value.replace(SPECIALS, escapeSpecial);
    }
  }
  // One join makes a flat string at once; adding the pieces up would build a rope to flatten later.
  return values.join('\t');
}

/**
 * The events as rows of `copy switchyard_events (EVENT_COLUMNS) from stdin` in text format, the values from
 * `eventColumnValues` (the very values the SQLite insert binds), in UTF-8 chunks of a few hundred rows, each
 * made only when it is asked for.
 */
export function* eventCopyChunks(events: readonly TelemetryEvent[]): Generator<Buffer> {
  for (let start = 0; start < events.length; start += ROWS_PER_CHUNK) {
    const end = Math.min(start + ROWS_PER_CHUNK, events.length);
    const rows: string[] = [];
    for (let index = start; index < end; index++) {
      rows.push(copyRow(events[index] as TelemetryEvent));
    }
    rows.push('');
    yield Buffer.from(rows.join('\n'), 'utf8');
  }
}
