import {
  type AbsoluteAlertRule,
  type AlertRule,
  type RelativeAlertRule,
  SPEND_TODAY_METRIC,
} from '../../core/alert-rule.js';
import { metricDirection } from '../../core/experiment-config.js';
import {
  type AlertState,
  evaluateAbsoluteRule,
  evaluateRelativeRule,
} from '../../stats/evaluate-alert-rule.js';
import type { MetricsByVariant } from '../../store/analytics/analytics-types.js';
import type { AlertEvidence, Store, StoredExperiment, StoredFeature } from '../../store/store.js';
import { absoluteMetricValue } from './absolute-metric-value.js';
import { type ComparisonSource, comparisonSource } from './comparison-source.js';
import type { WatchedRule } from './watched-rules.js';

const DAY_MS = 86_400_000;
/** The narrowest range the analytics aggregate (their smallest bucket). */
const MIN_RANGE_MS = 1_000;

/** The verdict of one rule for one scope (the whole feature, or one variant) at one evaluation. */
export interface RuleEvaluation {
  readonly rule: AlertRule;
  /** The experiment the rule watches, or null. */
  readonly experiment: string | null;
  /** The variant the verdict is about, or null for the whole feature. */
  readonly variant: string | null;
  readonly state: AlertState;
  readonly evidence: AlertEvidence;
}

/**
 * Evaluates a feature's rules at `now` from aggregated events: absolute rules over their sliding window (one
 * analytics query per distinct window; spend-today over the UTC day so far), relative rules over the per-unit
 * sums of the feature's comparison source (one experiment-data query for all of them), one verdict per
 * treatment.
 */
export async function evaluateFeatureRules(
  store: Store,
  feature: StoredFeature,
  rules: readonly WatchedRule[],
  experiments: readonly StoredExperiment[],
  now: number,
): Promise<RuleEvaluation[]> {
  const absolute = rules.filter((watched) => watched.rule.kind === 'absolute');
  const relative = rules.filter((watched) => watched.rule.kind === 'relative');
  const [absoluteResults, relativeResults] = await Promise.all([
    evaluateAbsolute(store, feature.key, absolute, now),
    evaluateRelative(store, feature, relative, experiments, now),
  ]);
  return [...absoluteResults, ...relativeResults];
}

function rangeStart(rule: AbsoluteAlertRule, now: number): number {
  const start = rule.metric === SPEND_TODAY_METRIC ? Math.floor(now / DAY_MS) * DAY_MS : now - rule.windowMs;
  return Math.max(0, Math.min(start, now - MIN_RANGE_MS));
}

async function evaluateAbsolute(
  store: Store,
  feature: string,
  rules: readonly WatchedRule[],
  now: number,
): Promise<RuleEvaluation[]> {
  const starts = [...new Set(rules.map((watched) => rangeStart(watched.rule as AbsoluteAlertRule, now)))];
  const metrics = new Map<number, MetricsByVariant>();
  await Promise.all(
    starts.map(async (from) => {
      // Quantiles read every run of the range: only ranges with a p95 rule pay for them (an hour's cache
      // rule or a day's spend rule would otherwise stream all of it every pass).
      const latency = rules.some(
        (watched) =>
          watched.rule.metric === 'p95-latency' &&
          rangeStart(watched.rule as AbsoluteAlertRule, now) === from,
      );
      metrics.set(
        from,
        await store.metricsByVariant({ feature, from, to: now, intervalMs: now - from, latency }),
      );
    }),
  );
  return rules.map((watched) => {
    const rule = watched.rule as AbsoluteAlertRule;
    const from = rangeStart(rule, now);
    const range = metrics.get(from) as MetricsByVariant;
    const values =
      rule.scope === 'all' ? range.overall : range.totals.find((totals) => totals.variant === rule.scope);
    const observed =
      values === undefined ? { value: null, samples: 0 } : absoluteMetricValue(rule.metric, values);
    const { state, evidence } = evaluateAbsoluteRule(rule, observed ?? { value: null, samples: 0 });
    return {
      rule,
      experiment: watched.experiment,
      variant: rule.scope === 'all' ? null : rule.scope,
      state,
      evidence: { kind: 'absolute', metric: rule.metric, ...evidence, from, to: now },
    };
  });
}

async function evaluateRelative(
  store: Store,
  feature: StoredFeature,
  rules: readonly WatchedRule[],
  experiments: readonly StoredExperiment[],
  now: number,
): Promise<RuleEvaluation[]> {
  if (rules.length === 0) return [];
  const source = comparisonSource(feature, experiments);
  if (source === undefined || !(source.from < now)) {
    return rules.map((watched) => notTested(watched, null, 'no split to compare yet'));
  }
  const metrics = [...new Set(rules.map((watched) => watched.rule.metric))];
  const data = await store.experimentData({
    feature: feature.key,
    ruleId: source.ruleId,
    arms: source.arms,
    from: source.from,
    to: now,
    metrics,
    ...(source.fallthroughArm === undefined ? {} : { fallthroughArm: source.fallthroughArm }),
  });
  const sumsOf = (variant: string, metric: string) =>
    data.arms.find((arm) => arm.variant === variant)?.metrics[metric];
  return rules.flatMap((watched) => {
    const rule = watched.rule as RelativeAlertRule;
    const experiment = watched.experiment ?? source.experiment;
    const control = rule.control ?? source.control;
    const treatments =
      rule.treatment === undefined ? source.arms.filter((arm) => arm !== control) : [rule.treatment];
    return treatments.map((treatment): RuleEvaluation => {
      const controlSums = sumsOf(control, rule.metric);
      const treatmentSums = sumsOf(treatment, rule.metric);
      if (controlSums === undefined || treatmentSums === undefined) {
        return notTested(
          { ...watched, experiment },
          treatment,
          `${control} and ${treatment} are not both variants of the ${source.kind}`,
        );
      }
      const { state, evidence } = evaluateRelativeRule(rule, {
        control: controlSums,
        treatment: treatmentSums,
        direction: metricDirection(rule.metric),
      });
      return {
        rule,
        experiment,
        variant: treatment,
        state,
        evidence: {
          kind: 'relative',
          metric: rule.metric,
          ...sourceEvidence(source),
          control,
          treatment,
          ...evidence,
        },
      };
    });
  });
}

function sourceEvidence(source: ComparisonSource): AlertEvidence {
  return { source: source.kind, ruleId: source.ruleId, from: source.from };
}

function notTested(watched: WatchedRule, variant: string | null, reason: string): RuleEvaluation {
  return {
    rule: watched.rule,
    experiment: watched.experiment,
    variant: variant ?? (watched.rule.kind === 'relative' ? (watched.rule.treatment ?? null) : null),
    state: 'insufficient',
    evidence: { kind: watched.rule.kind, metric: watched.rule.metric, method: `not tested: ${reason}` },
  };
}
