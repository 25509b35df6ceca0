import { InvalidInputError } from '../../core/errors.js';
import type { TelemetryEvent } from '../../core/event-schema.js';
import type { CsvOptions } from './csv-line.js';
import { eventsToCsv } from './events-to-csv.js';
import { eventsToJsonArray } from './events-to-json-array.js';
import { eventsToNdjson } from './events-to-ndjson.js';

/** The formats events export to. */
export const EXPORT_FORMATS = ['csv', 'json', 'ndjson'] as const;

/** An export format. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** An export ready to send: its media type, a file name and the body as a stream of text chunks. */
export interface EventExport {
  contentType: string;
  fileName: string;
  body: AsyncIterable<string>;
}

const CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8; header=present',
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/** The format a request names; `json` when absent; InvalidInputError on `format` otherwise. */
export function parseExportFormat(value: unknown): ExportFormat {
  if (value === undefined || value === '') {
    return 'json';
  }
  if (typeof value !== 'string' || !(EXPORT_FORMATS as readonly string[]).includes(value)) {
    throw new InvalidInputError('format', `must be one of ${EXPORT_FORMATS.join(', ')}`);
  }
  return value as ExportFormat;
}

/**
 * Wraps a stream of events as an export in one format; nothing is read until the body is iterated.
 *
 * @example
 * ```ts
 * const file = exportEvents(parseExportFormat(query.format), store.streamEvents(filter), 'switchyard-events');
 * reply.header('content-type', file.contentType);
 * reply.header('content-disposition', `attachment; filename="${file.fileName}"`);
 * return reply.send(Readable.from(file.body));
 * ```
 */
export function exportEvents(
  format: ExportFormat,
  events: AsyncIterable<TelemetryEvent>,
  baseName = 'switchyard-events',
  options: CsvOptions = {},
): EventExport {
  const body =
    format === 'csv'
      ? eventsToCsv(events, options)
      : format === 'ndjson'
        ? eventsToNdjson(events)
        : eventsToJsonArray(events);
  return { contentType: CONTENT_TYPES[format], fileName: `${baseName}.${format}`, body };
}
