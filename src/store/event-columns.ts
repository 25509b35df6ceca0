import { InvalidConfigError } from '../core/errors.js';
import type { TelemetryEvent } from '../core/event-schema.js';

/** The columns of `switchyard_events` in the order `eventColumnValues` fills them. */
export const EVENT_COLUMNS = [
  'id',
  'type',
  'at',
  'request_id',
  'feature',
  'variant',
  'unit_id',
  'scope',
  'served_variant',
  'outcome',
  'error_class',
  'fallback',
  'cached',
  'latency_ms',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'accepted',
  'selected_variant',
  'rating',
  'metric',
  'value',
  'reason',
  'rule_id',
  'data',
] as const;

/** One column value as the drivers bind it. */
export type EventColumnValue = string | number | null;

/** Any UTF-16 surrogate: paired ones are fine, but their presence means looking closer. */
const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const REPLACEMENT = '\ufffd';

/**
 * The text a column holds for a string: U+0000 (which PostgreSQL text rejects) and lone surrogates (which
 * UTF-8 cannot encode, so each driver would replace them anyway) become U+FFFD, the same on every database.
 * Filters go through it too, so a filter on a value with NUL still finds its events.
 */
export function columnText(value: string): string {
  if (!value.includes('\u0000') && !SURROGATE.test(value)) {
    return value;
  }
  return value.replaceAll('\u0000', REPLACEMENT).replace(LONE_SURROGATE, REPLACEMENT);
}

/**
 * Whether an event's JSON may hide text a column cannot keep: JSON.stringify writes NUL and lone surrogates
 * only as backslash-u escapes, so JSON without any proves every string in the event plain.
 */
export function jsonHasUnicodeEscapes(json: string): boolean {
  return json.includes('\\u');
}

function optionalText(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : columnText(value);
}

/** `optionalText` for an event whose JSON shows no NUL and no lone surrogate in any of its strings. */
function plainText(value: string | null | undefined): string | null {
  return value ?? null;
}

function flag(value: boolean | null | undefined): number | null {
  return value === null || value === undefined ? null : value ? 1 : 0;
}

/** A number column's value; a missing field binds as NULL rather than failing the whole batch in the driver. */
function numeric(value: number | null | undefined): number | null {
  return value ?? null;
}

/** The row for one event, in `EVENT_COLUMNS` order, for an event `requireEventColumns` accepted. */
export function eventColumnValues(event: TelemetryEvent): EventColumnValue[] {
  // JSON escapes NUL and lone surrogates, so `data` keeps the exact event on both databases; and a plain
  // event (the common case) skips the scan of every field.
  const data = JSON.stringify(event);
  const text = jsonHasUnicodeEscapes(data) ? optionalText : plainText;
  const id = text(event.id) as string;
  const requestId = text(event.requestId) as string;
  const feature = text(event.feature) as string;
  switch (event.type) {
    case 'decision':
      // biome-ignore format: values in EVENT_COLUMNS order, several to a line, read best unwrapped
      return [id, 'decision', event.at, requestId, feature, text(event.variant), text(event.unitId),
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        text(event.reason), text(event.ruleId), data];
    case 'call':
      // biome-ignore format: values in EVENT_COLUMNS order, several to a line, read best unwrapped
      return [id, 'call', event.at, requestId, feature, text(event.variant), text(event.unitId),
        text(event.scope), text(event.servedVariant), text(event.outcome), text(event.errorClass),
        flag(event.fallback), flag(event.cached), numeric(event.latencyMs), numeric(event.inputTokens),
        numeric(event.outputTokens), numeric(event.costUsd), null, null, null, null, null, null, null, data];
    case 'feedback':
      // biome-ignore format: values in EVENT_COLUMNS order, several to a line, read best unwrapped
      return [id, 'feedback', event.at, requestId, feature, text(event.variant), null,
        null, null, null, null, null, null, null, null, null, null,
        flag(event.accepted), text(event.selectedVariant), numeric(event.rating), text(event.metric),
        numeric(event.value), null, null, data];
  }
}

const TYPES: ReadonlySet<unknown> = new Set(['decision', 'call', 'feedback']);

/**
 * Checks what the columns need, naming the event by its index in the batch: a known type, a text id, request
 * id and feature, an integer time. Callers validate events fully with `eventSchema`; this only keeps one
 * malformed event from failing a batch inside the driver, or from filing under a column it cannot fill.
 */
export function requireEventColumns(event: TelemetryEvent, index: number): void {
  const problem = (field: string, message: string) =>
    new InvalidConfigError('invalid event', [{ path: `events[${index}].${field}`, message }]);
  if (!TYPES.has(event.type)) {
    throw problem('type', 'must be decision, call or feedback');
  }
  for (const field of ['id', 'requestId', 'feature'] as const) {
    if (typeof event[field] !== 'string' || event[field] === '') {
      throw problem(field, 'must be a non-empty string');
    }
  }
  if (!Number.isSafeInteger(event.at) || event.at < 0) {
    throw problem('at', 'must be a non-negative integer (epoch milliseconds)');
  }
}
