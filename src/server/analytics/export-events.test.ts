import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../core/errors.js';
import type { TelemetryEvent } from '../../core/event-schema.js';
import { parseCsv } from './csv-records.test-helper.js';
import { EVENT_CSV_COLUMNS } from './events-to-csv.js';
import { EXPORT_FORMATS, exportEvents, parseExportFormat } from './export-events.js';
import { generatedEvent } from './generated-events.test-helper.js';

async function* stream(events: TelemetryEvent[]): AsyncGenerator<TelemetryEvent> {
  yield* events;
}

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const chunk of chunks) all += chunk;
  return all;
}

describe('parseExportFormat', () => {
  it('defaults to json and accepts each format by name', () => {
    expect(parseExportFormat(undefined)).toBe('json');
    expect(parseExportFormat('')).toBe('json');
    for (const format of EXPORT_FORMATS) {
      expect(parseExportFormat(format)).toBe(format);
    }
  });

  it.each(['xml', 'CSV', 42, ['csv']])('rejects %j naming the format field', (value) => {
    expect(() => parseExportFormat(value)).toThrow(InvalidInputError);
    expect(() => parseExportFormat(value)).toThrow(/^format: must be one of csv, json, ndjson$/);
  });
});

describe('exportEvents', () => {
  const events = Array.from({ length: 6 }, (_, index) => generatedEvent(index));

  it('gives each format its media type, file name and a body of the same events', async () => {
    const csv = exportEvents('csv', stream(events), 'coach-reply');
    expect(csv).toMatchObject({
      contentType: 'text/csv; charset=utf-8; header=present',
      fileName: 'coach-reply.csv',
    });
    const records = parseCsv(await text(csv.body));
    expect(records[0]).toEqual([...EVENT_CSV_COLUMNS]);
    expect(records.slice(1).map((record) => record[0])).toEqual(events.map((event) => event.id));

    const json = exportEvents('json', stream(events));
    expect(json).toMatchObject({
      contentType: 'application/json; charset=utf-8',
      fileName: 'switchyard-events.json',
    });
    expect(JSON.parse(await text(json.body))).toEqual(events);

    const ndjson = exportEvents('ndjson', stream(events));
    expect(ndjson.contentType).toBe('application/x-ndjson; charset=utf-8');
    expect(
      (await text(ndjson.body))
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual(events);
  });

  it('passes the formula option to CSV', async () => {
    const event = { ...generatedEvent(1), errorMessage: '+cmd' } as TelemetryEvent;
    const body = await text(exportEvents('csv', stream([event]), 'x', { escapeFormulas: true }).body);
    expect(parseCsv(body)[1]?.[EVENT_CSV_COLUMNS.indexOf('errorMessage')]).toBe("'+cmd");
  });
});
