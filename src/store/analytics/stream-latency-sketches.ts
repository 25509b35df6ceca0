import { LogCollapsingLowestDenseDDSketch } from '@datadog/sketches-js';
import type { Kysely } from 'kysely';
import { afterPosition } from '../select-event-page.js';
import { type StoreDatabase, TABLES } from '../store-database.js';
import type { AnalyticsScope } from './analytics-scope.js';
import type { MetricGroup, MetricGroups } from './metric-groups.js';
import type { LatencyQuantiles } from './metric-values.js';

/** DDSketch relative accuracy: every quantile is within 1 % of the exact one. */
export const LATENCY_RELATIVE_ACCURACY = 0.01;

/** Rows read per keyset page: memory holds one page and one sketch per open group, whatever the range. */
const PAGE_SIZE = 10_000;

/**
 * Bins per sketch before the lowest ones collapse: at 1 % accuracy 2,048 bins span a factor of about 1e17,
 * so real latencies never collapse, yet a sketch can never grow past this bound.
 */
const BIN_LIMIT = 2_048;

/**
 * Reads the latency of every executed run in the scope in (at, id) order, one keyset page at a time, and
 * fills each group's per-bucket and total quantiles. Rows arrive bucket after bucket, so only the current
 * bucket's sketches are open; each is merged into its group's total sketch when the bucket ends.
 */
export async function streamLatencySketches(
  db: Kysely<StoreDatabase>,
  scope: AnalyticsScope,
  groups: MetricGroups,
): Promise<void> {
  const open = new Map<MetricGroup, LogCollapsingLowestDenseDDSketch>();
  const totals = new Map<MetricGroup, LogCollapsingLowestDenseDDSketch>();
  const overall = new Map<string, LogCollapsingLowestDenseDDSketch>();
  let bucket = -1;
  const closeBucket = () => {
    for (const [group, sketch] of open) {
      group.quantiles[bucket] = quantilesOf(sketch);
      const total = totals.get(group) ?? newSketch();
      total.merge(sketch);
      totals.set(group, total);
    }
    open.clear();
  };
  let after: { at: number; id: string } | undefined;
  do {
    let select = db
      .selectFrom(TABLES.events)
      .select(['feature', 'variant', 'at', 'id', 'latency_ms'])
      .where('type', '=', 'call')
      .where('scope', '=', 'run')
      .where('outcome', 'in', ['success', 'error'])
      .where('at', '>=', scope.from)
      .where('at', '<', scope.to)
      .orderBy('at')
      .orderBy('id')
      .limit(PAGE_SIZE);
    if (scope.feature !== undefined) {
      select = select.where('feature', '=', scope.feature);
    }
    if (after !== undefined) {
      select = select.where(afterPosition(after));
    }
    const rows = await select.execute();
    for (const row of rows) {
      if (row.latency_ms === null || row.variant === null) {
        continue;
      }
      const rowBucket = Math.floor((row.at - scope.from) / scope.intervalMs);
      if (rowBucket !== bucket) {
        closeBucket();
        bucket = rowBucket;
      }
      const group = groups.group(row.feature, row.variant);
      let sketch = open.get(group);
      if (sketch === undefined) {
        sketch = newSketch();
        open.set(group, sketch);
      }
      sketch.accept(row.latency_ms);
      let featureSketch = overall.get(row.feature);
      if (featureSketch === undefined) {
        featureSketch = newSketch();
        overall.set(row.feature, featureSketch);
      }
      featureSketch.accept(row.latency_ms);
    }
    const last = rows.at(-1);
    after = rows.length === PAGE_SIZE && last !== undefined ? { at: last.at, id: last.id } : undefined;
  } while (after !== undefined);
  closeBucket();
  for (const [group, sketch] of totals) {
    group.totalQuantiles = quantilesOf(sketch);
  }
  for (const [feature, sketch] of overall) {
    groups.setOverallQuantiles(feature, quantilesOf(sketch));
  }
}

function newSketch(): LogCollapsingLowestDenseDDSketch {
  return new LogCollapsingLowestDenseDDSketch({
    relativeAccuracy: LATENCY_RELATIVE_ACCURACY,
    binLimit: BIN_LIMIT,
  });
}

/** p50, p95 and p99, clamped to the exact minimum and maximum the sketch saw (a bin can overshoot them). */
function quantilesOf(sketch: LogCollapsingLowestDenseDDSketch): LatencyQuantiles {
  const at = (quantile: number) =>
    Math.min(sketch.max, Math.max(sketch.min, sketch.getValueAtQuantile(quantile)));
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}
