import { rampCoverage } from '../core/ramp-coverage.js';
import type { FeatureConfig, RuleConfig, SplitRuleConfig } from './api-types.js';
import { formatNumber, formatPercent } from './formatters.js';

/** A feature's serving state: killed wins over disabled. */
export type FeatureState = 'killed' | 'disabled' | 'enabled';

/** The serving state of a feature config. */
export function featureState(config: Pick<FeatureConfig, 'killed' | 'enabled'>): FeatureState {
  if (config.killed === true) return 'killed';
  return config.enabled === false ? 'disabled' : 'enabled';
}

/** Whether a rule splits traffic (rather than serving one variant). */
export function isSplitRule(rule: RuleConfig): rule is SplitRuleConfig {
  return 'split' in rule;
}

/** The coverage a split rule gives now: its ramp's step while a ramp is present, else its `coverage`. */
export function effectiveCoverage(rule: Pick<SplitRuleConfig, 'coverage' | 'ramp'>): number {
  return rule.ramp === undefined ? rule.coverage : rampCoverage(rule.ramp);
}

/**
 * A split rule in one line: each variant's share of the split and the coverage.
 *
 * @example
 * splitSummary({ split: { v1: 1, v2: 3 }, coverage: 0.5 }); // 'v1 25 % · v2 75 % — coverage 50 %'
 */
export function splitSummary(rule: Pick<SplitRuleConfig, 'split' | 'coverage' | 'ramp'>): string {
  const entries = Object.entries(rule.split);
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  const shares = entries
    .map(([variant, weight]) => `${variant} ${total > 0 ? formatNumber((weight / total) * 100, 1) : '0'} %`)
    .join(' · ');
  return `${shares} — coverage ${formatPercent(effectiveCoverage(rule))}`;
}
