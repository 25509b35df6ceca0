import type { Kysely } from 'kysely';
import type { ArmData, ExperimentData, MetricSums, PeriodData } from '../../stats/experiment-data.js';
import type { ExperimentDataQuery, StoreKind } from '../store.js';
import type { StoreDatabase } from '../store-database.js';
import { resolveExperimentQuery } from './resolve-experiment-query.js';
import { selectArmLatency } from './select-arm-latency.js';
import { selectUnitSums } from './select-unit-sums.js';

/**
 * An experiment's per-arm sufficient statistics (see `Store.experimentData`): unit-level sums from one
 * aggregate query, latency sketches from another when `p95-latency` is asked for, and the sums per period of
 * first exposure when `periodMs` is. Memory holds one row per arm and period, never events.
 */
export async function selectExperimentData(
  db: Kysely<StoreDatabase>,
  kind: StoreKind,
  query: ExperimentDataQuery,
): Promise<ExperimentData> {
  const scope = resolveExperimentQuery(kind, query);
  const [groups, latency] = await Promise.all([
    selectUnitSums(db, scope),
    scope.latency ? selectArmLatency(db, scope) : undefined,
  ]);
  const emptyMetrics = () => Object.fromEntries(scope.metrics.map((metric) => [metric, emptyMetricSums()]));
  const arms = new Map<string, ArmData>(
    scope.arms.map((arm) => [
      arm.column,
      { variant: arm.name, units: 0, metrics: emptyMetrics(), latency: latency?.get(arm.column) ?? null },
    ]),
  );
  const periods = new Map<number, PeriodData>();
  let multipleExposureUnits = 0;
  // Totals add the period rows up: every sum is additive over disjoint sets of units.
  for (const group of [...groups].sort((left, right) => left.period - right.period)) {
    const arm = group.arm === null ? undefined : arms.get(group.arm);
    if (arm === undefined) {
      multipleExposureUnits += group.units;
      continue;
    }
    arm.units += group.units;
    addMetrics(arm.metrics, group.metrics);
    if (scope.periods) {
      let period = periods.get(group.period);
      if (period === undefined) {
        const byArm = scope.arms.map((each) => [each.name, emptyMetrics()] as const);
        period = { index: group.period, arms: Object.fromEntries(byArm) };
        periods.set(group.period, period);
      }
      addMetrics(period.arms[arm.variant] ?? {}, group.metrics);
    }
  }
  return { arms: [...arms.values()], multipleExposureUnits, periods: [...periods.values()] };
}

function emptyMetricSums(): MetricSums {
  return {
    units: 0,
    unitsWithData: 0,
    numerator: 0,
    denominator: 0,
    numeratorSquares: 0,
    denominatorSquares: 0,
    crossProducts: 0,
  };
}

function addMetrics(into: Record<string, MetricSums>, from: Record<string, MetricSums>): void {
  for (const [metric, sums] of Object.entries(from)) {
    const target = into[metric];
    if (target === undefined) continue;
    target.units += sums.units;
    target.unitsWithData += sums.unitsWithData;
    target.numerator += sums.numerator;
    target.denominator += sums.denominator;
    target.numeratorSquares += sums.numeratorSquares;
    target.denominatorSquares += sums.denominatorSquares;
    target.crossProducts += sums.crossProducts;
  }
}
