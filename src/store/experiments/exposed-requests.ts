import { type RawBuilder, sql } from 'kysely';
import { TABLES } from '../store-database.js';
import type { ExperimentScope } from './resolve-experiment-query.js';

/** The decision reasons that make a decision of the experiment's rule an exposure. */
export const EXPOSURE_REASONS = ['SPLIT', 'STICKY'] as const;

/**
 * The common table expressions of every experiment query, with every value a bound parameter:
 *
 * - `exposures`: decisions of the feature's rule with reason SPLIT or STICKY (and, with a fallthrough arm,
 *   decisions that fell through every rule to that arm: a ramp's control), for one of the arms, with a unit,
 *   in `from <= at < to`; read from the feature's (feature, at, id) index range.
 * - `requests`: the distinct exposed requests, each with its unit, the unit's `arm` (NULL when the unit was
 *   exposed to several arms: such units count apart and nowhere else) and `first_at`, the unit's first
 *   exposure.
 *
 * The unit's arm and first exposure come from window functions over the exposures, not from joining them to
 * a grouped copy of themselves: the chain stays linear, so a planner without table statistics (which
 * guesses one row for every step) cannot pick a nested loop of units against units. What follows joins
 * `requests` to call and feedback events through the request_id index; request ids are unique per run, so
 * that join needs no feature check (which could also lead a planner to the feature index instead).
 */
export function exposedRequests(scope: ExperimentScope): RawBuilder<unknown> {
  const events = sql.table(TABLES.events);
  const arms = sql.join(scope.arms.map((arm) => sql`${arm.column}`));
  const reasons = sql.join(EXPOSURE_REASONS.map((reason) => sql`${reason}`));
  const exposed =
    scope.fallthroughArm === null
      ? sql`d.rule_id = ${scope.ruleId} and d.reason in (${reasons})`
      : sql`((d.rule_id = ${scope.ruleId} and d.reason in (${reasons}))
          or (d.reason = 'DEFAULT' and d.variant = ${scope.fallthroughArm}))`;
  return sql`exposures as (
      select d.request_id as request_id, d.unit_id as unit_id, d.variant as variant, d.at as at
      from ${events} as d
      where d.feature = ${scope.feature} and d.at >= ${scope.from} and d.at < ${scope.to}
        and d.type = 'decision' and ${exposed}
        and d.variant in (${arms}) and d.unit_id is not null
    ),
    requests as (
      select distinct request_id, unit_id,
        case when min(variant) over (partition by unit_id) = max(variant) over (partition by unit_id)
          then variant end as arm,
        min(at) over (partition by unit_id) as first_at
      from exposures
    )`;
}
