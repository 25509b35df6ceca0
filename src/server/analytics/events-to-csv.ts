import type { TelemetryEvent } from '../../core/event-schema.js';
import { chunkText } from './chunk-text.js';
import { type CsvOptions, csvLine } from './csv-line.js';

/**
 * The CSV columns, fixed: the fields every event has, then decision, call and feedback fields. A field an
 * event's type lacks is an empty cell.
 */
export const EVENT_CSV_COLUMNS = [
  'id',
  'type',
  'at',
  'requestId',
  'feature',
  'variant',
  'unitId',
  'reason',
  'ruleId',
  'version',
  'scope',
  'servedVariant',
  'outcome',
  'errorClass',
  'errorMessage',
  'fallback',
  'cached',
  'latencyMs',
  'inputTokens',
  'outputTokens',
  'costUsd',
  'provider',
  'model',
  'attempts',
  'prompt',
  'output',
  'accepted',
  'selectedVariant',
  'itemId',
  'selectedItem',
  'rating',
  'metric',
  'value',
] as const;

/**
 * Streams events as CSV: a header, then one CRLF-terminated record per event in `EVENT_CSV_COLUMNS` order
 * (RFC 4180 quoting, nested values as JSON), in chunks of about 64 KiB; memory holds one chunk.
 *
 * @example
 * ```ts
 * const body = Readable.from(eventsToCsv(store.streamEvents({ feature: 'coach-reply', from, to })));
 * ```
 */
export async function* eventsToCsv(
  events: AsyncIterable<TelemetryEvent> | Iterable<TelemetryEvent>,
  options: CsvOptions = {},
): AsyncGenerator<string> {
  yield* chunkText(csvLines(events, options));
}

async function* csvLines(
  events: AsyncIterable<TelemetryEvent> | Iterable<TelemetryEvent>,
  options: CsvOptions,
): AsyncGenerator<string> {
  yield csvLine(EVENT_CSV_COLUMNS);
  for await (const event of events) {
    const fields = event as Partial<Record<(typeof EVENT_CSV_COLUMNS)[number], unknown>>;
    yield csvLine(
      EVENT_CSV_COLUMNS.map((column) => fields[column]),
      options,
    );
  }
}
