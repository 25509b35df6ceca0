import { type AlertRule, expandAlertPresets } from '../../core/alert-rule.js';
import type { FeatureConfig } from '../../core/feature-config.js';
import type { StoredExperiment } from '../../store/store.js';

/** A rule the monitor evaluates for one feature, and the experiment it belongs to (or null). */
export interface WatchedRule {
  readonly rule: AlertRule;
  readonly experiment: string | null;
}

/**
 * Every rule the monitor evaluates for a feature: the feature's own `alerts` with presets expanded, and for
 * each of its running or paused experiments one relative rule per guardrail metric (id
 * `<experiment>/guardrail:<metric>`, action `alert`, the experiment's control, alpha and minimum units per
 * arm). `p95-latency` guardrails are left to the experiment's analysis: a quantile has no per-unit sums to test.
 */
export function watchedRules(
  feature: FeatureConfig,
  experiments: readonly StoredExperiment[],
): WatchedRule[] {
  const own = expandAlertPresets(feature.alerts ?? [], feature).map((rule) => ({ rule, experiment: null }));
  const guardrails = experiments
    .filter((experiment) => experiment.feature === feature.key)
    .filter((experiment) => experiment.status === 'running' || experiment.status === 'paused')
    .flatMap((experiment) =>
      experiment.config.guardrailMetrics
        .filter((metric) => metric !== 'p95-latency')
        .map((metric) => ({
          experiment: experiment.key,
          rule: {
            kind: 'relative' as const,
            id: `${experiment.key}/guardrail:${metric}`,
            metric,
            minSamples: experiment.config.minSamplePerArm,
            severity: 'critical' as const,
            action: 'alert' as const,
            alpha: experiment.config.alpha,
            margin: 0,
            ...(experiment.config.control === undefined ? {} : { control: experiment.config.control }),
          },
        })),
    );
  return [...own, ...guardrails];
}
