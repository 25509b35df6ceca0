import { type RawBuilder, sql } from 'kysely';
import { FEEDBACK_METRIC_PREFIX } from '../../core/experiment-config.js';
import { PARSE_ERROR_CLASSES } from '../analytics/select-metric-counts.js';
import { calledModel } from '../called-model.js';
import { columnText } from '../event-columns.js';
import type { StoreKind } from '../store.js';

/** One aggregate over a unit's joined events (alias `e`), named by the column it becomes. */
export interface UnitColumn {
  readonly name: string;
  readonly aggregate: RawBuilder<unknown>;
}

/** A metric as a ratio of two unit columns: per unit, numerator and denominator. */
export interface UnitMetric {
  readonly metric: string;
  readonly numerator: UnitColumn;
  readonly denominator: UnitColumn;
}

// A run the caller cancelled is no run of the variant's: no rate counts it, in its numerator or denominator.
const run = sql`e.type = 'call' and e.scope = 'run' and e.outcome <> 'cancelled'`;
const executed = sql`${run} and e.outcome in ('success', 'error')`;
const success = sql`${run} and e.outcome = 'success'`;
const feedback = sql`e.type = 'feedback'`;

const count = (name: string, condition: RawBuilder<unknown>): UnitColumn => ({
  name,
  aggregate: sql`count(*) filter (where ${condition})`,
});
const total = (name: string, column: string, condition: RawBuilder<unknown>): UnitColumn => ({
  name,
  aggregate: sql`sum(${sql.ref(`e.${column}`)}) filter (where ${condition})`,
});

/**
 * The per-unit numerator and denominator of each metric, as docs/metrics.md defines them over a unit's
 * exposed requests; `feedback:<name>` sums the `value` of feedback with that `metric` over its count (feedback
 * without a value is left out of both). The caller has checked every name.
 */
export function unitMetrics(kind: StoreKind, metrics: readonly string[]): UnitMetric[] {
  const runs = count('runs', run);
  const successes = count('successes', success);
  const executedRuns = count('executed_runs', executed);
  const accepted = count('accepted', sql`${feedback} and e.accepted = 1`);
  const attempts = sql`e.type = 'call' and e.scope = 'attempt' and ${calledModel(kind)}`;
  const parseErrors = sql.join(PARSE_ERROR_CLASSES.map((errorClass) => sql`${errorClass}`));
  const builtIn: Record<string, [UnitColumn, UnitColumn]> = {
    'error-rate': [count('run_errors', sql`${run} and e.outcome = 'error'`), runs],
    'fallback-rate': [count('fallbacks', sql`${success} and e.fallback = 1`), successes],
    'failure-rate': [
      count('failures', sql`${run} and (e.outcome = 'error' or (e.outcome = 'success' and e.fallback = 1))`),
      runs,
    ],
    'cache-hit-rate': [count('cache_hits', sql`${success} and e.cached = 1`), successes],
    'parse-error-rate': [
      count('parse_errors', sql`${attempts} and e.error_class in (${parseErrors})`),
      count('llm_attempts', attempts),
    ],
    'acceptance-rate': [accepted, count('judged', sql`${feedback} and e.accepted is not null`)],
    'mean-cost': [total('executed_cost', 'cost_usd', executed), executedRuns],
    'cost-per-accepted': [total('run_cost', 'cost_usd', run), accepted],
    'mean-latency': [total('latency_sum', 'latency_ms', executed), executedRuns],
    rating: [
      total('rating_sum', 'rating', feedback),
      count('ratings', sql`${feedback} and e.rating is not null`),
    ],
  };
  return metrics.map((metric, index) => {
    const pair = builtIn[metric];
    if (pair !== undefined) {
      return { metric, numerator: pair[0], denominator: pair[1] };
    }
    const name = columnText(metric.slice(FEEDBACK_METRIC_PREFIX.length));
    const named = sql`${feedback} and e.metric = ${name} and e.value is not null`;
    return {
      metric,
      numerator: total(`named_sum_${index}`, 'value', named),
      denominator: count(`named_count_${index}`, named),
    };
  });
}

/** The distinct unit columns the metrics read, each once. */
export function unitColumnsOf(metrics: readonly UnitMetric[]): UnitColumn[] {
  const columns = new Map<string, UnitColumn>();
  for (const { numerator, denominator } of metrics) {
    columns.set(numerator.name, numerator);
    columns.set(denominator.name, denominator);
  }
  return [...columns.values()];
}
