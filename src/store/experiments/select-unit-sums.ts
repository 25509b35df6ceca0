import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { MetricSums } from '../../stats/experiment-data.js';
import { toNumber } from '../analytics/analytics-scope.js';
import { type StoreDatabase, TABLES } from '../store-database.js';
import { exposedRequests } from './exposed-requests.js';
import type { ExperimentScope } from './resolve-experiment-query.js';
import { unitColumnsOf, unitMetrics } from './unit-metric-columns.js';

/** The sums of the units of one arm (or of the units seen in several arms) first exposed in one period. */
export interface UnitSumsGroup {
  /** The arm as its column holds it, or null for units exposed to more than one arm. */
  arm: string | null;
  /** `floor((firstExposure - from) / periodMs)`. */
  period: number;
  units: number;
  /** Keyed by metric name. */
  metrics: Record<string, MetricSums>;
}

/** The aggregate columns of one metric in the result row, by metric position. */
const SUM_COLUMNS = {
  unitsWithData: 'w',
  numerator: 'sn',
  denominator: 'sd',
  numeratorSquares: 'snn',
  denominatorSquares: 'sdd',
  crossProducts: 'snd',
} as const;

/**
 * Per-unit numerators and denominators of the scope's metrics, summed per arm and period of first exposure,
 * in one query: the database joins each exposed request to its runs, attempts and feedback, groups them by
 * unit, and returns one row per arm and period. Runs and feedback count from `from` on, however long
 * after `to` they came (a run ends after its decision; feedback comes later still, and either belongs to the
 * exposure that caused it); attempts count in `from <= at < to`.
 */
export async function selectUnitSums(
  db: Kysely<StoreDatabase>,
  scope: ExperimentScope,
): Promise<UnitSumsGroup[]> {
  const metrics = unitMetrics(scope.kind, scope.metrics);
  const columns = unitColumnsOf(metrics);
  const ref = (name: string) => sql.ref(name);
  const leading = (parts: RawBuilder<unknown>[]) => (parts.length === 0 ? sql`` : sql`, ${sql.join(parts)}`);
  // A left join, so units whose requests have no events still count; `e.at + 0` keeps each request's events
  // one probe of the request_id index (a bare `e.at >= from` lets a planner walk the (at, id) index from
  // `from` instead, through every later event of every feature).
  const joinEvents =
    columns.length === 0
      ? sql``
      : sql`left join ${sql.table(TABLES.events)} as e
          on q.arm is not null and e.request_id = q.request_id and e.at + 0 >= ${scope.from} and (
            (e.type = 'call' and e.scope = 'run')
            or (e.type = 'call' and e.scope = 'attempt' and e.at + 0 < ${scope.to})
            or e.type = 'feedback')`;
  const unitColumns = columns.map((column) => sql`${column.aggregate} as ${ref(column.name)}`);
  const perUnit: RawBuilder<unknown>[] = metrics.flatMap(({ numerator, denominator }, index) => [
    sql`coalesce(${ref(`u.${numerator.name}`)}, 0) as ${ref(`n${index}`)}`,
    sql`coalesce(${ref(`u.${denominator.name}`)}, 0) as ${ref(`d${index}`)}`,
  ]);
  const sums: RawBuilder<unknown>[] = metrics.flatMap((_, index) => {
    const [n, d] = [ref(`n${index}`), ref(`d${index}`)];
    const as = (prefix: string) => ref(`${prefix}${index}`);
    return [
      sql`count(*) filter (where ${d} > 0) as ${as(SUM_COLUMNS.unitsWithData)}`,
      sql`sum(${n}) as ${as(SUM_COLUMNS.numerator)}`,
      sql`sum(${d}) as ${as(SUM_COLUMNS.denominator)}`,
      sql`sum(${n} * ${n}) as ${as(SUM_COLUMNS.numeratorSquares)}`,
      sql`sum(${d} * ${d}) as ${as(SUM_COLUMNS.denominatorSquares)}`,
      sql`sum(${n} * ${d}) as ${as(SUM_COLUMNS.crossProducts)}`,
    ];
  });
  // Integer division on both databases: the casts keep SQLite, which binds numbers as REAL, from dividing in
  // floating point (`first_at >= from`, so truncation floors).
  const period = sql`(u.first_at - cast(${scope.from} as bigint)) / cast(${scope.periodMs} as bigint)`;
  const { rows } = await sql<Record<string, unknown>>`
    with ${exposedRequests(scope)},
    units as (
      select q.unit_id as unit_id, q.arm as arm, q.first_at as first_at ${leading(unitColumns)}
      from requests as q ${joinEvents}
      group by q.unit_id, q.arm, q.first_at
    )
    select arm, period_index, count(*) as units ${leading(sums)}
    from (
      select u.arm as arm, ${period} as period_index ${leading(perUnit)}
      from units as u
    ) as per_unit
    group by arm, period_index`.execute(db);
  return rows.map((row) => ({
    arm: (row.arm as string | null) ?? null,
    period: toNumber(row.period_index),
    units: toNumber(row.units),
    metrics: Object.fromEntries(
      metrics.map(({ metric }, index) => {
        const value = (prefix: string) => toNumber(row[`${prefix}${index}`]);
        const metricSums: MetricSums = {
          units: toNumber(row.units),
          unitsWithData: value(SUM_COLUMNS.unitsWithData),
          numerator: value(SUM_COLUMNS.numerator),
          denominator: value(SUM_COLUMNS.denominator),
          numeratorSquares: value(SUM_COLUMNS.numeratorSquares),
          denominatorSquares: value(SUM_COLUMNS.denominatorSquares),
          crossProducts: value(SUM_COLUMNS.crossProducts),
        };
        return [metric, metricSums];
      }),
    ),
  }));
}
