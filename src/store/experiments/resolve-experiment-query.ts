import { InvalidInputError } from '../../core/errors.js';
import { BUILT_IN_EXPERIMENT_METRICS, FEEDBACK_METRIC_PREFIX } from '../../core/experiment-config.js';
import { columnText } from '../event-columns.js';
import type { ExperimentDataQuery, StoreKind } from '../store.js';

/** The narrowest bandit period a query may ask for. */
export const MIN_PERIOD_MS = 1_000;
/** The most periods one query may produce. */
export const MAX_PERIODS = 10_000;
/** The most metrics one query may name. */
export const MAX_METRICS = 100;
/** The metric read from the latency sketch rather than from per-unit sums. */
export const LATENCY_METRIC = 'p95-latency';

/** One arm: its name as asked for, and as its column holds it. */
export interface ScopeArm {
  readonly name: string;
  readonly column: string;
}

/** The events one `experimentData` query reads, every field validated and text as its columns hold it. */
export interface ExperimentScope {
  readonly kind: StoreKind;
  readonly feature: string;
  readonly ruleId: string;
  readonly arms: readonly ScopeArm[];
  /** The arm whose DEFAULT decisions also count as exposures (as its column holds it), or null. */
  readonly fallthroughArm: string | null;
  /** Inclusive, epoch milliseconds. */
  readonly from: number;
  /** Exclusive, epoch milliseconds. */
  readonly to: number;
  /** The period length, or `to - from` (a single period) when the query asked for none. */
  readonly periodMs: number;
  /** Whether the query asked for periods. */
  readonly periods: boolean;
  /** Metric names summed per unit, in the query's order without repeats (`p95-latency` left out). */
  readonly metrics: readonly string[];
  /** Whether `p95-latency` was asked for, which fills each arm's latency sketch. */
  readonly latency: boolean;
}

/**
 * Checks an `experimentData` query; InvalidInputError naming the field when `feature` or `ruleId` is not a
 * non-empty string, `arms` is not a non-empty list of distinct non-empty strings, `from` or `to` is not a
 * non-negative integer or `to <= from`, a metric is unknown, or `periodMs` is under 1 s, not an integer, or
 * gives more than 10,000 periods.
 */
export function resolveExperimentQuery(kind: StoreKind, query: ExperimentDataQuery): ExperimentScope {
  if (typeof query !== 'object' || query === null) {
    throw new InvalidInputError('query', 'must be an object');
  }
  const feature = requireName('feature', query.feature);
  const ruleId = requireName('ruleId', query.ruleId);
  const arms = requireArms(query.arms);
  const from = requireTime('from', query.from);
  const to = requireTime('to', query.to);
  if (to <= from) {
    throw new InvalidInputError('to', 'must be later than from');
  }
  const metrics = requireMetrics(query.metrics);
  let fallthroughArm: string | null = null;
  if (query.fallthroughArm !== undefined) {
    if (typeof query.fallthroughArm !== 'string' || !arms.includes(query.fallthroughArm)) {
      throw new InvalidInputError('fallthroughArm', 'must be one of the arms');
    }
    fallthroughArm = columnText(query.fallthroughArm);
  }
  let periodMs = to - from;
  if (query.periodMs !== undefined) {
    periodMs = query.periodMs;
    if (!Number.isSafeInteger(periodMs) || periodMs < MIN_PERIOD_MS) {
      throw new InvalidInputError('periodMs', `must be an integer of at least ${MIN_PERIOD_MS} (1 s)`);
    }
    const count = Math.ceil((to - from) / periodMs);
    if (count > MAX_PERIODS) {
      throw new InvalidInputError(
        'periodMs',
        `gives ${count} periods over this range; at most ${MAX_PERIODS} are allowed`,
      );
    }
  }
  return {
    kind,
    feature: columnText(feature),
    ruleId: columnText(ruleId),
    arms: arms.map((name) => ({ name, column: columnText(name) })),
    fallthroughArm,
    from,
    to,
    periodMs,
    periods: query.periodMs !== undefined,
    metrics: metrics.filter((metric) => metric !== LATENCY_METRIC),
    latency: metrics.includes(LATENCY_METRIC),
  };
}

function requireName(field: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new InvalidInputError(field, 'must be a non-empty string');
  }
  return value;
}

function requireArms(arms: unknown): string[] {
  if (!Array.isArray(arms) || arms.length === 0) {
    throw new InvalidInputError('arms', 'must be a non-empty list of variants');
  }
  const seen = new Set<string>();
  for (const [index, arm] of arms.entries()) {
    requireName(`arms[${index}]`, arm);
    // Distinct as columns hold them too: two names that differ only in odd text would be one arm there.
    const column = columnText(arm as string);
    if (seen.has(column)) {
      throw new InvalidInputError('arms', `lists "${arm}" twice`);
    }
    seen.add(column);
  }
  return arms as string[];
}

function requireTime(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidInputError(field, 'must be a non-negative integer (epoch milliseconds)');
  }
  return value;
}

function requireMetrics(metrics: unknown): string[] {
  if (!Array.isArray(metrics)) {
    throw new InvalidInputError('metrics', 'must be a list of metric names');
  }
  const unique = [...new Set(metrics as unknown[])];
  if (unique.length > MAX_METRICS) {
    throw new InvalidInputError(
      'metrics',
      `names ${unique.length} metrics; at most ${MAX_METRICS} are allowed`,
    );
  }
  for (const metric of unique) {
    if (!isMetricName(metric)) {
      throw new InvalidInputError(
        'metrics',
        `unknown metric ${JSON.stringify(metric)}; use ${BUILT_IN_EXPERIMENT_METRICS.join(', ')} or "${FEEDBACK_METRIC_PREFIX}<name>"`,
      );
    }
  }
  return unique as string[];
}

function isMetricName(metric: unknown): boolean {
  if (typeof metric !== 'string') return false;
  if ((BUILT_IN_EXPERIMENT_METRICS as readonly string[]).includes(metric)) return true;
  const name = metric.slice(FEEDBACK_METRIC_PREFIX.length);
  return metric.startsWith(FEEDBACK_METRIC_PREFIX) && name.length > 0 && name.length <= 100;
}
