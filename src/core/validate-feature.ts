import type { z } from 'zod';
import { alertRuleProblems } from './alert-rule-problems.js';
import { conditionProblems } from './condition.js';
import { type ConfigProblem, InvalidConfigError } from './errors.js';
import {
  type Condition,
  type FeatureConfig,
  featureConfigSchema,
  type RankerLearnConfig,
} from './feature-config.js';

/** The outcome of validating one feature config: the config with defaults, or every problem. */
export type FeatureValidation =
  | { readonly ok: true; readonly feature: FeatureConfig }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/**
 * Validates a feature config against the schema and across fields, reporting every problem with its path.
 *
 * @example
 * const result = validateFeature({ key: 'coach-reply', defaultVariant: 'v1', variants: { v1: { type: 'handler' } } });
 * if (!result.ok) console.error(result.problems); // [{ path: 'rules[0].split.v3', message: 'unknown variant "v3"' }]
 */
export function validateFeature(input: unknown): FeatureValidation {
  const parsed = featureConfigSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error) };
  const problems = crossFieldProblems(parsed.data);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, feature: parsed.data };
}

/** Validates a feature config and returns it with defaults, or throws InvalidConfigError naming every problem. */
export function parseFeature(input: unknown): FeatureConfig {
  const result = validateFeature(input);
  if (!result.ok) throw new InvalidConfigError('invalid feature', result.problems);
  return result.feature;
}

/** Formats a zod-style path as `rules[1].split.qloo-first`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

/** Turns zod issues into problems, expanding union failures into the branch that fits best. */
export function zodProblems(error: z.ZodError, prefix: readonly PropertyKey[] = []): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of error.issues) collectIssue(issue, prefix, problems);
  return problems;
}

function collectIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[], into: ConfigProblem[]): void {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // Report the branch the author most likely meant: one whose fields all fit (no unknown keys) first, then
    // the one with the fewest problems.
    const unknownKeys = (branch: readonly z.core.$ZodIssue[]) =>
      branch.some((inner) => inner.code === 'unrecognized_keys') ? 1 : 0;
    const best =
      [...issue.errors].sort(
        (left, right) => unknownKeys(left) - unknownKeys(right) || left.length - right.length,
      )[0] ?? [];
    const onlyShapeMismatch = issue.errors.every((branch) =>
      branch.some((inner) => inner.code === 'unrecognized_keys'),
    );
    if (best.length > 0 && !onlyShapeMismatch) {
      for (const inner of best) collectIssue(inner, path, into);
      return;
    }
  }
  into.push({ path: formatPath(path), message: issueMessage(issue) });
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  }
  if (issue.code === 'invalid_type') {
    // zod leaves `input` out of issues unless asked, so a missing field shows in the message only.
    if (/received undefined$/.test(issue.message)) return 'is required';
    return issue.message.replace(/^Invalid input: /, '');
  }
  return issue.message;
}

function crossFieldProblems(feature: FeatureConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const variantKeys = new Set(Object.keys(feature.variants));
  const requireVariant = (variant: string, path: string, what = 'unknown variant') => {
    if (!variantKeys.has(variant)) problems.push({ path, message: `${what} "${variant}"` });
  };

  requireVariant(feature.defaultVariant, 'defaultVariant');
  for (const [variantKey, variant] of Object.entries(feature.variants)) {
    variant.fallback?.forEach((target, index) => {
      const path = `variants.${variantKey}.fallback[${index}]`;
      if (target === variantKey) problems.push({ path, message: 'a variant cannot fall back to itself' });
      else requireVariant(target, path);
    });
    const downgrade = variant.policy?.budget?.downgradeTo;
    if (downgrade) requireVariant(downgrade, `variants.${variantKey}.policy.budget.downgradeTo`);
  }
  const downgrade = feature.policy?.budget?.downgradeTo;
  if (downgrade) requireVariant(downgrade, 'policy.budget.downgradeTo');

  const ruleIds = new Map<string, number>();
  let rampAt: number | undefined;
  feature.rules.forEach((rule, index) => {
    const at = `rules[${index}]`;
    if (rule.id !== undefined) {
      const first = ruleIds.get(rule.id);
      if (first !== undefined) {
        problems.push({ path: `${at}.id`, message: `duplicate rule id "${rule.id}" (also rules[${first}])` });
      } else ruleIds.set(rule.id, index);
    }
    if (rule.when !== undefined) problems.push(...conditionProblems(rule.when as Condition, `${at}.when`));
    if ('serve' in rule) {
      requireVariant(rule.serve, `${at}.serve`);
      return;
    }
    const weights = Object.entries(rule.split);
    if (weights.length === 0) problems.push({ path: `${at}.split`, message: 'needs at least one variant' });
    for (const [variant] of weights) requireVariant(variant, `${at}.split`);
    const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
    if (weights.length > 0 && !(total > 0)) {
      problems.push({ path: `${at}.split`, message: 'weights must sum to more than 0' });
    }
    if (rule.ramp !== undefined) {
      if (rule.coverage !== 1) {
        problems.push({ path: `${at}.coverage`, message: 'is set by the ramp; leave it out' });
      }
      if (rule.experiment !== undefined) {
        problems.push({ path: `${at}.ramp`, message: 'a split rule runs an experiment or a ramp, not both' });
      }
      const first = rampAt;
      if (first !== undefined) {
        problems.push({ path: `${at}.ramp`, message: `only one ramp per feature (also rules[${first}])` });
      } else rampAt = index;
    }
    if (rule.namespace && !(rule.namespace[1] < rule.namespace[2])) {
      problems.push({ path: `${at}.namespace`, message: 'namespace range start must be below its end' });
    }
  });
  problems.push(...alertRuleProblems(feature));
  problems.push(...rankerProblems(feature));
  return problems;
}

/** A ranking feature's variants are all rankers, without fallbacks or policies, learning one way. */
function rankerProblems(feature: FeatureConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const variants = Object.entries(feature.variants);
  const rankers = variants.filter(([, variant]) => variant.type === 'ranker');
  if (rankers.length === 0) {
    if (feature.mode !== undefined) {
      problems.push({
        path: 'mode',
        message: 'applies to ranking features only (variants of type "ranker")',
      });
    }
    return problems;
  }
  let learning: { key: string; text: string } | undefined;
  for (const [key, variant] of variants) {
    const at = `variants.${key}`;
    if (variant.type !== 'ranker') {
      problems.push({ path: `${at}.type`, message: 'a ranking feature has only "ranker" variants' });
      continue;
    }
    if (variant.fallback !== undefined) {
      problems.push({ path: `${at}.fallback`, message: 'a ranker has no fallback (ranking cannot fail)' });
    }
    if (variant.policy !== undefined) {
      problems.push({ path: `${at}.policy`, message: 'a ranker has no policy (it calls no model)' });
    }
    if (variant.strategy === 'original') {
      if (variant.learn !== undefined) {
        problems.push({ path: `${at}.learn`, message: 'only a "personalized" ranker learns' });
      }
      continue;
    }
    if (variant.learn === undefined) {
      problems.push({ path: `${at}.learn`, message: 'is required for a "personalized" ranker' });
      continue;
    }
    const text = JSON.stringify(variant.learn);
    if (learning === undefined) learning = { key, text };
    else if (learning.text !== text) {
      problems.push({
        path: `${at}.learn`,
        message: `must equal variants.${learning.key}.learn (a feature keeps one set of profiles)`,
      });
    }
  }
  if (feature.mode === 'observe' && learning === undefined) {
    problems.push({ path: 'mode', message: 'observe mode needs a "personalized" ranker to learn with' });
  }
  if (feature.policy !== undefined) {
    problems.push({ path: 'policy', message: 'a ranking feature has no policy (it calls no model)' });
  }
  return problems;
}

/** The learning settings of a ranking feature (its personalized rankers share them), or undefined. */
export function rankerLearning(feature: FeatureConfig): RankerLearnConfig | undefined {
  for (const variant of Object.values(feature.variants)) {
    if (variant.type === 'ranker' && variant.learn !== undefined) return variant.learn;
  }
  return undefined;
}

/** Whether a feature orders items (`rank()`) rather than answering requests (`run()`). */
export function isRankingFeature(feature: FeatureConfig): boolean {
  return Object.values(feature.variants).some((variant) => variant.type === 'ranker');
}
