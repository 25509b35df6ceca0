import { z } from 'zod';

// This file imports nothing from the rest of core: feature-config.ts imports it, and experiment-config.ts
// imports feature-config.ts, so importing either from here would make a cycle. The checks that need them
// (id pattern, metric names, variant keys) run in alert-rule-problems.ts, which validateFeature calls.

/** Metric of absolute rules only: the feature's spend since midnight UTC, in US dollars. */
export const SPEND_TODAY_METRIC = 'spend-today';

/** Named sets of rules that `expandAlertPresets` turns into absolute rules. */
export const ALERT_PRESETS = ['field-reports'] as const;

/** What the monitor does when a rule fires, besides recording and notifying. */
export const ALERT_ACTIONS = ['alert', 'pause-experiment', 'rollback', 'halt-ramp'] as const;

/** What the monitor does when a rule fires (see ALERT_ACTIONS). */
export type AlertAction = (typeof ALERT_ACTIONS)[number];

const ruleCommon = {
  /** Unique among the feature's alerts; the monitor keys alert state on it. */
  id: z.string().min(1).max(64),
  description: z.string().max(2_000).optional(),
  /** Experiment metric (`error-rate`, `feedback:<name>`, ...); checked against the list by validateFeature. */
  metric: z.string().min(1).max(109),
  /** Below this many samples (runs; units per arm for relative rules) the rule is `insufficient`. */
  minSamples: z.int().min(0).max(1_000_000_000).default(100),
  severity: z
    .enum(['warning', 'critical'], { error: 'severity must be "warning" or "critical"' })
    .default('critical'),
  action: z
    .enum(ALERT_ACTIONS, { error: `action must be one of ${ALERT_ACTIONS.join(', ')}` })
    .default('alert'),
};

/** Compares one aggregated value over a sliding window with a fixed threshold. */
export const absoluteAlertRuleSchema = z
  .strictObject({
    kind: z.literal('absolute'),
    ...ruleCommon,
    /** `all` (every variant together) or one variant key. */
    scope: z.string().min(1).default('all'),
    comparator: z.enum(['>', '>=', '<', '<='], {
      error: (issue) =>
        issue.input === undefined
          ? 'is required (">", ">=", "<" or "<=")'
          : 'comparator must be ">", ">=", "<" or "<="',
    }),
    /** In the metric's unit: rates are fractions (2 % is 0.02), latency milliseconds, cost US dollars. */
    threshold: z.number(),
    /** Sliding window the value is aggregated over; ignored by `spend-today`, which counts the UTC day. */
    windowMs: z.int().min(10_000).max(86_400_000).default(300_000),
  })
  .superRefine((rule, context) => {
    if (rule.metric.endsWith('-rate') && !(rule.threshold >= 0 && rule.threshold <= 1)) {
      context.addIssue({
        code: 'custom',
        path: ['threshold'],
        message: `${rule.metric} is a fraction from 0 to 1 (10 % is 0.1)`,
      });
    }
  });

/**
 * Compares a treatment variant with control by a one-sided always-valid test, safe to re-evaluate every
 * few seconds; it has no window because the test's guarantee holds for data growing from a fixed start.
 */
export const relativeAlertRuleSchema = z
  .strictObject({
    kind: z.literal('relative'),
    ...ruleCommon,
    /** Default: every variant other than control, each tested on its own. */
    treatment: z.string().min(1).optional(),
    /** Default: the feature's defaultVariant. */
    control: z.string().min(1).optional(),
    /** Chance of a false alarm per treatment over the whole monitoring, however often it is evaluated. */
    alpha: z.number().gt(0, 'alpha must be in (0, 0.5)').lt(0.5, 'alpha must be in (0, 0.5)').default(0.05),
    /** Fires only when treatment is worse than control by more than margin x control (0.1 = 10 % worse). */
    margin: z.number().min(0, 'margin must be >= 0').max(10).default(0),
  })
  .superRefine((rule, context) => {
    if (rule.metric === SPEND_TODAY_METRIC) {
      context.addIssue({
        code: 'custom',
        path: ['metric'],
        message: 'spend-today is for absolute rules only',
      });
    }
    if (rule.metric === 'p95-latency') {
      // Relative rules compare per-unit sums; a quantile has none.
      context.addIssue({
        code: 'custom',
        path: ['metric'],
        message: 'p95-latency is for absolute rules only (compare mean-latency instead)',
      });
    }
  });

/** Stands for the rules of a named preset (see `expandAlertPresets`). */
export const alertPresetSchema = z.strictObject({
  kind: z.undefined().optional(),
  preset: z.enum(ALERT_PRESETS, {
    error: `needs "kind" ("absolute" or "relative"), or "preset" (${ALERT_PRESETS.map((name) => `"${name}"`).join(', ')})`,
  }),
});

/** One entry of a feature's `alerts`: an absolute rule, a relative rule, or a preset. */
export const alertRuleSchema = z.discriminatedUnion(
  'kind',
  [absoluteAlertRuleSchema, relativeAlertRuleSchema, alertPresetSchema],
  { error: 'kind must be "absolute" or "relative" (or leave it out and give "preset")' },
);

/** An alert entry as written (defaults optional). */
export type AlertRuleInput = z.input<typeof alertRuleSchema>;
/** An alert entry with defaults applied, presets not yet expanded. */
export type AlertRuleEntry = z.output<typeof alertRuleSchema>;
/** An absolute rule with defaults applied. */
export type AbsoluteAlertRule = z.output<typeof absoluteAlertRuleSchema>;
/** A relative rule with defaults applied. */
export type RelativeAlertRule = z.output<typeof relativeAlertRuleSchema>;
/** A rule the monitor evaluates: presets expanded. */
export type AlertRule = AbsoluteAlertRule | RelativeAlertRule;
/** A preset entry. */
export type AlertPreset = z.output<typeof alertPresetSchema>;

/** The parts of a feature config that decide which preset rules apply (a FeatureConfig fits). */
export interface AlertPresetFeature {
  policy?: { cache?: unknown; budget?: { dailyUsd?: number } } | undefined;
  variants?: Record<string, { policy?: { cache?: unknown } | undefined }>;
}

/**
 * Replaces each preset entry by its rules, in place, leaving other rules as they are. The `field-reports`
 * preset turns the thresholds users of LLM features report watching into absolute rules over every variant
 * (`scope: 'all'`), each over a 5-minute window so that the monitor, evaluating every 10 s, alerts within
 * five minutes:
 *
 * - `preset-error-rate`: error-rate > 0.02, critical, action `rollback`, at least 200 runs. Errors reach
 *   users, so this is the one preset that acts on its own; 200 runs (5 errors at the threshold) keep a
 *   feature whose true rate is near 1 % from being rolled back by a few unlucky runs.
 * - `preset-fallback-rate`: fallback-rate > 0.10, warning: users still get an answer, from a fallback.
 * - `preset-p95-latency`: p95-latency > 8000 ms, warning: slow but working.
 * - `preset-parse-error-rate`: parse-error-rate > 0.01, critical, alert only: structured output breaking is
 *   a regression someone must look at, but repair and fallbacks often hide it from users.
 * - `preset-cache-hit-rate`: cache-hit-rate < 0.20, warning, over one hour, only when the feature or a
 *   variant has a cache policy (without one the rate is always 0); a cold cache after a deploy must not alert.
 * - `preset-spend-today-warning` (>= 80 % of `policy.budget.dailyUsd`, warning) and `preset-spend-today`
 *   (>= the cap, critical), only when the feature has a daily budget, with no minimum sample: one expensive
 *   run counts. At the cap the budget policy rejects or downgrades, so `>=` is what can fire.
 *
 * Every preset rule has action `alert` except the error rate's; write explicit rules to act differently.
 *
 * @example
 * expandAlertPresets([{ preset: 'field-reports' }], feature).map((rule) => rule.id);
 * // ['preset-error-rate', 'preset-fallback-rate', 'preset-p95-latency', 'preset-parse-error-rate']
 */
export function expandAlertPresets(
  rules: readonly AlertRuleEntry[],
  feature: AlertPresetFeature = {},
): AlertRule[] {
  return rules.flatMap((rule) => ('preset' in rule ? fieldReportRules(feature) : [rule]));
}

function fieldReportRules(feature: AlertPresetFeature): AbsoluteAlertRule[] {
  const rule = (
    id: string,
    metric: string,
    comparator: AbsoluteAlertRule['comparator'],
    threshold: number,
    severity: AbsoluteAlertRule['severity'],
    overrides: Partial<AbsoluteAlertRule> = {},
  ): AbsoluteAlertRule => ({
    kind: 'absolute',
    id,
    metric,
    scope: 'all',
    comparator,
    threshold,
    windowMs: 300_000,
    minSamples: 100,
    severity,
    action: 'alert',
    ...overrides,
  });
  const rules = [
    rule('preset-error-rate', 'error-rate', '>', 0.02, 'critical', { action: 'rollback', minSamples: 200 }),
    rule('preset-fallback-rate', 'fallback-rate', '>', 0.1, 'warning'),
    rule('preset-p95-latency', 'p95-latency', '>', 8_000, 'warning'),
    rule('preset-parse-error-rate', 'parse-error-rate', '>', 0.01, 'critical'),
  ];
  const caches =
    feature.policy?.cache !== undefined ||
    Object.values(feature.variants ?? {}).some((variant) => variant.policy?.cache !== undefined);
  if (caches) {
    rules.push(rule('preset-cache-hit-rate', 'cache-hit-rate', '<', 0.2, 'warning', { windowMs: 3_600_000 }));
  }
  const dailyUsd = feature.policy?.budget?.dailyUsd;
  if (dailyUsd !== undefined) {
    rules.push(
      rule('preset-spend-today-warning', SPEND_TODAY_METRIC, '>=', 0.8 * dailyUsd, 'warning', {
        minSamples: 0,
      }),
      rule('preset-spend-today', SPEND_TODAY_METRIC, '>=', dailyUsd, 'critical', { minSamples: 0 }),
    );
  }
  return rules;
}
