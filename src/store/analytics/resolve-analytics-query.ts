import { InvalidInputError } from '../../core/errors.js';
import { columnText } from '../event-columns.js';
import type { StoreKind } from '../store.js';
import type { AnalyticsScope } from './analytics-scope.js';
import type { MetricsQuery, StatsQuery } from './analytics-types.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The narrowest bucket a query may ask for. */
export const MIN_INTERVAL_MS = SECOND;
/** The widest range `metricsByVariant` reads. */
export const MAX_RANGE_MS = 366 * DAY;
/** The most buckets one query may produce. */
export const MAX_BUCKETS = 2_000;
/** The default interval is the narrowest round one giving at most this many buckets. */
export const TARGET_BUCKETS = 200;

/** Round bucket widths the default interval picks from, narrowest first. */
const ROUND_INTERVALS = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
];

/** The narrowest round interval that splits a range into at most `TARGET_BUCKETS` buckets. */
export function defaultInterval(rangeMs: number): number {
  return (
    ROUND_INTERVALS.find((interval) => Math.ceil(rangeMs / interval) <= TARGET_BUCKETS) ??
    Math.ceil(rangeMs / TARGET_BUCKETS)
  );
}

/**
 * Checks a `metricsByVariant` query and fills in its interval; InvalidInputError naming the field when
 * `feature` is not a non-empty string, `from` or `to` is not a non-negative integer, `from >= to`, the range
 * exceeds 366 days, `intervalMs` is under 1 s or gives more than 2,000 buckets, or `latency` is not a boolean.
 */
export function resolveMetricsQuery(kind: StoreKind, query: MetricsQuery): AnalyticsScope {
  const { from, to } = requireRange(query);
  if (to - from > MAX_RANGE_MS) {
    throw new InvalidInputError('to', 'must be at most 366 days after from');
  }
  const feature = requireFeature(query.feature);
  const intervalMs = query.intervalMs ?? defaultInterval(to - from);
  if (!Number.isSafeInteger(intervalMs) || intervalMs < MIN_INTERVAL_MS) {
    throw new InvalidInputError('intervalMs', `must be an integer of at least ${MIN_INTERVAL_MS} (1 s)`);
  }
  if (query.latency !== undefined && typeof query.latency !== 'boolean') {
    throw new InvalidInputError('latency', 'must be true or false');
  }
  const bucketCount = Math.ceil((to - from) / intervalMs);
  if (bucketCount > MAX_BUCKETS) {
    throw new InvalidInputError(
      'intervalMs',
      `gives ${bucketCount} buckets over this range; at most ${MAX_BUCKETS} are allowed`,
    );
  }
  return { kind, feature: columnText(feature), from, to, intervalMs, bucketCount };
}

/**
 * Checks a `statsTotals` query: one bucket over the whole range; InvalidInputError naming the field when
 * `from` or `to` is not a non-negative integer, `from >= to`, or `feature` is given but not a non-empty
 * string.
 */
export function resolveStatsQuery(kind: StoreKind, query: StatsQuery): AnalyticsScope {
  const { from, to } = requireRange(query);
  const feature = query.feature === undefined ? undefined : columnText(requireFeature(query.feature));
  return { kind, feature, from, to, intervalMs: to - from, bucketCount: 1 };
}

function requireRange(query: unknown): { from: number; to: number } {
  if (typeof query !== 'object' || query === null) {
    throw new InvalidInputError('query', 'must be an object with from and to');
  }
  const { from, to } = query as { from?: unknown; to?: unknown };
  const requireTime = (field: string, value: unknown): number => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new InvalidInputError(field, 'must be a non-negative integer (epoch milliseconds)');
    }
    return value;
  };
  const start = requireTime('from', from);
  const end = requireTime('to', to);
  if (end <= start) {
    throw new InvalidInputError('to', 'must be later than from');
  }
  return { from: start, to: end };
}

function requireFeature(feature: unknown): string {
  if (typeof feature !== 'string' || feature === '') {
    throw new InvalidInputError('feature', 'must be a non-empty string');
  }
  return feature;
}
