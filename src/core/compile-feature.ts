import { getBucketRanges } from './bucket-ranges.js';
import { pathGetter } from './condition/path-getter.js';
import { compileCondition } from './condition.js';
import type { Attributes, Decision } from './decision.js';
import type { Condition, FeatureConfig } from './feature-config.js';
import { seedHashState } from './hash.js';
import { rampCoverage } from './ramp-config.js';
import { parseFeature } from './validate-feature.js';

/** A targeting predicate compiled once from a condition. */
type Predicate = (attributes: Attributes) => boolean;

/** A `serve` rule ready to evaluate: its decision is built once and shared. */
export interface CompiledServeRule {
  readonly kind: 'serve';
  readonly id: string;
  readonly matches: Predicate | null;
  readonly decision: Decision;
}

/** A `split` rule ready to evaluate: ranges, seed and namespace resolved once. */
export interface CompiledSplitRule {
  readonly kind: 'split';
  readonly id: string;
  readonly matches: Predicate | null;
  readonly hashAttribute: string;
  readonly seed: string;
  /** FNV state after the seed, so each decision hashes only the unit id. */
  readonly seedState: number;
  readonly namespace: [string, number, number] | null;
  /** The experiment that owns the split, or null. */
  readonly experiment: { readonly key: string; readonly status: 'running' | 'paused' } | null;
  /** Sticky decisions by variant (arms with weight above 0), for units the experiment assigned before. */
  readonly stickyDecisions: ReadonlyMap<string, Decision>;
  readonly ranges: ReadonlyArray<[number, number]>;
  readonly variants: readonly string[];
  readonly payloads: readonly unknown[];
}

/** A compiled rule. */
export type CompiledRule = CompiledServeRule | CompiledSplitRule;

/** A feature compiled for fast, allocation-light evaluation; build it once per config version. */
export interface CompiledFeature {
  readonly key: string;
  readonly version: number;
  readonly enabled: boolean;
  readonly killed: boolean;
  readonly defaultVariant: string;
  readonly config: FeatureConfig;
  /** Whether a unit consented, for a feature that requires consent; null when it does not. */
  readonly consented: Predicate | null;
  readonly rules: readonly CompiledRule[];
  /** Shared decisions for outcomes that do not depend on the unit. */
  readonly decisions: {
    readonly killed: Decision;
    readonly disabled: Decision;
    readonly fallthrough: Decision;
    readonly noConsent: Decision;
    readonly overrides: ReadonlyMap<string, Decision>;
  };
}

/** Options for compileFeature. */
export interface CompileOptions {
  /** Named attribute lists for `$inGroup` / `$notInGroup` conditions. */
  readonly savedGroups?: Record<string, unknown[]>;
}

/**
 * Compiles a feature config once (conditions, bucket ranges, shared decisions) for `evaluate()`.
 * Throws InvalidConfigError when the config is invalid; evaluation itself never throws.
 *
 * @example
 * const compiled = compileFeature(config);
 * const decision = evaluate(compiled, { attributes: { userId: 'u-42', tier: 'paid' } });
 */
export function compileFeature(input: FeatureConfig, options: CompileOptions = {}): CompiledFeature {
  const config = parseFeature(input);
  const version = config.version ?? 0;
  const payloadOf = (variant: string): unknown => config.variants[variant]?.payload ?? null;
  const fixed = (variant: string, reason: Decision['reason'], ruleId: string | null = null): Decision =>
    Object.freeze({
      feature: config.key,
      variant,
      payload: payloadOf(variant),
      reason,
      ruleId,
      bucket: null,
      version,
    });

  const rules = config.rules.map((rule, index): CompiledRule => {
    const id = rule.id ?? `rule-${index}`;
    const matches = rule.when ? compileCondition(rule.when as Condition, options.savedGroups) : null;
    if ('serve' in rule)
      return { kind: 'serve', id, matches, decision: fixed(rule.serve, 'TARGETING_MATCH', id) };
    const entries = Object.entries(rule.split);
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    return {
      kind: 'split',
      id,
      matches,
      hashAttribute: rule.hashAttribute,
      seed: rule.seed ?? config.key,
      seedState: seedHashState(rule.seed ?? config.key),
      namespace: rule.namespace ?? null,
      experiment: rule.experiment ?? null,
      // An arm whose weight went to 0 (a bandit's guardrail, an edit) releases its units.
      stickyDecisions: new Map(
        entries
          .filter(([, weight]) => weight > 0)
          .map(([variant]) => [variant, fixed(variant, 'STICKY', id)]),
      ),
      ranges: getBucketRanges(
        entries.length,
        rule.ramp === undefined ? rule.coverage : rampCoverage(rule.ramp),
        entries.map(([, weight]) => weight / total),
      ),
      variants: entries.map(([variant]) => variant),
      payloads: entries.map(([variant]) => payloadOf(variant)),
    };
  });

  return {
    key: config.key,
    version,
    enabled: config.enabled,
    killed: config.killed === true,
    defaultVariant: config.defaultVariant,
    config,
    consented: config.consent === undefined ? null : consentReader(config.consent.attribute),
    rules,
    decisions: {
      killed: fixed(config.defaultVariant, 'KILLED'),
      disabled: fixed(config.defaultVariant, 'DISABLED'),
      fallthrough: fixed(config.defaultVariant, 'DEFAULT'),
      noConsent: fixed(config.defaultVariant, 'NO_CONSENT'),
      overrides: new Map(
        Object.keys(config.variants).map((variant) => [variant, fixed(variant, 'OVERRIDE')]),
      ),
    },
  };
}

/** Consent is the attribute at the path being exactly `true`: a string "true" or a 1 is not consent. */
function consentReader(attribute: string): Predicate {
  const read = pathGetter(attribute);
  return (attributes) => read(attributes) === true;
}
