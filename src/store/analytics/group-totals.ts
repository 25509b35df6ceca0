import type { MetricValues, VariantTotals } from './analytics-types.js';
import { addMetricCounts, emptyMetricCounts } from './metric-counts.js';
import type { MetricGroup } from './metric-groups.js';
import { toMetricValues } from './metric-values.js';

/** A group's metrics over the whole range: the sum of its bucket counts and its merged latency sketch. */
export function groupTotals(group: MetricGroup): VariantTotals {
  const counts = emptyMetricCounts();
  for (const bucket of group.buckets) {
    addMetricCounts(counts, bucket);
  }
  return { variant: group.variant, ...toMetricValues(counts, group.totalQuantiles) };
}

/** The metrics of several groups taken together (every variant of a feature), with the given quantiles. */
export function combinedTotals(
  groups: readonly MetricGroup[],
  quantiles: MetricGroup['totalQuantiles'],
): MetricValues {
  const counts = emptyMetricCounts();
  for (const group of groups) {
    for (const bucket of group.buckets) {
      addMetricCounts(counts, bucket);
    }
  }
  return toMetricValues(counts, quantiles);
}

/** Groups with the configured variants first, in config order, then every other variant by name. */
export function orderGroups(groups: readonly MetricGroup[], configured: readonly string[]): MetricGroup[] {
  const rank = new Map(configured.map((variant, index) => [variant, index]));
  return [...groups].sort((left, right) => {
    const leftRank = rank.get(left.variant) ?? configured.length;
    const rightRank = rank.get(right.variant) ?? configured.length;
    if (leftRank !== rightRank) {
      return leftRank - rightRank;
    }
    return left.variant < right.variant ? -1 : left.variant > right.variant ? 1 : 0;
  });
}
