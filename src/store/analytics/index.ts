export type {
  FeatureTotals,
  FeedbackSummary,
  LatencySummary,
  MetricBucket,
  MetricsByVariant,
  MetricsQuery,
  MetricValues,
  StatsQuery,
  StatsTotals,
  VariantSeries,
  VariantTotals,
} from './analytics-types.js';
export { metricsByVariant } from './metrics-by-variant.js';
export {
  defaultInterval,
  MAX_BUCKETS,
  MAX_RANGE_MS,
  MIN_INTERVAL_MS,
  TARGET_BUCKETS,
} from './resolve-analytics-query.js';
export { PARSE_ERROR_CLASSES } from './select-metric-counts.js';
export { statsTotals } from './stats-totals.js';
export { LATENCY_RELATIVE_ACCURACY } from './stream-latency-sketches.js';
