import { InvalidConfigError } from '../../core/errors.js';
import type { FeatureConfig, RuleConfig, SplitRuleConfig } from '../../core/feature-config.js';

/** A feature's rule located by id: its index and the id evaluation gives it (`rule-<index>` when unnamed). */
export interface LocatedRule {
  index: number;
  id: string;
  rule: RuleConfig;
}

/** The id evaluation gives a rule: its own, or `rule-<index>`. */
export function ruleIdOf(rule: RuleConfig, index: number): string {
  return rule.id ?? `rule-${index}`;
}

/** Finds the rule an experiment owns (by id, or the first split rule); undefined when absent. */
export function findRule(feature: FeatureConfig, ruleId: string | undefined): LocatedRule | undefined {
  const index =
    ruleId === undefined
      ? feature.rules.findIndex((rule) => 'split' in rule)
      : feature.rules.findIndex((rule, position) => ruleIdOf(rule, position) === ruleId);
  const rule = feature.rules[index];
  return rule === undefined ? undefined : { index, id: ruleIdOf(rule, index), rule };
}

/** The experiment's split rule, or InvalidConfigError naming `ruleId` when it is gone or no longer a split. */
export function requireSplitRule(
  feature: FeatureConfig,
  ruleId: string | undefined,
): LocatedRule & { rule: SplitRuleConfig } {
  const located = findRule(feature, ruleId);
  if (located === undefined || !('split' in located.rule)) {
    throw new InvalidConfigError('invalid experiment', [
      {
        path: 'ruleId',
        message:
          ruleId === undefined
            ? `feature "${feature.key}" has no split rule`
            : `feature "${feature.key}" has no split rule "${ruleId}"`,
      },
    ]);
  }
  return located as LocatedRule & { rule: SplitRuleConfig };
}

/** A copy of the feature with one rule replaced; the rule keeps its position and gets an explicit id. */
export function withRule(feature: FeatureConfig, located: LocatedRule, rule: RuleConfig): FeatureConfig {
  const rules = feature.rules.slice();
  rules[located.index] = { ...rule, id: located.id };
  return { ...feature, rules };
}

/** The rule as a plain `serve` of one variant for everyone it matched, keeping its id and condition. */
export function serveRule(located: LocatedRule, variant: string): RuleConfig {
  const { id, description, when } = located.rule;
  return {
    id: id ?? located.id,
    serve: variant,
    ...(description === undefined ? {} : { description }),
    ...(when === undefined ? {} : { when }),
  };
}
