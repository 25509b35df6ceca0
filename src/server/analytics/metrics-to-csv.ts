import type { MetricsByVariant, MetricValues } from '../../store/analytics/analytics-types.js';
import { type CsvOptions, csvLine } from './csv-line.js';

/** The columns of a metrics CSV after `variant` and `start`: every metric, nested ones flattened. */
export const METRIC_CSV_COLUMNS = [
  'requests',
  'successes',
  'errors',
  'rejected',
  'served',
  'errorRate',
  'fallbacks',
  'fallbackRate',
  'cacheHits',
  'cacheHitRate',
  'llmAttempts',
  'parseErrors',
  'parseErrorRate',
  'latencyP50Ms',
  'latencyP95Ms',
  'latencyP99Ms',
  'latencyMeanMs',
  'inputTokens',
  'outputTokens',
  'costUsd',
  'meanCostUsd',
  'feedbackAccepted',
  'feedbackRejected',
  'acceptanceRate',
  'selections',
  'ratings',
  'ratingMean',
  'costPerAcceptedUsd',
] as const;

/**
 * A `metricsByVariant` result as CSV for spreadsheets: a header, then one record per variant and bucket
 * (`start` as ISO 8601), then one record per variant with `total` as its start; null metrics are empty cells.
 *
 * @example
 * ```ts
 * reply.type('text/csv; charset=utf-8').send(metricsToCsv(await store.metricsByVariant(query)));
 * ```
 */
export function metricsToCsv(metrics: MetricsByVariant, options: CsvOptions = {}): string {
  const lines = [csvLine(['variant', 'start', ...METRIC_CSV_COLUMNS])];
  for (const series of metrics.series) {
    for (const bucket of series.buckets) {
      lines.push(
        csvLine([series.variant, new Date(bucket.start).toISOString(), ...flatten(bucket)], options),
      );
    }
  }
  for (const totals of metrics.totals) {
    lines.push(csvLine([totals.variant, 'total', ...flatten(totals)], options));
  }
  return lines.join('');
}

function flatten(values: MetricValues): unknown[] {
  const { latencyMs, feedback } = values;
  return [
    values.requests,
    values.successes,
    values.errors,
    values.rejected,
    values.served,
    values.errorRate,
    values.fallbacks,
    values.fallbackRate,
    values.cacheHits,
    values.cacheHitRate,
    values.llmAttempts,
    values.parseErrors,
    values.parseErrorRate,
    latencyMs.p50,
    latencyMs.p95,
    latencyMs.p99,
    latencyMs.mean,
    values.inputTokens,
    values.outputTokens,
    values.costUsd,
    values.meanCostUsd,
    feedback.accepted,
    feedback.rejected,
    feedback.acceptanceRate,
    feedback.selections,
    feedback.ratings,
    feedback.ratingMean,
    values.costPerAcceptedUsd,
  ];
}
