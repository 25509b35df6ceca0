import { InvalidInputError } from '../../core/errors.js';
import type { MetricsQuery, StatsQuery } from '../../store/analytics/analytics-types.js';
import type { EventFilter } from '../../store/store.js';

/** Query-string parameters as an HTTP framework hands them over. */
export type QueryParams = Readonly<Record<string, unknown>>;

const DAY = 86_400_000;
/** The range analytics read when a request names neither end. */
export const DEFAULT_RANGE_MS = DAY;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const EPOCH_MS = /^\d{1,16}$/;
const DURATION = /^(\d{1,12})(ms|s|m|h|d)?$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: DAY };
const EVENT_TYPES = ['decision', 'call', 'feedback'] as const;

/**
 * The time range of an analytics request: `from` / `to` (or `start` / `end`, as older dashboards name them)
 * as epoch milliseconds, an ISO 8601 date-time with a zone, or a UTC date. A date-only end covers its whole
 * day (`end=2025-01-31` reads through January 31). Missing ends default to `now` and `DEFAULT_RANGE_MS`
 * before it; InvalidInputError names the parameter that is wrong.
 */
export function parseTimeRange(params: QueryParams, now: number): { from: number; to: number } {
  const to = optionalTime(params, 'to', 'end', true) ?? now;
  const from = optionalTime(params, 'from', 'start', false) ?? to - DEFAULT_RANGE_MS;
  return { from, to };
}

/**
 * A `metricsByVariant` query from request parameters: `feature` (required), the time range, and
 * `interval` as milliseconds or a duration (`30s`, `5m`, `1h`, `1d`).
 *
 * @example
 * ```ts
 * parseMetricsParams({ feature: 'coach-reply', start: '2025-01-01', end: '2025-01-31', interval: '1d' }, Date.now());
 * ```
 */
export function parseMetricsParams(params: QueryParams, now: number): MetricsQuery {
  const feature = single(params, 'feature');
  if (typeof feature !== 'string' || feature === '') {
    throw new InvalidInputError('feature', 'is required');
  }
  const interval = single(params, 'interval');
  return {
    feature,
    ...parseTimeRange(params, now),
    ...(interval === undefined ? {} : { intervalMs: parseDuration('interval', interval) }),
  };
}

/** A `statsTotals` query from request parameters: the time range and an optional `feature`. */
export function parseStatsParams(params: QueryParams, now: number): StatsQuery {
  const feature = optionalText(params, 'feature');
  return { ...parseTimeRange(params, now), ...(feature === undefined ? {} : { feature }) };
}

/**
 * An event filter from request parameters (`type`, `feature`, `variant`, `requestId`, `from` / `to` or
 * `start` / `end`); with no time given it reads every event, as an export of all history should.
 */
export function parseEventFilterParams(params: QueryParams): EventFilter {
  const type = optionalText(params, 'type');
  if (type !== undefined && !(EVENT_TYPES as readonly string[]).includes(type)) {
    throw new InvalidInputError('type', `must be one of ${EVENT_TYPES.join(', ')}`);
  }
  const filter: EventFilter = {};
  if (type !== undefined) filter.type = type as EventFilter['type'];
  for (const field of ['feature', 'variant', 'requestId'] as const) {
    const value = optionalText(params, field);
    if (value !== undefined) filter[field] = value;
  }
  const from = optionalTime(params, 'from', 'start', false);
  const to = optionalTime(params, 'to', 'end', true);
  if (from !== undefined) filter.from = from;
  if (to !== undefined) filter.to = to;
  return filter;
}

/** Milliseconds from `300000` or a duration with a unit (`ms`, `s`, `m`, `h`, `d`). */
export function parseDuration(field: string, value: unknown): number {
  const match = typeof value === 'string' ? DURATION.exec(value.trim()) : null;
  if (match === null) {
    throw new InvalidInputError(field, 'must be milliseconds or a duration such as 30s, 5m, 1h or 1d');
  }
  return Number(match[1]) * (UNIT_MS[match[2] ?? 'ms'] ?? 1);
}

function optionalTime(params: QueryParams, name: string, alias: string, end: boolean): number | undefined {
  const field = params[name] === undefined && params[alias] !== undefined ? alias : name;
  const value = single(params, field);
  if (value === undefined || value === '') {
    return undefined;
  }
  const text = String(value).trim();
  if (EPOCH_MS.test(text)) {
    return Number(text);
  }
  if (DATE_ONLY.test(text) || DATE_TIME.test(text)) {
    const at = Date.parse(DATE_ONLY.test(text) ? `${text}T00:00:00Z` : text);
    if (Number.isFinite(at) && at >= 0) {
      return DATE_ONLY.test(text) && end ? at + DAY : at;
    }
  }
  throw new InvalidInputError(
    field,
    'must be epoch milliseconds, an ISO 8601 date-time with a zone or a date',
  );
}

function optionalText(params: QueryParams, field: string): string | undefined {
  const value = single(params, field);
  if (value === undefined || value === '') {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new InvalidInputError(field, 'must be text');
  }
  return value;
}

function single(params: QueryParams, field: string): unknown {
  const value = params[field];
  if (Array.isArray(value)) {
    throw new InvalidInputError(field, 'must be given once');
  }
  return value;
}
