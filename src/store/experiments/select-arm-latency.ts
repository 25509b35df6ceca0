import { LogCollapsingLowestDenseDDSketch } from '@datadog/sketches-js';
import { type Kysely, sql } from 'kysely';
import { InvalidInputError } from '../../core/errors.js';
import type { LatencyDistribution } from '../../stats/experiment-data.js';
import { toNumber } from '../analytics/analytics-scope.js';
import { LATENCY_RELATIVE_ACCURACY } from '../analytics/stream-latency-sketches.js';
import { type StoreDatabase, TABLES } from '../store-database.js';
import { exposedRequests } from './exposed-requests.js';
import type { ExperimentScope } from './resolve-experiment-query.js';

/** Bins per sketch before the lowest collapse, as the analytics sketches. */
const BIN_LIMIT = 2_048;

/**
 * `1 / ln(gamma)` of DDSketch's logarithmic mapping: a positive value x falls in bin `ceil(ln(x) / ln(gamma))`,
 * and every value of a bin is within the relative accuracy of the bin's representative.
 */
const BIN_MULTIPLIER = 1 / Math.log1p((2 * LATENCY_RELATIVE_ACCURACY) / (1 - LATENCY_RELATIVE_ACCURACY));

interface BinRow {
  arm: string;
  bin: number | string | null;
  runs: number | string;
  min_latency: number | string;
  max_latency: number | string;
}

/**
 * The latency of each arm's executed runs (`success` or `error`) as a DDSketch with 1 % relative accuracy.
 * The database computes each run's sketch bin and returns one row per arm and bin with its count (at most a
 * few thousand rows per arm, whatever the number of runs), which the sketch takes as weights: the same
 * sketch as feeding it every latency, from one pass over the runs, without the repeated unit grouping that
 * keyset pages over a unit-level join would cost. Quantiles are clamped to the exact minimum and maximum.
 * Arms without executed runs are absent.
 */
export async function selectArmLatency(
  db: Kysely<StoreDatabase>,
  scope: ExperimentScope,
): Promise<Map<string, LatencyDistribution>> {
  // `e.at + 0` keeps the join on the request_id index (see selectUnitSums).
  // Zero (and anything not positive) goes to the sketch's zero bin, as `accept` would put it.
  const bin = sql`case when e.latency_ms > 0 then cast(ceil(ln(e.latency_ms) * ${BIN_MULTIPLIER}) as bigint) end`;
  const { rows } = await sql<BinRow>`
    with ${exposedRequests(scope)}
    select q.arm as arm, ${bin} as bin, count(*) as runs,
      min(e.latency_ms) as min_latency, max(e.latency_ms) as max_latency
    from requests as q cross join ${sql.table(TABLES.events)} as e
    where q.arm is not null and e.request_id = q.request_id and e.type = 'call' and e.scope = 'run' and e.outcome in ('success', 'error')
      and e.at + 0 >= ${scope.from} and e.latency_ms is not null
    group by arm, bin`.execute(db);
  const sketches = new Map<string, { sketch: LogCollapsingLowestDenseDDSketch; min: number; max: number }>();
  for (const row of rows) {
    let entry = sketches.get(row.arm);
    if (entry === undefined) {
      entry = { sketch: newSketch(), min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };
      sketches.set(row.arm, entry);
    }
    // A bin's representative maps back to the bin, so the sketch holds exactly these counts.
    const value = row.bin === null ? 0 : entry.sketch.mapping.value(toNumber(row.bin));
    entry.sketch.accept(value, toNumber(row.runs));
    entry.min = Math.min(entry.min, toNumber(row.min_latency));
    entry.max = Math.max(entry.max, toNumber(row.max_latency));
  }
  return new Map([...sketches].map(([arm, { sketch, min, max }]) => [arm, toDistribution(sketch, min, max)]));
}

function newSketch(): LogCollapsingLowestDenseDDSketch {
  return new LogCollapsingLowestDenseDDSketch({
    relativeAccuracy: LATENCY_RELATIVE_ACCURACY,
    binLimit: BIN_LIMIT,
  });
}

function toDistribution(
  sketch: LogCollapsingLowestDenseDDSketch,
  min: number,
  max: number,
): LatencyDistribution {
  return {
    count: sketch.count,
    quantile(p: number): number {
      if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
        throw new InvalidInputError('p', 'must be a probability from 0 to 1');
      }
      return Math.min(max, Math.max(min, sketch.getValueAtQuantile(p)));
    },
  };
}
