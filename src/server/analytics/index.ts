export { chunkText, DEFAULT_CHUNK_CHARS } from './chunk-text.js';
export { type CsvOptions, csvCell, csvLine } from './csv-line.js';
export { EVENT_CSV_COLUMNS, eventsToCsv } from './events-to-csv.js';
export { eventsToJsonArray } from './events-to-json-array.js';
export { eventsToNdjson } from './events-to-ndjson.js';
export {
  type EventExport,
  EXPORT_FORMATS,
  type ExportFormat,
  exportEvents,
  parseExportFormat,
} from './export-events.js';
export { METRIC_CSV_COLUMNS, metricsToCsv } from './metrics-to-csv.js';
export {
  DEFAULT_RANGE_MS,
  parseDuration,
  parseEventFilterParams,
  parseMetricsParams,
  parseStatsParams,
  parseTimeRange,
  type QueryParams,
} from './parse-analytics-params.js';
