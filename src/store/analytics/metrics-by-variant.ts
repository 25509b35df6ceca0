import type { Kysely } from 'kysely';
import type { StoreKind } from '../store.js';
import type { StoreDatabase } from '../store-database.js';
import type { MetricsByVariant, MetricsQuery } from './analytics-types.js';
import { combinedTotals, groupTotals, orderGroups } from './group-totals.js';
import { MetricGroups } from './metric-groups.js';
import { toMetricValues } from './metric-values.js';
import { resolveMetricsQuery } from './resolve-analytics-query.js';
import { selectConfiguredVariants } from './select-configured-variants.js';
import { selectMetricCounts } from './select-metric-counts.js';
import { streamLatencySketches } from './stream-latency-sketches.js';

/**
 * One feature's metrics per variant as a time series of buckets `floor((at - from) / intervalMs)`, plus
 * each variant's totals (definitions in `analytics-types.ts` and docs/metrics.md). Counts and sums come
 * from SQL GROUP BY; latency quantiles from DDSketches built while streaming the runs in (at, id) order.
 *
 * @example
 * ```ts
 * const metrics = await metricsByVariant(db, 'sqlite', {
 *   feature: 'coach-reply',
 *   from: Date.parse('2025-01-01'),
 *   to: Date.parse('2025-01-02'),
 * });
 * // metrics.intervalMs === 600_000: 144 ten-minute buckets per variant
 * ```
 */
export async function metricsByVariant(
  db: Kysely<StoreDatabase>,
  kind: StoreKind,
  query: MetricsQuery,
): Promise<MetricsByVariant> {
  const scope = resolveMetricsQuery(kind, query);
  const feature = scope.feature as string;
  const groups = new MetricGroups(scope.bucketCount);
  const [configured] = await Promise.all([
    selectConfiguredVariants(db, query.feature),
    selectMetricCounts(db, scope, groups),
    query.latency === false ? Promise.resolve() : streamLatencySketches(db, scope, groups),
  ]);
  const variants = configured.get(query.feature) ?? [];
  groups.declare(feature, variants);
  const ordered = orderGroups(groups.variantsOf(feature), variants);
  return {
    feature: query.feature,
    from: scope.from,
    to: scope.to,
    intervalMs: scope.intervalMs,
    series: ordered.map((group) => ({
      variant: group.variant,
      buckets: group.buckets.map((counts, index) => ({
        start: scope.from + index * scope.intervalMs,
        ...toMetricValues(counts, group.quantiles[index]),
      })),
    })),
    totals: ordered.map(groupTotals),
    overall: combinedTotals(ordered, groups.overallQuantiles(feature)),
  };
}
