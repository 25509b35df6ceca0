import { type Kysely, sql } from 'kysely';
import { calledModel } from '../called-model.js';
import { type StoreDatabase, TABLES } from '../store-database.js';
import { type AnalyticsScope, bucketIndex, scopeCondition, toNumber } from './analytics-scope.js';
import type { MetricGroups } from './metric-groups.js';

/** The error classes that count as parse errors: unparsable output, or output that fails its schema. */
export const PARSE_ERROR_CLASSES = ['parse_error', 'schema_invalid'] as const;

/**
 * Adds every count and sum of the scope's events into `groups`, with three GROUP BY queries (runs,
 * attempts, feedback) that each read the scope's index range once and return one row per group and bucket.
 */
export async function selectMetricCounts(
  db: Kysely<StoreDatabase>,
  scope: AnalyticsScope,
  groups: MetricGroups,
): Promise<void> {
  await Promise.all([
    addRunCounts(db, scope, groups),
    addAttemptCounts(db, scope, groups),
    addFeedbackCounts(db, scope, groups),
  ]);
}

interface RunRow {
  feature: string;
  group_variant: string;
  served_key: string | null;
  bucket_index: number | string;
  requests: number | string;
  successes: number | string;
  errors: number | string;
  rejected: number | string;
  fallbacks: number | string;
  cache_hits: number | string;
  latency_count: number | string;
  latency_sum: number | string | null;
  input_tokens: number | string | null;
  output_tokens: number | string | null;
  cost_usd: number | string | null;
}

/** Run-scope call events by decided variant; `served` goes to the variant that produced the value. */
async function addRunCounts(
  db: Kysely<StoreDatabase>,
  scope: AnalyticsScope,
  groups: MetricGroups,
): Promise<void> {
  // Rejected runs never executed: their near-zero latency would drag the quantiles down under load. A run
  // the caller cancelled is no request of the variant's: no rate counts it (docs/decisions/0017).
  const executed = sql`outcome in ('success', 'error')`;
  const { rows } = await sql<RunRow>`
    select feature, variant as group_variant, served_variant as served_key,
      ${bucketIndex(scope, 'e')} as bucket_index,
      count(*) filter (where outcome <> 'cancelled') as requests,
      count(*) filter (where outcome = 'success') as successes,
      count(*) filter (where outcome = 'error') as errors,
      count(*) filter (where outcome = 'rejected') as rejected,
      count(*) filter (where outcome = 'success' and fallback = 1) as fallbacks,
      count(*) filter (where outcome = 'success' and cached = 1) as cache_hits,
      count(latency_ms) filter (where ${executed}) as latency_count,
      sum(latency_ms) filter (where ${executed}) as latency_sum,
      sum(input_tokens) as input_tokens,
      sum(output_tokens) as output_tokens,
      sum(cost_usd) as cost_usd
    from ${sql.table(TABLES.events)} as e
    where ${scopeCondition(scope, 'e', 'call', 'run')}
    group by feature, group_variant, served_key, bucket_index`.execute(db);
  for (const row of rows) {
    const bucket = toNumber(row.bucket_index);
    const counts = groups.counts(row.feature, row.group_variant, bucket);
    counts.requests += toNumber(row.requests);
    counts.successes += toNumber(row.successes);
    counts.errors += toNumber(row.errors);
    counts.rejected += toNumber(row.rejected);
    counts.fallbacks += toNumber(row.fallbacks);
    counts.cacheHits += toNumber(row.cache_hits);
    counts.latencyCount += toNumber(row.latency_count);
    counts.latencySum += toNumber(row.latency_sum);
    counts.inputTokens += toNumber(row.input_tokens);
    counts.outputTokens += toNumber(row.output_tokens);
    counts.costUsd += toNumber(row.cost_usd);
    if (row.served_key !== null && toNumber(row.successes) > 0) {
      groups.counts(row.feature, row.served_key, bucket).served += toNumber(row.successes);
    }
  }
}

interface AttemptRow {
  feature: string;
  group_variant: string;
  bucket_index: number | string;
  llm_attempts: number | string;
  parse_errors: number | string;
}

/** Attempts that called a model, by the variant attempted (`servedVariant` on attempt events). */
async function addAttemptCounts(
  db: Kysely<StoreDatabase>,
  scope: AnalyticsScope,
  groups: MetricGroups,
): Promise<void> {
  // The model has no column of its own; only attempt rows in range pay for finding it in the JSON.
  const modelCalled = calledModel(scope.kind);
  const parseErrors = sql.join(PARSE_ERROR_CLASSES.map((errorClass) => sql`${errorClass}`));
  const { rows } = await sql<AttemptRow>`
    select feature, coalesce(served_variant, variant) as group_variant,
      ${bucketIndex(scope, 'e')} as bucket_index,
      count(*) as llm_attempts,
      count(*) filter (where error_class in (${parseErrors})) as parse_errors
    from ${sql.table(TABLES.events)} as e
    where ${scopeCondition(scope, 'e', 'call', 'attempt')} and ${modelCalled}
    group by feature, group_variant, bucket_index`.execute(db);
  for (const row of rows) {
    const counts = groups.counts(row.feature, row.group_variant, toNumber(row.bucket_index));
    counts.llmAttempts += toNumber(row.llm_attempts);
    counts.parseErrors += toNumber(row.parse_errors);
  }
}

interface FeedbackRow {
  feature: string;
  group_variant: string | null;
  selected_key: string | null;
  bucket_index: number | string;
  feedback: number | string;
  accepted: number | string;
  rejected: number | string;
  ratings: number | string;
  rating_sum: number | string | null;
}

/**
 * Feedback by the variant it names, else the variant of the first run with its request id; feedback that
 * neither names nor reaches a run counts only towards the `selections` of its selected variant.
 */
async function addFeedbackCounts(
  db: Kysely<StoreDatabase>,
  scope: AnalyticsScope,
  groups: MetricGroups,
): Promise<void> {
  const events = sql.table(TABLES.events);
  // The subquery runs only for feedback without a variant (coalesce stops at the first non-null), and must
  // be one probe of the request_id index on both databases, even before any table statistics exist. So it
  // names no other indexed column (`scope = 'run'` implies a call event; request ids are unique per run, so
  // no feature check is needed), and sorts by `at + 0`: an ordered walk of an (at, id) index, looking for
  // the request, is what planners otherwise pick for ORDER BY ... LIMIT 1, one full scan per feedback event.
  const { rows } = await sql<FeedbackRow>`
    select feature, group_variant, selected_key, bucket_index,
      count(*) as feedback,
      count(*) filter (where accepted = 1) as accepted,
      count(*) filter (where accepted = 0) as rejected,
      count(rating) as ratings,
      sum(rating) as rating_sum
    from (
      select f.feature as feature,
        coalesce(f.variant, (
          select r.variant from ${events} as r
          where r.request_id = f.request_id and r.scope = 'run'
          order by r.at + 0, r.id
          limit 1
        )) as group_variant,
        f.selected_variant as selected_key,
        ${bucketIndex(scope, 'f')} as bucket_index,
        f.accepted as accepted,
        f.rating as rating
      from ${events} as f
      where ${scopeCondition(scope, 'f', 'feedback')}
    ) as feedback_rows
    group by feature, group_variant, selected_key, bucket_index`.execute(db);
  for (const row of rows) {
    const bucket = toNumber(row.bucket_index);
    if (row.group_variant !== null) {
      const counts = groups.counts(row.feature, row.group_variant, bucket);
      counts.accepted += toNumber(row.accepted);
      counts.feedbackRejected += toNumber(row.rejected);
      counts.ratings += toNumber(row.ratings);
      counts.ratingSum += toNumber(row.rating_sum);
    }
    if (row.selected_key !== null) {
      groups.counts(row.feature, row.selected_key, bucket).selections += toNumber(row.feedback);
    }
  }
}
