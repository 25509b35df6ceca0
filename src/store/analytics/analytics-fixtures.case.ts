import type { CallEvent, FeedbackEvent, TelemetryEvent } from '../../core/event-schema.js';
import { callEvent, decisionEvent, feedbackEvent } from '../store-events.case.js';
import { START_TIME } from '../store-harness.case.js';

/** One hour, the bucket width of the seeded scenario. */
export const HOUR = 3_600_000;
/** Start of the seeded range. */
export const FROM = START_TIME;
/** End of the seeded range: three one-hour buckets. */
export const TO = START_TIME + 3 * HOUR;
/** The feature the scenario seeds. */
export const FEATURE = 'coach-reply';

/** A successful run-scope call of a handler variant that served itself, with any overrides. */
export function run(id: string, variant: string, at: number, overrides: Partial<CallEvent> = {}): CallEvent {
  return callEvent(id, {
    at,
    feature: FEATURE,
    variant,
    servedVariant: variant,
    fallback: false,
    cached: false,
    latencyMs: 100,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    provider: null,
    model: null,
    attempts: 1,
    ...overrides,
  });
}

/** A successful attempt of `attempted` within the run `runId` decided for `variant`, with any overrides. */
export function attempt(
  id: string,
  runId: string,
  variant: string,
  attempted: string,
  at: number,
  overrides: Partial<CallEvent> = {},
): CallEvent {
  return run(id, variant, at, {
    requestId: `request-${runId}`,
    scope: 'attempt',
    servedVariant: attempted,
    ...overrides,
  });
}

/** Feedback on the run `runId`, naming no variant unless overridden. */
export function feedback(
  id: string,
  runId: string,
  at: number,
  overrides: Partial<FeedbackEvent> = {},
): FeedbackEvent {
  return feedbackEvent(id, {
    at,
    feature: FEATURE,
    requestId: `request-${runId}`,
    variant: null,
    accepted: null,
    selectedVariant: null,
    rating: null,
    metric: null,
    value: null,
    ...overrides,
  });
}

const llm = { provider: 'openai', model: 'gpt-4o-mini' } as const;

/**
 * The scenario the exact-value cases assert on, bucket by bucket (hour 0, 1 and 2 from FROM):
 * - hour 0, control: 2 successes (one cached), 1 error, 1 rejected; v2: 3 successes (one a fallback served
 *   by control, one cached), 1 rejected; attempts with one parse error among three model calls; feedback
 *   accepted, rejected (attributed through its run), a selection, and an orphan selection.
 * - hour 1: nothing.
 * - hour 2: v2 one success with a schema_invalid retry; v3 (not configured) one success with feedback.
 * - around it: events just outside the range, another feature, decisions, which no metric may count.
 */
export function scenarioEvents(): TelemetryEvent[] {
  const hour0 = FROM;
  const hour2 = FROM + 2 * HOUR;
  return [
    // control, hour 0
    run('c1', 'control', hour0 + 1_000, { latencyMs: 100 }),
    run('c2', 'control', hour0 + 2_000, { latencyMs: 200, cached: true }),
    run('c3', 'control', hour0 + 3_000, {
      latencyMs: 300,
      outcome: 'error',
      servedVariant: null,
      errorClass: 'handler_error',
    }),
    run('c4', 'control', hour0 + 4_000, {
      latencyMs: 1,
      outcome: 'rejected',
      servedVariant: null,
      errorClass: 'rate_limited',
    }),
    // v2, hour 0
    run('r1', 'v2', hour0 + 5_000, {
      ...llm,
      latencyMs: 1_000,
      inputTokens: 100,
      outputTokens: 50,
      costUsd: 0.01,
    }),
    attempt('r1-a1', 'r1', 'v2', 'v2', hour0 + 5_000, { ...llm, costUsd: 0.01 }),
    run('r2', 'v2', hour0 + 6_000, {
      servedVariant: 'control',
      fallback: true,
      latencyMs: 2_000,
      inputTokens: 80,
      outputTokens: 0,
      costUsd: 0.005,
    }),
    attempt('r2-a1', 'r2', 'v2', 'v2', hour0 + 6_000, {
      ...llm,
      outcome: 'error',
      errorClass: 'parse_error',
      costUsd: 0.005,
    }),
    attempt('r2-a2', 'r2', 'v2', 'control', hour0 + 6_000, { fallback: true }),
    run('r3', 'v2', hour0 + 7_000, { ...llm, cached: true, latencyMs: 10 }),
    attempt('r3-a1', 'r3', 'v2', 'v2', hour0 + 7_000, { ...llm, cached: true }),
    run('r4', 'v2', hour0 + 8_000, {
      latencyMs: 0,
      outcome: 'rejected',
      servedVariant: null,
      errorClass: 'budget_exceeded',
    }),
    feedback('f1', 'r1', hour0 + 10_000, { variant: 'v2', accepted: true, rating: 5 }),
    feedback('f2', 'r2', hour0 + 11_000, { accepted: false, rating: 2 }),
    feedback('f3', 'c1', hour0 + 12_000, { variant: 'control', accepted: true, selectedVariant: 'v2' }),
    feedback('f4', 'nowhere', hour0 + 13_000, { accepted: true, selectedVariant: 'control' }),
    decisionEvent('d1', { at: hour0 + 1_000, feature: FEATURE, variant: 'control' }),
    // hour 2
    run('r5', 'v2', hour2, { ...llm, latencyMs: 4_000, inputTokens: 300, outputTokens: 200, costUsd: 0.02 }),
    attempt('r5-a1', 'r5', 'v2', 'v2', hour2, { ...llm, outcome: 'error', errorClass: 'schema_invalid' }),
    attempt('r5-a2', 'r5', 'v2', 'v2', hour2, llm),
    run('x1', 'v3', TO - 1, { latencyMs: 500, costUsd: 0.001 }),
    feedback('f5', 'x1', TO - 1, { accepted: true, rating: 4 }),
    // outside the range or the feature
    run('early', 'v2', FROM - 1, { outcome: 'error', servedVariant: null }),
    run('late', 'v2', TO, { outcome: 'error', servedVariant: null }),
    feedback('f-late', 'r1', TO, { variant: 'v2', accepted: false }),
    run('other', 'v2', hour0 + 1_000, { feature: 'persona', outcome: 'error', servedVariant: null }),
  ];
}
