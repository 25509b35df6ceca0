import { describe, expect, it } from 'vitest';
import {
  callEventSchema,
  decisionEventSchema,
  feedbackEventSchema,
  type TelemetryEvent,
} from '../../core/event-schema.js';
import { type CsvCell, CsvRecordParser, parseCsv } from './csv-records.test-helper.js';
import { EVENT_CSV_COLUMNS, eventsToCsv } from './events-to-csv.js';
import { generatedEvent, generatedEvents, heapProbe } from './generated-events.test-helper.js';

async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  const collected: string[] = [];
  for await (const chunk of chunks) {
    collected.push(chunk);
  }
  return collected;
}

/** The cell a field should read back as. */
function expectedCell(value: unknown): CsvCell {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

function expectedRecord(event: TelemetryEvent): CsvCell[] {
  const fields = event as unknown as Record<string, unknown>;
  return EVENT_CSV_COLUMNS.map((column) => expectedCell(fields[column]));
}

describe('eventsToCsv', () => {
  it('has one column for every field of every event type, each once', () => {
    const fields = new Set([
      ...Object.keys(decisionEventSchema.shape),
      ...Object.keys(callEventSchema.shape),
      ...Object.keys(feedbackEventSchema.shape),
    ]);
    expect([...EVENT_CSV_COLUMNS].sort()).toEqual([...fields].sort());
  });

  it('writes only the header for no events', async () => {
    const text = (await collect(eventsToCsv([]))).join('');
    expect(parseCsv(text)).toEqual([[...EVENT_CSV_COLUMNS]]);
  });

  it('writes every type with awkward text so that it reads back field for field', async () => {
    const events = Array.from({ length: 120 }, (_, index) => generatedEvent(index));
    const [header, ...records] = parseCsv((await collect(eventsToCsv(events))).join(''));
    expect(header).toEqual([...EVENT_CSV_COLUMNS]);
    expect(records).toEqual(events.map(expectedRecord));
    // Absent prompt and explicit null both read as empty; an empty message stays apart from a missing one.
    const withEmptyText = events.findIndex((event) => event.type === 'call' && event.errorMessage === '');
    expect(withEmptyText).toBeGreaterThan(0);
    expect(records[withEmptyText]?.[EVENT_CSV_COLUMNS.indexOf('errorMessage')]).toBe('');
  });

  it('neutralises formulas on request', async () => {
    const event = { ...generatedEvent(1), errorMessage: '=HYPERLINK("x")' } as TelemetryEvent;
    const [, record] = parseCsv((await collect(eventsToCsv([event], { escapeFormulas: true }))).join(''));
    expect(record?.[EVENT_CSV_COLUMNS.indexOf('errorMessage')]).toBe('\'=HYPERLINK("x")');
  });

  it('streams 100,000 events in bounded memory, in chunks that parse back record for record', async () => {
    const count = 100_000;
    const probe = heapProbe();
    const parser = new CsvRecordParser();
    let records = -1;
    let characters = 0;
    for await (const chunk of eventsToCsv(generatedEvents(count, probe.sample))) {
      characters += chunk.length;
      for (const record of parser.push(chunk)) {
        if (records >= 0) {
          expect(record).toEqual(expectedRecord(generatedEvent(records)));
        }
        records += 1;
      }
    }
    probe.sample();
    expect(records).toBe(count);
    expect(parser.atRecordBoundary).toBe(true);
    expect(characters).toBeGreaterThan(10_000_000);
    // Holding the output would take at least `characters` bytes; streaming holds about one chunk.
    expect(probe.peakGrowthBytes).toBeLessThan(8_000_000);
  });
});
