import { describe, expect, it } from 'vitest';
import { EVENT_COLUMNS, type EventColumnRow, eventColumnValues, eventFromColumns } from '../event-columns.js';
import { callEvent, decisionEvent, feedbackEvent } from '../store-events.case.js';
import { eventCopyChunks } from './event-copy-chunks.js';

/** COPY's text format read back: rows by line end, columns by tab, `\N` as null, escapes undone. */
function parseCopyText(text: string): (string | null)[][] {
  const readField = (field: string) =>
    field === '\\N'
      ? null
      : field.replace(/\\(.)/g, (_, character: string) =>
          character === 't' ? '\t' : character === 'n' ? '\n' : character === 'r' ? '\r' : character,
        );
  return text
    .split('\n')
    .slice(0, -1)
    .map((row) => row.split('\t').map(readField));
}

const copied = (events: Parameters<typeof eventCopyChunks>[0]) =>
  parseCopyText(Buffer.concat([...eventCopyChunks(events)]).toString('utf8'));

describe('eventCopyChunks', () => {
  it('writes one row per event with every column of EVENT_COLUMNS, in order', () => {
    const events = [decisionEvent('d-1'), callEvent('c-1'), feedbackEvent('f-1', { accepted: true })];
    const rows = copied(events);
    expect(rows).toHaveLength(3);
    rows.forEach((row, index) => {
      expect(row).toHaveLength(EVENT_COLUMNS.length);
      const expected = eventColumnValues(events[index]!).map((value) =>
        value === null ? null : String(value),
      );
      expect(row).toEqual(expected);
    });
  });

  it('escapes tabs, line ends and backslashes in text, so no value breaks a row or a column', () => {
    const odd = 'tab\there\nnew line\r\\N back\\slash';
    const event = callEvent('odd\tid', {
      variant: odd,
      servedVariant: '\\',
      errorMessage: 'a "quoted" \\ word',
    });
    const [row] = copied([event]);
    expect(row?.[EVENT_COLUMNS.indexOf('id')]).toBe('odd\tid');
    expect(row?.[EVENT_COLUMNS.indexOf('variant')]).toBe(odd);
    expect(row?.[EVENT_COLUMNS.indexOf('served_variant')]).toBe('\\');
    expect(JSON.parse(row?.[EVENT_COLUMNS.indexOf('data')] ?? '')).toMatchObject({
      errorMessage: 'a "quoted" \\ word',
    });
    const stored = Object.fromEntries(EVENT_COLUMNS.map((column, index) => [column, row?.[index]]));
    expect(eventFromColumns(stored as EventColumnRow)).toEqual(event);
  });

  it('writes a number JSON cannot hold as NULL, as the JSON of the event does', () => {
    // Spread rather than passed to callEvent, which checks the event against the schema.
    const [row] = copied([
      { ...callEvent('c-nan'), latencyMs: Number.NaN, costUsd: Number.POSITIVE_INFINITY },
    ]);
    expect(row?.[EVENT_COLUMNS.indexOf('latency_ms')]).toBeNull();
    expect(row?.[EVENT_COLUMNS.indexOf('cost_usd')]).toBeNull();
  });

  it('makes chunks of whole rows, only as they are asked for', () => {
    const events = Array.from({ length: 600 }, (_, index) => callEvent(`chunk-${index}`));
    const chunks = eventCopyChunks(events);
    const first = chunks.next();
    expect(first.done).toBe(false);
    const text = (first.value as Buffer).toString('utf8');
    expect(text.endsWith('\n')).toBe(true);
    const rest = [...chunks];
    expect(rest.length).toBeGreaterThan(0);
    const all = [first.value as Buffer, ...rest].map((chunk) => parseCopyText(chunk.toString('utf8')));
    expect(all.flat().map((row) => row[0])).toEqual(events.map((event) => event.id));
    expect([...eventCopyChunks([])]).toEqual([]);
  });
});
