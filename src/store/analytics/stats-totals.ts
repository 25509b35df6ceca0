import type { Kysely } from 'kysely';
import type { StoreKind } from '../store.js';
import type { StoreDatabase } from '../store-database.js';
import type { StatsQuery, StatsTotals } from './analytics-types.js';
import { groupTotals, orderGroups } from './group-totals.js';
import { MetricGroups } from './metric-groups.js';
import { resolveStatsQuery } from './resolve-analytics-query.js';
import { selectConfiguredVariants } from './select-configured-variants.js';
import { selectMetricCounts } from './select-metric-counts.js';
import { streamLatencySketches } from './stream-latency-sketches.js';

/**
 * Totals per feature and variant over `from <= at < to` (the fields of `metricsByVariant` totals): every
 * live feature with its configured variants, zeroed when idle, plus any feature or variant seen in events;
 * with `feature`, that feature alone.
 *
 * @example
 * ```ts
 * const stats = await statsTotals(db, 'postgres', { from: Date.now() - 86_400_000, to: Date.now() });
 * for (const { feature, variants } of stats.features) console.log(feature, variants.map((v) => v.errorRate));
 * ```
 */
export async function statsTotals(
  db: Kysely<StoreDatabase>,
  kind: StoreKind,
  query: StatsQuery,
): Promise<StatsTotals> {
  const scope = resolveStatsQuery(kind, query);
  const groups = new MetricGroups(1);
  const [configured] = await Promise.all([
    selectConfiguredVariants(db, query.feature),
    selectMetricCounts(db, scope, groups),
    streamLatencySketches(db, scope, groups),
  ]);
  for (const [feature, variants] of configured) {
    groups.declare(feature, variants);
  }
  const features = groups.features().sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));
  return {
    from: scope.from,
    to: scope.to,
    feature: query.feature ?? null,
    features: features.map((feature) => ({
      feature,
      variants: orderGroups(groups.variantsOf(feature), configured.get(feature) ?? []).map(groupTotals),
    })),
  };
}
