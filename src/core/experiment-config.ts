import { z } from 'zod';
import { FEATURE_KEY_PATTERN, NAME_PATTERN } from './feature-config.js';

/** Metrics built into every experiment; feedback metrics are named `feedback:<name>`. */
export const BUILT_IN_EXPERIMENT_METRICS = [
  'acceptance-rate',
  'error-rate',
  'fallback-rate',
  'failure-rate',
  'parse-error-rate',
  'cache-hit-rate',
  'mean-cost',
  'cost-per-accepted',
  'mean-latency',
  'p95-latency',
  'rating',
] as const;

/** A built-in metric name. */
export type BuiltInExperimentMetric = (typeof BUILT_IN_EXPERIMENT_METRICS)[number];

/** Prefix of metrics read from named numeric feedback (`sy.feedback(id, { metric, value })`). */
export const FEEDBACK_METRIC_PREFIX = 'feedback:';

const metricNameSchema = z
  .string()
  .refine(
    (name) =>
      (BUILT_IN_EXPERIMENT_METRICS as readonly string[]).includes(name) ||
      (name.startsWith(FEEDBACK_METRIC_PREFIX) &&
        name.length > FEEDBACK_METRIC_PREFIX.length &&
        name.length <= FEEDBACK_METRIC_PREFIX.length + 100),
    {
      message: `must be one of ${BUILT_IN_EXPERIMENT_METRICS.join(', ')} or "${FEEDBACK_METRIC_PREFIX}<name>"`,
    },
  );

/** Which way is better for a metric: `higher` (acceptance) or `lower` (errors, cost, latency). */
export type MetricDirection = 'higher' | 'lower';

/** The direction in which a metric improves; feedback metrics and ratings improve upwards. */
export function metricDirection(metric: string): MetricDirection {
  return metric === 'acceptance-rate' || metric === 'rating' || metric.startsWith(FEEDBACK_METRIC_PREFIX)
    ? 'higher'
    : 'lower';
}

/** How often a bandit re-weighs its arms, and how cautiously. */
export const banditAllocationSchema = z.strictObject({
  type: z.literal('bandit'),
  /** Milliseconds between weight updates; each update starts a new period. Default one hour, minimum 1 s. */
  intervalMs: z.int().min(1_000).default(3_600_000),
  /** Units per arm before weights move; below it every arm keeps an equal share. */
  burnIn: z.int().min(0).default(100),
  /** No arm's weight falls below this share (except arms failing a guardrail, which get 0). */
  minWeight: z.number().min(0).max(0.5).default(0.01),
});

/** Fixed allocation: the split's weights as configured. */
export const fixedAllocationSchema = z.strictObject({ type: z.literal('fixed') });

/** An experiment as written by a person: the split rule it owns, its metrics and its statistics. */
export const experimentConfigSchema = z.strictObject({
  key: z
    .string()
    .regex(
      FEATURE_KEY_PATTERN,
      'must be 1-100 lowercase letters, digits, "-", "_" or ".", starting with a letter or digit',
    ),
  feature: z.string().regex(FEATURE_KEY_PATTERN, 'must be a feature key'),
  /** The split rule the experiment owns; default the feature's first split rule. */
  ruleId: z.string().regex(NAME_PATTERN).optional(),
  /** The split's variants, filled in from the rule when the experiment is created. */
  arms: z.array(z.string().regex(NAME_PATTERN)).min(2).optional(),
  /** The split's weights when created (normalised): what sample-ratio mismatch is tested against. */
  weights: z.record(z.string(), z.number().min(0)).optional(),
  /** The arm others are compared with; default the feature's default variant when it is an arm, else the first arm. */
  control: z.string().regex(NAME_PATTERN).optional(),
  hypothesis: z.string().max(2_000).optional(),
  description: z.string().max(2_000).optional(),
  primaryMetric: metricNameSchema,
  secondaryMetrics: z.array(metricNameSchema).max(20).default([]),
  guardrailMetrics: z.array(metricNameSchema).max(20).default([]),
  alpha: z.number().gt(0).lt(0.5).default(0.05),
  power: z.number().gt(0.5).lt(1).default(0.8),
  /** Minimum detectable effect, relative to control (0.1 = 10 %), for power and sample size. */
  mde: z.number().gt(0).max(10).default(0.1),
  /** Units per arm with data before any verdict; at least 2. */
  minSamplePerArm: z.int().min(2).default(30),
  /** Correction over primary metric x treatment arms. */
  correction: z.enum(['holm', 'bonferroni', 'bh', 'none']).default('holm'),
  /** Always-valid intervals and p-values (safe to peek at any time). */
  sequential: z.boolean().default(false),
  allocation: z
    .discriminatedUnion('type', [fixedAllocationSchema, banditAllocationSchema], {
      error: 'allocation.type must be "fixed" or "bandit"',
    })
    .default({ type: 'fixed' }),
});

/** An experiment config as written (defaults optional). */
export type ExperimentConfigInput = z.input<typeof experimentConfigSchema>;
/** A validated experiment config with defaults applied. */
export type ExperimentConfig = z.output<typeof experimentConfigSchema>;
/** Bandit allocation settings with defaults applied. */
export type BanditAllocation = z.output<typeof banditAllocationSchema>;

/** Lifecycle: draft -> running <-> paused -> stopped | promoted. */
export const EXPERIMENT_STATUSES = ['draft', 'running', 'paused', 'stopped', 'promoted'] as const;
/** Where an experiment is in its lifecycle. */
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];
