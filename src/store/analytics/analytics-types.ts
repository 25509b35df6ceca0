/**
 * Shapes of the analytics the store computes over telemetry events. Every definition is spelled out in
 * docs/metrics.md; in short (all over events with `from <= at < to`):
 *
 * - `requests`: run-scope call events of the decided `variant`; `successes`, `errors` and `rejected` split
 *   them by outcome (rejected = refused before any call: rate limited, over budget, invalid input).
 * - `served`: successful runs whose value came from this variant (`servedVariant`), after any fallback.
 * - `errorRate` = errors / requests; `fallbackRate` = fallbacks / successes; `cacheHitRate` = cacheHits /
 *   successes.
 * - `parseErrorRate` = parseErrors / llmAttempts, over attempt-scope events of the attempted variant that
 *   called a model; parse errors are the `parse_error` and `schema_invalid` error classes.
 * - `latencyMs`: over runs that executed (success or error); quantiles from a DDSketch with 1 % relative
 *   accuracy, the mean exact.
 * - tokens and cost: summed over runs (attempts are not counted again); `meanCostUsd` = cost / executed
 *   runs; `costPerAcceptedUsd` = cost / accepted feedback.
 * - `feedback`: feedback events attributed to the event's `variant`, or when it has none to the variant
 *   of the first run with the same request id; `selections` counts feedback whose `selectedVariant` is
 *   this variant.
 *
 * Every ratio is null when its denominator is 0 (no data is not a rate of 0); counts and sums are 0.
 */

/** Latency of executed runs in milliseconds; every field is null when there was none. */
export interface LatencySummary {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  mean: number | null;
}

/** Outcomes users reported through feedback events. */
export interface FeedbackSummary {
  /** Feedback with `accepted: true`. */
  accepted: number;
  /** Feedback with `accepted: false`. */
  rejected: number;
  /** accepted / (accepted + rejected). */
  acceptanceRate: number | null;
  /** Feedback whose `selectedVariant` names this variant. */
  selections: number;
  /** Feedback carrying a rating. */
  ratings: number;
  /** Mean of the ratings. */
  ratingMean: number | null;
}

/** Every metric of one variant over one bucket or the whole range. */
export interface MetricValues {
  requests: number;
  successes: number;
  errors: number;
  rejected: number;
  served: number;
  errorRate: number | null;
  fallbacks: number;
  fallbackRate: number | null;
  cacheHits: number;
  cacheHitRate: number | null;
  llmAttempts: number;
  parseErrors: number;
  parseErrorRate: number | null;
  latencyMs: LatencySummary;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  meanCostUsd: number | null;
  feedback: FeedbackSummary;
  costPerAcceptedUsd: number | null;
}

/** The metrics of one time bucket: events with `start <= at < min(start + intervalMs, to)`. */
export interface MetricBucket extends MetricValues {
  /** Epoch milliseconds: `from + index * intervalMs`. */
  start: number;
}

/** The buckets of one variant, every bucket of the range present (zeroed when empty). */
export interface VariantSeries {
  variant: string;
  buckets: MetricBucket[];
}

/** The metrics of one variant over a whole range. */
export interface VariantTotals extends MetricValues {
  variant: string;
}

/** What `metricsByVariant` reads: one feature, `from <= at < to` in epoch milliseconds. */
export interface MetricsQuery {
  feature: string;
  from: number;
  to: number;
  /** Bucket width, at least 1 s; default the round width that gives at most about 200 buckets. */
  intervalMs?: number;
  /**
   * False skips the latency quantiles (p50, p95 and p99 come back null; the mean stays exact): they are the
   * one part that reads every run of the range, so callers that do not show them save that read. Default true.
   */
  latency?: boolean;
}

/** A feature's metrics per variant as a time series, with the totals of each variant. */
export interface MetricsByVariant {
  feature: string;
  from: number;
  to: number;
  intervalMs: number;
  /** The feature's configured variants in config order, then any other variant seen, by name. */
  series: VariantSeries[];
  /** One entry per series, in the same order. */
  totals: VariantTotals[];
  /** Every variant taken together over the whole range (latency quantiles from the merged runs). */
  overall: MetricValues;
}

/** What `statsTotals` reads: every feature, or one, over `from <= at < to` in epoch milliseconds. */
export interface StatsQuery {
  from: number;
  to: number;
  feature?: string;
}

/** The totals of one feature, one entry per variant. */
export interface FeatureTotals {
  feature: string;
  variants: VariantTotals[];
}

/** Totals per feature and variant; live features appear even without events, ordered by key. */
export interface StatsTotals {
  from: number;
  to: number;
  feature: string | null;
  features: FeatureTotals[];
}
