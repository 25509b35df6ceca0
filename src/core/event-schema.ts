import { z } from 'zod';
import { DECISION_REASONS } from './decision.js';

/**
 * The longest text each event field may hold, in UTF-16 code units, as `POST /api/events` enforces them
 * (the OpenAPI document shows them as `maxLength`). The SDK cuts error messages, prompts and outputs to
 * these lengths itself; names (features, variants, rules) are shorter by their own rules.
 */
export const EVENT_TEXT_LIMITS = {
  id: 128,
  requestId: 128,
  feature: 100,
  variant: 64,
  ruleId: 64,
  unitId: 500,
  errorMessage: 2_000,
  provider: 100,
  model: 200,
  prompt: 65_536,
  output: 65_536,
  metric: 100,
} as const;

const text = (field: keyof typeof EVENT_TEXT_LIMITS) => z.string().max(EVENT_TEXT_LIMITS[field]);

const common = {
  /** Unique event id (idempotency key for batches sent twice). */
  id: text('id').min(1),
  /** Epoch milliseconds. */
  at: z.number().int().nonnegative(),
  /** The run this event belongs to; joins decision, call and feedback. */
  requestId: text('requestId').min(1),
  feature: text('feature').min(1),
};

/** Exposure: a unit was assigned a variant. */
export const decisionEventSchema = z.strictObject({
  ...common,
  type: z.literal('decision'),
  variant: text('variant').min(1),
  reason: z.enum(DECISION_REASONS),
  ruleId: text('ruleId').nullable(),
  unitId: text('unitId').nullable(),
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
  variant: text('variant').min(1),
  /** The variant that produced the value (differs from `variant` after a fallback). */
  servedVariant: text('variant').min(1).nullable(),
  outcome: callOutcomeSchema,
  errorClass: errorClassSchema.nullable(),
  errorMessage: text('errorMessage').nullable(),
  fallback: z.boolean(),
  cached: z.boolean(),
  latencyMs: z.number().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  provider: text('provider').nullable(),
  model: text('model').nullable(),
  attempts: z.number().int().nonnegative(),
  unitId: text('unitId').nullable(),
  /** Prompt and output, only when the feature's telemetry policy asks, redacted and cut to their limit. */
  prompt: text('prompt').nullable().optional(),
  output: text('output').nullable().optional(),
});

/** An outcome reported after the fact: accepted, rejected, selected variant, rating, any numeric metric. */
export const feedbackEventSchema = z.strictObject({
  ...common,
  type: z.literal('feedback'),
  variant: text('variant').min(1).nullable(),
  accepted: z.boolean().nullable(),
  selectedVariant: text('variant').min(1).nullable(),
  rating: z.number().nullable(),
  metric: text('metric').min(1).nullable(),
  value: z.number().nullable(),
  /** The ranked item `accepted` judges (feedback on a `rank()` request). */
  itemId: z.string().min(1).max(200).nullable().optional(),
  /** The ranked item the unit chose (feedback on a `rank()` request). */
  selectedItem: z.string().min(1).max(200).nullable().optional(),
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
