import { z } from 'zod';

/** Retry with exponential backoff and full jitter; only transient failures are retried. */
export const retryPolicySchema = z.strictObject({
  maxRetries: z.int().min(0).max(10).default(2),
  initialDelayMs: z.int().min(0).max(60_000).default(200),
  maxDelayMs: z.int().min(0).max(300_000).default(5_000),
});

/** Opens after consecutive failures of one provider and model; half-opens after a pause. */
export const circuitBreakerPolicySchema = z.strictObject({
  consecutiveFailures: z.int().min(1).max(1_000).default(5),
  halfOpenAfterMs: z.int().min(100).max(3_600_000).default(30_000),
});

/** Caps parallel calls of a feature; excess calls queue up to `maxQueued`, then fail fast. */
export const concurrencyPolicySchema = z.strictObject({
  maxConcurrent: z.int().min(1).max(10_000),
  maxQueued: z.int().min(0).max(100_000).default(0),
});

/**
 * Output cache. `exact` keys on feature, variant, model, parameters and the normalised input;
 * `derived` keys on the named input fields plus `versionField`, so an update of that field invalidates.
 */
export const cachePolicySchema = z
  .strictObject({
    mode: z.enum(['exact', 'derived']).default('exact'),
    key: z.array(z.string().min(1)).min(1).optional(),
    versionField: z.string().min(1).optional(),
    ttlSeconds: z.int().min(1).max(31_536_000).default(3_600),
  })
  .superRefine((cache, context) => {
    if (cache.mode === 'derived' && !cache.key) {
      context.addIssue({ code: 'custom', path: ['key'], message: 'derived cache needs key fields' });
    }
  });

const windowSchema = z.enum(['second', 'minute', 'hour', 'day']);

/** Requests per unit and window, by tier (`free: 10/day`, `paid: 100/day`). */
export const rateLimitPolicySchema = z
  .strictObject({
    unitAttribute: z.string().min(1).default('userId'),
    tierAttribute: z.string().min(1).default('tier'),
    defaultTier: z.string().min(1).optional(),
    tiers: z.record(
      z.string().min(1),
      z.strictObject({ limit: z.int().min(0), window: windowSchema.default('day') }),
    ),
  })
  .superRefine((limits, context) => {
    if (limits.defaultTier !== undefined && !(limits.defaultTier in limits.tiers)) {
      context.addIssue({
        code: 'custom',
        path: ['defaultTier'],
        message: `unknown tier "${limits.defaultTier}"`,
      });
    }
  });

/** Cost caps in US dollars; on exceed either reject or downgrade to a cheaper variant. */
export const budgetPolicySchema = z
  .strictObject({
    dailyUsd: z.number().positive().optional(),
    perUnitHourlyUsd: z.number().positive().optional(),
    unitAttribute: z.string().min(1).default('userId'),
    onExceed: z.enum(['reject', 'downgrade']).default('reject'),
    downgradeTo: z.string().min(1).optional(),
  })
  .superRefine((budget, context) => {
    if (budget.onExceed === 'downgrade' && !budget.downgradeTo) {
      context.addIssue({
        code: 'custom',
        path: ['downgradeTo'],
        message: 'onExceed "downgrade" needs downgradeTo',
      });
    }
  });

/** What is sent to the model: the last N messages and at most this many input tokens. */
export const contextPolicySchema = z.strictObject({
  lastMessages: z.int().min(1).max(10_000).optional(),
  maxInputTokens: z.int().min(1).max(10_000_000).optional(),
});

/** Input rules; empty and whitespace-only input is always rejected. */
export const inputPolicySchema = z.strictObject({
  minLength: z.int().min(1).optional(),
  maxLength: z.int().min(1).optional(),
  rejectEmojiOnly: z.boolean().default(false),
});

/** Output guards: banned phrases and named predicates the application registers in code. */
export const outputPolicySchema = z.strictObject({
  bannedPhrases: z.array(z.string().min(1)).optional(),
  guards: z.array(z.string().min(1)).optional(),
  repair: z.boolean().default(true),
});

/** What telemetry keeps; prompts and outputs only on request, and redacted when kept. */
export const telemetryPolicySchema = z.strictObject({
  storePrompts: z.boolean().default(false),
  storeOutputs: z.boolean().default(false),
  redactPII: z.boolean().default(true),
});

/** Runtime policies of a feature, overridable per variant. */
export const policySchema = z.strictObject({
  timeoutMs: z.int().min(1).max(600_000).optional(),
  retry: retryPolicySchema.optional(),
  circuitBreaker: circuitBreakerPolicySchema.optional(),
  concurrency: concurrencyPolicySchema.optional(),
  cache: cachePolicySchema.optional(),
  rateLimit: rateLimitPolicySchema.optional(),
  budget: budgetPolicySchema.optional(),
  context: contextPolicySchema.optional(),
  input: inputPolicySchema.optional(),
  output: outputPolicySchema.optional(),
  telemetry: telemetryPolicySchema.optional(),
});

/** Runtime policies as written in a config (defaults applied). */
export type Policy = z.output<typeof policySchema>;
