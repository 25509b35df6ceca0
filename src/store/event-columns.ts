import { InvalidConfigError } from '../core/errors.js';
import {
  callEventSchema,
  decisionEventSchema,
  feedbackEventSchema,
  type TelemetryEvent,
} from '../core/event-schema.js';

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

/** How a column keeps an event field: as text, as a 0 / 1 integer for a boolean, or as a number. */
type ColumnKind = 'text' | 'flag' | 'number';

type EventColumn = (typeof EVENT_COLUMNS)[number];

/** An event field with a column of its own. */
interface FieldColumn {
  readonly field: string;
  readonly column: EventColumn;
  /** The column's position in `EVENT_COLUMNS`: where `eventColumnValues` puts the value. */
  readonly index: number;
  readonly kind: ColumnKind;
}

/** What the columns keep of one event type, and the order its fields are read back in. */
interface TypeColumns {
  readonly fields: readonly FieldColumn[];
  readonly byField: ReadonlyMap<string, FieldColumn>;
  /** Every field a column holds. */
  readonly held: ReadonlySet<string>;
  /** The type's fields in its schema's order: events come back with their keys in this order. */
  readonly order: readonly string[];
}

function typeColumns(schema: { shape: object }, own: Record<string, [EventColumn, ColumnKind]>): TypeColumns {
  // `requireEventColumns` has checked `type`, `at`, `id`, `requestId` and `feature`: they always fit.
  const columned: Record<string, [EventColumn, ColumnKind]> = {
    id: ['id', 'text'],
    type: ['type', 'text'],
    at: ['at', 'number'],
    requestId: ['request_id', 'text'],
    feature: ['feature', 'text'],
    ...own,
  };
  const fields = Object.entries(columned).map(([field, [column, kind]]) => ({
    field,
    column,
    index: EVENT_COLUMNS.indexOf(column),
    kind,
  }));
  return {
    fields,
    byField: new Map(fields.map((entry) => [entry.field, entry])),
    held: new Set(Object.keys(columned)),
    order: Object.keys(schema.shape),
  };
}

/**
 * The fields each event type keeps in columns besides `id`, `type`, `at`, `requestId` and `feature`. Every
 * other field goes to `data`, and so does any of these its column cannot give back exactly.
 */
const TYPE_COLUMNS: Readonly<Record<TelemetryEvent['type'], TypeColumns>> = {
  decision: typeColumns(decisionEventSchema, {
    variant: ['variant', 'text'],
    unitId: ['unit_id', 'text'],
    reason: ['reason', 'text'],
    ruleId: ['rule_id', 'text'],
  }),
  call: typeColumns(callEventSchema, {
    variant: ['variant', 'text'],
    unitId: ['unit_id', 'text'],
    scope: ['scope', 'text'],
    servedVariant: ['served_variant', 'text'],
    outcome: ['outcome', 'text'],
    errorClass: ['error_class', 'text'],
    fallback: ['fallback', 'flag'],
    cached: ['cached', 'flag'],
    latencyMs: ['latency_ms', 'number'],
    inputTokens: ['input_tokens', 'number'],
    outputTokens: ['output_tokens', 'number'],
    costUsd: ['cost_usd', 'number'],
  }),
  feedback: typeColumns(feedbackEventSchema, {
    variant: ['variant', 'text'],
    accepted: ['accepted', 'flag'],
    selectedVariant: ['selected_variant', 'text'],
    rating: ['rating', 'number'],
    metric: ['metric', 'text'],
    value: ['value', 'number'],
  }),
};

const DATA_INDEX = EVENT_COLUMNS.indexOf('data');
/** A row of NULLs, copied for each event: a packed copy is quicker to fill than a new holey array. */
const EMPTY_ROW: readonly EventColumnValue[] = EVENT_COLUMNS.map(() => null);

/** A field's value as its column keeps it: NULL for null, a missing field, or a value of another type. */
function columnValue(kind: ColumnKind, value: unknown): EventColumnValue {
  switch (kind) {
    case 'text':
      return typeof value === 'string' ? columnText(value) : null;
    case 'flag':
      return typeof value === 'boolean' ? (value ? 1 : 0) : null;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : null;
  }
}

/** A field's value as its column gives it back (a driver may give a 64-bit integer as text). */
function fieldValue(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'text':
      return value;
    case 'flag':
      return Number(value) === 1;
    case 'number':
      return Number(value);
  }
}

/**
 * The row for one event, in `EVENT_COLUMNS` order, for an event `requireEventColumns` accepted. The columns
 * hold the fields analytics filter and aggregate on; `data` holds the JSON of the rest (model, provider,
 * error message, attempts, prompt and output when kept, any field the schema does not know) and of any
 * columned field its column cannot give back exactly (text with NUL or a lone surrogate, a value of another
 * type).
 * `data` no longer repeats the columns: that was two thirds of its text and a sixth of the insert
 * (docs/decisions/0013-event-data-beside-columns.md). `eventFromColumns` puts the event back together.
 */
export function eventColumnValues(event: TelemetryEvent): EventColumnValue[] {
  const columns = TYPE_COLUMNS[event.type];
  const row = EMPTY_ROW.slice();
  const fields = event as unknown as Record<string, unknown>;
  let rest: Record<string, unknown> | undefined;
  for (const { field, index, kind } of columns.fields) {
    const value = fields[field];
    const stored = columnValue(kind, value);
    row[index] = stored;
    // NULL reads back as null, which a missing field becomes too (no columned field is optional). Text comes
    // back as columnText made it, and a flag or number as it went in, unless it did not fit (NULL).
    if (value !== null && value !== undefined && (kind === 'text' ? stored !== value : stored === null)) {
      rest ??= {};
      rest[field] = value;
    }
  }
  for (const field in fields) {
    if (!columns.held.has(field)) {
      rest ??= {};
      rest[field] = fields[field];
    }
  }
  row[DATA_INDEX] = rest === undefined ? '{}' : JSON.stringify(rest);
  return row;
}

/** A stored row by column name, as a select of `EVENT_COLUMNS` gives it. */
export type EventColumnRow = Readonly<Record<EventColumn, unknown>>;

/**
 * The event a row holds: its type's fields in schema order, each from `data` when it is there and from its
 * column otherwise, then any field in `data` the schema does not know. Rows written while `data` still held
 * the whole event come back the same way, from `data` alone.
 */
export function eventFromColumns(row: EventColumnRow): TelemetryEvent {
  const data = JSON.parse(String(row.data)) as Record<string, unknown>;
  const columns = TYPE_COLUMNS[row.type as TelemetryEvent['type']];
  if (columns === undefined) return data as unknown as TelemetryEvent;
  const event: Record<string, unknown> = {};
  for (const field of columns.order) {
    if (Object.hasOwn(data, field)) {
      event[field] = data[field];
    } else {
      const column = columns.byField.get(field);
      if (column !== undefined) event[field] = fieldValue(column.kind, row[column.column]);
    }
  }
  for (const field in data) {
    if (!Object.hasOwn(event, field)) event[field] = data[field];
  }
  return event as unknown as TelemetryEvent;
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
