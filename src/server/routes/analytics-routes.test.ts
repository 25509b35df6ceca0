import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../core/event-schema.js';
import { csvCell } from '../analytics/csv-line.js';
import { parseCsv } from '../analytics/csv-records.test-helper.js';
import { EVENT_CSV_COLUMNS } from '../analytics/events-to-csv.js';
import { startTestServer, type TestServer } from '../server.test-helper.js';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer();
});
afterAll(() => test.close());

const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r'];

describe('GET /api/export?format=csv', () => {
  it('neutralises every text cell an sdk token could start with a formula character', async () => {
    const events: TelemetryEvent[] = FORMULA_STARTS.map((start, index) => ({
      type: 'call',
      id: `${start}id-${index}`,
      at: 1_700_000_000_000 + index,
      requestId: `${start}HYPERLINK("https://evil.example","x")`,
      feature: 'coach-reply',
      scope: 'run',
      variant: `${start}variant`,
      servedVariant: `${start}served`,
      outcome: 'error',
      errorClass: 'unknown',
      errorMessage: `${start}cmd|' /C calc'!A0`,
      fallback: false,
      cached: false,
      latencyMs: 1,
      inputTokens: 1,
      outputTokens: 1,
      costUsd: 0,
      provider: `${start}provider`,
      model: `${start}model`,
      attempts: 1,
      unitId: `${start}unit`,
      prompt: `${start}prompt`,
      output: `${start}output`,
    }));
    const ingest = await test.call('POST', '/api/events', { token: test.tokens.sdk, body: { events } });
    expect(ingest.statusCode).toBe(200);

    const response = await test.call('GET', '/api/export?format=csv&from=0', { token: test.tokens.viewer });
    expect(response.statusCode).toBe(200);
    const [header, ...records] = parseCsv(response.body);
    expect(header).toEqual([...EVENT_CSV_COLUMNS]);
    expect(records).toHaveLength(events.length);
    const textColumns = [
      'id',
      'requestId',
      'variant',
      'servedVariant',
      'errorMessage',
      'provider',
      'model',
      'unitId',
      'prompt',
      'output',
    ] as const;
    let checked = 0;
    for (const record of records) {
      for (const column of textColumns) {
        const cell = record[EVENT_CSV_COLUMNS.indexOf(column)] ?? '';
        expect(cell.startsWith("'"), `${column}: ${JSON.stringify(cell)}`).toBe(true);
        expect(FORMULA_STARTS).toContain(cell[1]);
        checked += 1;
      }
    }
    expect(checked).toBe(FORMULA_STARTS.length * textColumns.length);

    // JSON keeps the text as stored: only the spreadsheet format is changed.
    const json = await test.call('GET', '/api/export?format=json&from=0', { token: test.tokens.viewer });
    expect(json.json().map((event: TelemetryEvent) => event.type === 'call' && event.model)).toEqual(
      FORMULA_STARTS.map((start) => `${start}model`),
    );
  });
});

describe('csvCell with escapeFormulas', () => {
  it('never starts a cell with a formula character, and reads back as the text with at most a leading quote', () => {
    fc.assert(
      fc.property(fc.constantFrom('', ...FORMULA_STARTS), fc.string({ unit: 'grapheme' }), (start, text) => {
        const value = `${start}${text}`;
        const cell = csvCell(value, { escapeFormulas: true });
        const [[read]] = parseCsv(`${cell}\r\n`) as [[string]];
        expect(FORMULA_STARTS).not.toContain(read.charAt(0));
        expect(read === value || read === `'${value}`).toBe(true);
        expect(read === `'${value}`).toBe(FORMULA_STARTS.includes(value.charAt(0)));
      }),
      { numRuns: 2_000 },
    );
  });
});
