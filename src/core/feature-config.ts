import { z } from 'zod';
import { alertRuleSchema } from './alert-rule.js';
import { policySchema } from './policy-config.js';
import { rampSchema } from './ramp-config.js';

/** Feature keys: lowercase letters, digits, `-`, `_` and `.`, starting with a letter or digit. */
export const FEATURE_KEY_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;
/** Variant keys and rule ids: letters, digits, `-`, `_` and `.`, starting with a letter or digit. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const nameSchema = z
  .string()
  .regex(NAME_PATTERN, 'must be 1-64 letters, digits, "-", "_" or ".", starting with a letter or digit');

const jsonObjectSchema = z.record(z.string(), z.unknown());

const variantCommon = {
  description: z.string().max(2_000).optional(),
  /** Free JSON the application reads from the decision. */
  payload: z.unknown().optional(),
  /** Variants to try, in order, when this one fails; then the feature's default. */
  fallback: z.array(nameSchema).optional(),
  policy: policySchema.optional(),
};

/** A variant served by code the application registers (`legacy`). */
export const handlerVariantSchema = z.strictObject({
  type: z.literal('handler'),
  ...variantCommon,
});

/** A variant that is a declarative LLM call. */
export const llmVariantSchema = z.strictObject({
  type: z.literal('llm'),
  ...variantCommon,
  provider: z.string().min(1),
  model: z.string().min(1),
  system: z.string().optional(),
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().gt(0).max(1).optional(),
  maxTokens: z.int().min(1).max(1_000_000).optional(),
  topK: z.int().min(1).max(1_000_000).optional(),
  /** The answer ends before the first of these (OpenAI takes up to four). */
  stopSequences: z.array(z.string().min(1)).min(1).max(16).optional(),
  /** Asks the provider for repeatable sampling, where it offers it. */
  seed: z.int().optional(),
  presencePenalty: z.number().min(-2).max(2).optional(),
  frequencyPenalty: z.number().min(-2).max(2).optional(),
  /** Options per provider, passed as they are (`{ openai: { reasoningEffort: 'low' } }`). */
  providerOptions: z.record(z.string().min(1), jsonObjectSchema).optional(),
  /** Structured output: a JSON Schema object the reply must satisfy. */
  output: z.strictObject({ name: z.string().min(1).optional(), schema: jsonObjectSchema }).optional(),
});

/** How a ranker orders items: the caller's order (the control) or by the unit's learned preferences. */
export const RANKER_STRATEGIES = ['original', 'personalized'] as const;
/** Feedback a personalized ranker learns from: `accepted` (with `itemId`) and `selected` (`selectedItem`). */
export const RANKER_SIGNALS = ['accepted', 'selected'] as const;

const attributeNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, 'must be an attribute name (letters, digits, "_", "-", ".")');

const uniqueNames = (names: readonly string[]) => new Set(names).size === names.length;

/** What a personalized ranker learns: from which signals, for whom, over which item attributes, how fast. */
export const rankerLearnSchema = z.strictObject({
  signals: z
    .array(z.enum(RANKER_SIGNALS))
    .min(1)
    .refine(uniqueNames, 'must not repeat a signal')
    .default(['accepted', 'selected']),
  /**
   * Context attributes profiles are kept for, the unit first (`userId`), then the groups its profile is
   * shrunk toward (`tenant`); every profile is finally shrunk toward the feature's global one.
   */
  by: z.array(attributeNameSchema).min(1).max(4).refine(uniqueNames, 'must not repeat an attribute'),
  /** Item attributes whose values get an affinity (`category`, `source`). */
  attributes: z.array(attributeNameSchema).min(1).max(20).refine(uniqueNames, 'must not repeat an attribute'),
  /** Evidence loses half its weight after this many days. */
  halfLifeDays: z.number().gt(0, 'must be above 0').max(3_650).default(14),
  /** `thompson` orders by draws from the posteriors (explores); `none` by their means. */
  explore: z.enum(['thompson', 'none']).default('thompson'),
});

/** A variant of a ranking feature: orders the items `rank()` is given. */
export const rankerVariantSchema = z.strictObject({
  type: z.literal('ranker'),
  ...variantCommon,
  strategy: z.enum(RANKER_STRATEGIES),
  /** Required for `personalized`; the feature's personalized rankers share one. */
  learn: rankerLearnSchema.optional(),
});

/** One way to serve a feature. */
export const variantSchema = z.discriminatedUnion(
  'type',
  [handlerVariantSchema, llmVariantSchema, rankerVariantSchema],
  { error: 'type must be "handler", "llm" or "ranker"' },
);

const ruleCommon = {
  id: nameSchema.optional(),
  description: z.string().max(2_000).optional(),
  /** Targeting condition over context attributes (MongoDB-style operators); absent means everyone. */
  when: jsonObjectSchema.optional(),
};

/** Serve one variant to every unit that matches. */
export const serveRuleSchema = z.strictObject({ ...ruleCommon, serve: nameSchema });

/** Split matching units between variants by weight, sticky on `hashAttribute`. */
export const splitRuleSchema = z.strictObject({
  ...ruleCommon,
  split: z.record(nameSchema, z.number().min(0, 'weight must be >= 0')),
  /** Share of matching units that enter the split at all; the rest fall through (the holdback). */
  coverage: z
    .number()
    .min(0, 'coverage must be between 0 and 1')
    .max(1, 'coverage must be between 0 and 1')
    .default(1),
  hashAttribute: z.string().min(1).default('userId'),
  /** Hash seed; defaults to the feature key. Changing it reshuffles every unit. */
  seed: z.string().min(1).optional(),
  /** Mutual exclusion: `[name, start, end]`, the unit's share of the namespace this rule owns. */
  namespace: z.tuple([z.string().min(1), z.number().min(0).max(1), z.number().min(0).max(1)]).optional(),
  /**
   * Written by the experiment that owns this split while it runs or is paused: units keep the arm they were
   * assigned (reason STICKY); while paused, units without an assignment do not enter the split.
   */
  experiment: z
    .strictObject({
      key: z.string().regex(FEATURE_KEY_PATTERN, 'must be an experiment key'),
      status: z.enum(['running', 'paused']),
    })
    .optional(),
  /** A staged rollout: while present, the ramp's current step sets the coverage (see `rampCoverage`). */
  ramp: rampSchema.optional(),
});

/** A targeting rule: first match wins. */
export const ruleSchema = z.union([serveRuleSchema, splitRuleSchema], {
  error: 'a rule needs either "serve" or "split"',
});

/** A feature: a named decision point with variants, rules and policies. */
export const featureConfigSchema = z.strictObject({
  key: z
    .string()
    .regex(
      FEATURE_KEY_PATTERN,
      'must be 1-100 lowercase letters, digits, "-", "_" or ".", starting with a letter or digit',
    ),
  description: z.string().max(2_000).optional(),
  /** Master switch: when false everyone gets the default variant (reason DISABLED). */
  enabled: z.boolean().default(true),
  /** Emergency stop: everyone gets the default variant (reason KILLED) until re-enabled. */
  killed: z.boolean().optional(),
  killReason: z.string().max(2_000).optional(),
  defaultVariant: nameSchema,
  variants: z
    .record(nameSchema, variantSchema)
    .refine((variants) => Object.keys(variants).length > 0, 'at least one variant is required'),
  rules: z.array(ruleSchema).default([]),
  policy: policySchema.optional(),
  /**
   * For ranking features: `serve` (default) serves the decided ranker; `observe` learns from every unit's
   * feedback but serves every unit the caller's order (reason and variant still recorded).
   */
  mode: z.enum(['serve', 'observe']).optional(),
  /**
   * How an LLM variant's `system` prompt combines with the caller's system messages: `prepend` (the
   * default) sends the variant's first and keeps the caller's; `replace` drops the caller's system (and
   * developer) messages whenever the variant has a system prompt of its own.
   */
  system: z.enum(['prepend', 'replace']).optional(),
  /**
   * Consent the feature requires: `attribute` is a dotted path into the context's attributes
   * (`consent.personalization`) that must be `true`; any other unit gets the default variant with reason
   * NO_CONSENT, is enrolled in nothing and is recorded without its unit id, prompt or output.
   */
  consent: z
    .strictObject({
      attribute: z
        .string()
        .min(1)
        .max(200)
        .regex(/^[^.]+(\.[^.]+)*$/, 'must be a dotted attribute path such as "consent.personalization"'),
    })
    .optional(),
  tags: z.array(z.string().min(1).max(64)).optional(),
  /** Guardrails the monitor evaluates every few seconds: absolute and relative rules, or presets. */
  alerts: z.array(alertRuleSchema).max(50, 'at most 50 alert rules').optional(),
  /** Set by the store; a config file may carry it back for optimistic concurrency. */
  version: z.int().min(1).optional(),
});

/** A feature config as written by a person (defaults optional). */
export type FeatureConfigInput = z.input<typeof featureConfigSchema>;
/** A validated feature config with defaults applied. */
export type FeatureConfig = z.output<typeof featureConfigSchema>;
/** A validated variant. */
export type VariantConfig = z.output<typeof variantSchema>;
/** A validated ranker variant. */
export type RankerVariantConfig = z.output<typeof rankerVariantSchema>;
/** What a personalized ranker learns. */
export type RankerLearnConfig = z.output<typeof rankerLearnSchema>;
/** A validated rule. */
export type RuleConfig = z.output<typeof ruleSchema>;
/** A validated split rule. */
export type SplitRuleConfig = z.output<typeof splitRuleSchema>;
/** A targeting condition object. */
export type Condition = Record<string, unknown>;
