import { findRamp } from '../../core/find-ramp.js';
import type { StoredExperiment, StoredFeature } from '../../store/store.js';

/** Where a feature's relative rules take their arms from. */
export interface ComparisonSource {
  /** `experiment` (its split since it started), `ramp` (its split against the units still on the default, since
   * the ramp started) or `split` (the first split rule with two or more variants, since the feature last changed). */
  kind: 'experiment' | 'ramp' | 'split';
  /** The split rule whose decisions are the exposures. */
  ruleId: string;
  /** Variants compared, the default control first when it is one of them. */
  arms: string[];
  /** The arm whose DEFAULT decisions also count (a ramp's control), when any. */
  fallthroughArm?: string;
  /** The default control: the experiment's control, else the feature's default variant. */
  control: string;
  /** Epoch milliseconds the comparison starts from. */
  from: number;
  /** The experiment, for `experiment` sources. */
  experiment: string | null;
}

/**
 * Picks what a feature's relative rules compare: its running or paused experiment, else its ramp (once
 * started), else its first split rule of at least two variants; undefined when there is nothing to compare.
 * Each kind has a fixed start, which the always-valid test needs: data only grows from it.
 */
export function comparisonSource(
  feature: StoredFeature,
  experiments: readonly StoredExperiment[],
): ComparisonSource | undefined {
  const config = feature.config;
  const live = experiments.find(
    (experiment) =>
      experiment.feature === feature.key &&
      (experiment.status === 'running' || experiment.status === 'paused') &&
      experiment.startedAt !== null,
  );
  if (live !== undefined) {
    const arms = live.config.arms ?? [];
    const control = live.config.control ?? config.defaultVariant;
    const ruleId = live.config.ruleId ?? splitRuleIds(feature)[0];
    if (ruleId !== undefined) {
      return {
        kind: 'experiment',
        ruleId,
        arms,
        control,
        from: live.startedAt as number,
        experiment: live.key,
      };
    }
  }
  const ramp = findRamp(config);
  if (ramp !== undefined) {
    if (ramp.ramp.startedAt === undefined) return undefined;
    const control = config.defaultVariant;
    const arms = [control, ...Object.keys(ramp.rule.split).filter((variant) => variant !== control)];
    return {
      kind: 'ramp',
      ruleId: ramp.id,
      arms,
      fallthroughArm: control,
      control,
      from: ramp.ramp.startedAt,
      experiment: null,
    };
  }
  const index = config.rules.findIndex((rule) => 'split' in rule && Object.keys(rule.split).length >= 2);
  const rule = config.rules[index];
  if (rule === undefined || !('split' in rule)) return undefined;
  const control = config.defaultVariant;
  const variants = Object.keys(rule.split);
  return {
    kind: 'split',
    ruleId: rule.id ?? `rule-${index}`,
    arms: variants.includes(control)
      ? [control, ...variants.filter((variant) => variant !== control)]
      : variants,
    control,
    from: feature.updatedAt,
    experiment: null,
  };
}

function splitRuleIds(feature: StoredFeature): string[] {
  return feature.config.rules.flatMap((rule, index) => ('split' in rule ? [rule.id ?? `rule-${index}`] : []));
}
