import type { CallEvent, FeedbackEvent, TelemetryEvent } from '../../core/event-schema.js';
import { FEEDBACK_METRIC_PREFIX } from '../../core/experiment-config.js';
import type { MetricSums } from '../../stats/experiment-data.js';
import type { ExperimentDataQuery } from '../store.js';

/** What the reference computes for one arm: its units, sums by metric, and the latencies of its runs. */
export interface ReferenceArm {
  units: number;
  metrics: Record<string, MetricSums>;
  latencies: number[];
}

/** The reference answer to an `experimentData` query. */
export interface ReferenceData {
  arms: Map<string, ReferenceArm>;
  multipleExposureUnits: number;
  /** Period index -> arm -> metric -> sums; only periods with units. */
  periods: Map<number, Map<string, Record<string, MetricSums>>>;
}

type UnitValues = (runs: CallEvent[], attempts: CallEvent[], feedback: FeedbackEvent[]) => [number, number];

const count = <T>(items: T[], test: (item: T) => boolean) => items.filter(test).length;
const total = <T>(items: T[], value: (item: T) => number) =>
  items.reduce((sum, item) => sum + value(item), 0);
const executed = (run: CallEvent) => run.outcome === 'success' || run.outcome === 'error';
const success = (run: CallEvent) => run.outcome === 'success';

/** Each metric's per-unit numerator and denominator, written out from docs/metrics.md event by event. */
const BUILT_IN: Record<string, UnitValues> = {
  'error-rate': (runs) => [count(runs, (run) => run.outcome === 'error'), runs.length],
  'fallback-rate': (runs) => [count(runs, (run) => success(run) && run.fallback), count(runs, success)],
  'failure-rate': (runs) => [
    count(runs, (run) => run.outcome === 'error' || (success(run) && run.fallback)),
    runs.length,
  ],
  'cache-hit-rate': (runs) => [count(runs, (run) => success(run) && run.cached), count(runs, success)],
  'parse-error-rate': (_, attempts) => {
    const called = attempts.filter((attempt) => attempt.model !== null);
    const parse = (attempt: CallEvent) =>
      attempt.errorClass === 'parse_error' || attempt.errorClass === 'schema_invalid';
    return [count(called, parse), called.length];
  },
  'acceptance-rate': (_, __, feedback) => [
    count(feedback, (each) => each.accepted === true),
    count(feedback, (each) => each.accepted !== null),
  ],
  'mean-cost': (runs) => [total(runs.filter(executed), (run) => run.costUsd), count(runs, executed)],
  'cost-per-accepted': (runs, _, feedback) => [
    total(runs, (run) => run.costUsd),
    count(feedback, (each) => each.accepted === true),
  ],
  'mean-latency': (runs) => [total(runs.filter(executed), (run) => run.latencyMs), count(runs, executed)],
  rating: (_, __, feedback) => [
    total(feedback, (each) => each.rating ?? 0),
    count(feedback, (each) => each.rating !== null),
  ],
};

function unitValues(metric: string): UnitValues {
  const builtIn = BUILT_IN[metric];
  if (builtIn !== undefined) return builtIn;
  const name = metric.slice(FEEDBACK_METRIC_PREFIX.length);
  return (_, __, feedback) => {
    const named = feedback.filter((each) => each.metric === name && each.value !== null);
    return [total(named, (each) => each.value ?? 0), named.length];
  };
}

/** Zeroed sums. */
export function emptySums(): MetricSums {
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

function addUnit(sums: MetricSums, [numerator, denominator]: [number, number]): void {
  sums.units += 1;
  sums.unitsWithData += denominator > 0 ? 1 : 0;
  sums.numerator += numerator;
  sums.denominator += denominator;
  sums.numeratorSquares += numerator * numerator;
  sums.denominatorSquares += denominator * denominator;
  sums.crossProducts += numerator * denominator;
}

/**
 * The `experimentData` definitions computed naively in memory, unit by unit: the oracle the SQL is checked
 * against. Exposures are the rule's SPLIT and STICKY decisions for an arm, with a unit, in the range; runs
 * and feedback of their requests count from `from` on, attempts within the range.
 */
export function referenceExperimentData(
  events: readonly TelemetryEvent[],
  query: ExperimentDataQuery,
): ReferenceData {
  const inRange = (at: number) => at >= query.from && at < query.to;
  const units = new Map<string, { arms: Set<string>; firstAt: number; requests: Set<string> }>();
  for (const event of events) {
    if (
      event.type !== 'decision' ||
      event.feature !== query.feature ||
      event.ruleId !== query.ruleId ||
      (event.reason !== 'SPLIT' && event.reason !== 'STICKY') ||
      !query.arms.includes(event.variant) ||
      event.unitId === null ||
      !inRange(event.at)
    ) {
      continue;
    }
    const unit = units.get(event.unitId) ?? { arms: new Set(), firstAt: event.at, requests: new Set() };
    unit.arms.add(event.variant);
    unit.firstAt = Math.min(unit.firstAt, event.at);
    unit.requests.add(event.requestId);
    units.set(event.unitId, unit);
  }
  const metrics = query.metrics.filter((metric) => metric !== 'p95-latency');
  const arms = new Map<string, ReferenceArm>(
    query.arms.map((arm) => [
      arm,
      {
        units: 0,
        latencies: [],
        metrics: Object.fromEntries(metrics.map((metric) => [metric, emptySums()])),
      },
    ]),
  );
  const periods: ReferenceData['periods'] = new Map();
  let multipleExposureUnits = 0;
  for (const unit of units.values()) {
    const [arm] = unit.arms;
    const target = arms.get(arm ?? '');
    if (unit.arms.size > 1 || target === undefined) {
      multipleExposureUnits += 1;
      continue;
    }
    const joined = events.filter((event) => unit.requests.has(event.requestId) && event.at >= query.from);
    const calls = joined.filter((event): event is CallEvent => event.type === 'call');
    const runs = calls.filter((call) => call.scope === 'run');
    const attempts = calls.filter((call) => call.scope === 'attempt' && call.at < query.to);
    const feedback = joined.filter((event): event is FeedbackEvent => event.type === 'feedback');
    target.units += 1;
    target.latencies.push(...runs.filter(executed).map((run) => run.latencyMs));
    const index = Math.floor((unit.firstAt - query.from) / (query.periodMs ?? query.to - query.from));
    const period = periods.get(index) ?? new Map<string, Record<string, MetricSums>>();
    periods.set(index, period);
    const periodArm =
      period.get(arm as string) ?? Object.fromEntries(metrics.map((metric) => [metric, emptySums()]));
    period.set(arm as string, periodArm);
    for (const metric of metrics) {
      const values = unitValues(metric)(runs, attempts, feedback);
      addUnit(target.metrics[metric] as MetricSums, values);
      addUnit(periodArm[metric] as MetricSums, values);
    }
  }
  return { arms, multipleExposureUnits, periods };
}
