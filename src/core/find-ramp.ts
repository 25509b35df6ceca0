import type { FeatureConfig, SplitRuleConfig } from './feature-config.js';
import type { RampConfig } from './ramp-config.js';

/** A feature's ramp: the split rule that carries it, its position and evaluation id, and the ramp itself. */
export interface LocatedRamp {
  index: number;
  /** The id evaluation gives the rule: its own, or `rule-<index>`. */
  id: string;
  rule: SplitRuleConfig & { ramp: RampConfig };
  ramp: RampConfig;
}

/**
 * The feature's split rule with a ramp (validation allows at most one), or undefined.
 *
 * @example
 * findRamp(feature)?.ramp.step; // 2
 */
export function findRamp(feature: FeatureConfig): LocatedRamp | undefined {
  const index = feature.rules.findIndex((rule) => 'split' in rule && rule.ramp !== undefined);
  const rule = feature.rules[index];
  if (rule === undefined || !('split' in rule) || rule.ramp === undefined) return undefined;
  return { index, id: rule.id ?? `rule-${index}`, rule: rule as LocatedRamp['rule'], ramp: rule.ramp };
}
