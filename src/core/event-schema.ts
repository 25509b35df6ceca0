import { z } from 'zod';
import { DECISION_REASONS } from './decision.js';

const common = {
  /** Unique event id (idempotency key for batches sent twice). */
  id: z.string().min(1).max(128),
  /** Epoch milliseconds. */
  at: z.number().int().nonnegative(),
  /** The run this event belongs to; joins decision, call and feedback. */
  requestId: z.string().min(1).max(128),
  feature: z.string().min(1).max(100),
};

/** Exposure: a unit was assigned a variant. */
export const decisionEventSchema = z.strictObject({
  ...common,
  type: z.literal('decision'),
  variant: z.string().min(1),
  reason: z.enum(DECISION_REASONS),
  ruleId: z.string().nullable(),
  unitId: z.string().nullable(),
  version: z.number().int().nonnegative(),
});

/**
 * How a call ended: served (`success`), failed (`error`), refused before any variant ran (`rejected`:
 * input, rate limit, budget), or stopped by the caller's signal (`cancelled`), which no error, failure or
 * fallback rate, guardrail or experiment metric counts.
 */
export const CALL_OUTCOMES = ['success', 'error', 'rejected', 'cancelled'] as const;

/** How a call ended (see CALL_OUTCOMES). */
export const callOutcomeSchema = z.enum(CALL_OUTCOMES);

/** Error classes a call can end with; `null` on success and on a cancelled call. */
export const ERROR_CLASSES = [
  'timeout',
  'rate_limited',
  'server_error',
  'client_error',
  'connection',
  'circuit_open',
  'concurrency',
  'parse_error',
  'schema_invalid',
  'guard_failed',
  'handler_missing',
  'handler_error',
  'budget_exceeded',
  'invalid_input',
  'unknown',
] as const;

/** Error classes a call can end with (see ERROR_CLASSES). */
export const errorClassSchema = z.enum(ERROR_CLASSES);

/**
 * One call: `scope: 'attempt'` for a single variant attempt, `scope: 'run'` for the whole run
 * (the value the caller got: served variant, fallback, cache, total latency, tokens and cost).
 */
export const callEventSchema = z.strictObject({
  ...common,
  type: z.literal('call'),
  scope: z.enum(['attempt', 'run']),
  /** The variant the decision chose. */
  variant: z.string().min(1),
  /** The variant that produced the value (differs from `variant` after a fallback). */
  servedVariant: z.string().min(1).nullable(),
  outcome: callOutcomeSchema,
  errorClass: errorClassSchema.nullable(),
  errorMessage: z.string().max(2_000).nullable(),
  fallback: z.boolean(),
  cached: z.boolean(),
  latencyMs: z.number().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  attempts: z.number().int().nonnegative(),
  unitId: z.string().nullable(),
  /** Prompt and output, only when the feature's telemetry policy asks, and redacted. */
  prompt: z.string().nullable().optional(),
  output: z.string().nullable().optional(),
});

/** An outcome reported after the fact: accepted, rejected, selected variant, rating, any numeric metric. */
export const feedbackEventSchema = z.strictObject({
  ...common,
  type: z.literal('feedback'),
  variant: z.string().min(1).nullable(),
  accepted: z.boolean().nullable(),
  selectedVariant: z.string().min(1).nullable(),
  rating: z.number().nullable(),
  metric: z.string().min(1).max(100).nullable(),
  value: z.number().nullable(),
});

/** Any telemetry event. */
export const eventSchema = z.discriminatedUnion('type', [
  decisionEventSchema,
  callEventSchema,
  feedbackEventSchema,
]);

/** A decision (exposure) event. */
export type DecisionEvent = z.output<typeof decisionEventSchema>;
/** A call event. */
export type CallEvent = z.output<typeof callEventSchema>;
/** A feedback event. */
export type FeedbackEvent = z.output<typeof feedbackEventSchema>;
/** Any telemetry event. */
export type TelemetryEvent = z.output<typeof eventSchema>;
/** The error class of a failed call. */
export type ErrorClass = (typeof ERROR_CLASSES)[number];
/** How a call ended. */
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
