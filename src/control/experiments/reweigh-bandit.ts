import { ExperimentNotFoundError, InvalidTransitionError } from '../../core/errors.js';
import { parseFeature } from '../../core/validate-feature.js';
import { analyzeExperiment } from '../../stats/analyze-experiment.js';
import { banditWeights } from '../../stats/bandit-weights.js';
import type { ExperimentUpdateResult, Store } from '../../store/store.js';
import { experimentMetrics, guardrailLosers } from './experiment-results.js';
import { requireSplitRule, withRule } from './experiment-rule.js';

/** Options of reweighBandit. */
export interface ReweighOptions {
  /** Epoch milliseconds: the end of the data read and the start of the new period. */
  now: number;
  /** Uniform source in [0, 1) for the posterior draws. */
  rng: () => number;
  /** Re-weigh even when the interval has not passed since the last change. */
  force?: boolean;
}

/** What a re-weighing did: the new weights and why, or `due: false` when the interval has not passed. */
export type ReweighOutcome =
  | { due: false; nextAt: number }
  | {
      due: true;
      weights: Record<string, number>;
      failingArms: string[];
      inBurnIn: boolean;
      method: string;
      result: ExperimentUpdateResult;
    };

/**
 * One bandit step: reads the experiment's per-period sums (periods of `allocation.intervalMs` from its
 * start), takes arms that significantly lose on a guardrail metric out (weight 0), computes Thompson weights
 * on period-weighted estimates of the primary metric, and writes them into the split (feature version
 * bumped) with the experiment's weight history, in one transaction audited as `experiment.reweigh` by
 * actor `bandit`. Units already assigned keep their arm (sticky assignments), except in an arm at weight 0.
 *
 * @example
 * await reweighBandit(store, 'onboarding-bandit', { now: Date.now(), rng: createRng(7) });
 */
export async function reweighBandit(
  store: Store,
  key: string,
  options: ReweighOptions,
): Promise<ReweighOutcome> {
  const experiment = await store.getExperiment(key);
  if (!experiment) throw new ExperimentNotFoundError(key);
  const { config } = experiment;
  const allocation = config.allocation;
  if (experiment.status !== 'running' || allocation.type !== 'bandit' || experiment.startedAt === null) {
    throw new InvalidTransitionError(
      `experiment "${key}"`,
      experiment.status,
      'reweigh',
      allocation.type === 'bandit' ? 'only a running bandit re-weighs' : 'its allocation is fixed',
    );
  }
  const last = experiment.weightHistory.at(-1)?.at ?? experiment.startedAt;
  if (!options.force && options.now < last + allocation.intervalMs) {
    return { due: false, nextAt: last + allocation.intervalMs };
  }
  const arms = config.arms ?? [];
  const data = await store.experimentData({
    feature: experiment.feature,
    ruleId: config.ruleId as string,
    arms,
    from: experiment.startedAt,
    to: Math.max(options.now, experiment.startedAt + 1),
    metrics: experimentMetrics(config),
    periodMs: allocation.intervalMs,
  });
  const analysis = analyzeExperiment({ data, config, control: config.control as string });
  const failingArms = guardrailLosers(analysis);
  const step = banditWeights({
    periods: data.periods,
    metric: config.primaryMetric,
    arms,
    failingArms,
    burnIn: allocation.burnIn,
    minWeight: allocation.minWeight,
    rng: options.rng,
  });
  const feature = await store.getFeature(experiment.feature);
  if (!feature) {
    throw new InvalidTransitionError(
      `experiment "${key}"`,
      experiment.status,
      'reweigh',
      'its feature is gone',
    );
  }
  const located = requireSplitRule(feature.config, config.ruleId);
  const next = withRule(feature.config, located, { ...located.rule, split: step.weights });
  const result = await store.updateExperiment(
    key,
    { weightHistory: [...experiment.weightHistory, { at: options.now, weights: step.weights }] },
    {
      actor: 'bandit',
      reason: reweighReason(step.weights, step.inBurnIn ? 'burn-in: equal weights' : step.method),
      expectedVersion: experiment.version,
      action: 'experiment.reweigh',
      feature: { config: parseFeature(next), expectedVersion: feature.version },
    },
  );
  return {
    due: true,
    weights: step.weights,
    failingArms,
    inBurnIn: step.inBurnIn,
    method: step.method,
    result,
  };
}

/**
 * The audit reason of a re-weighing: the new weights first (what a reader of the audit log wants), then
 * why: `weights control 18 %, personalized 49 %, personalized-history 33 %; <method>`.
 */
export function reweighReason(weights: Readonly<Record<string, number>>, why: string): string {
  const shares = Object.entries(weights)
    .map(([arm, weight]) => {
      const percent = weight * 100;
      return `${arm} ${percent > 0 && percent < 10 ? percent.toFixed(1) : Math.round(percent)} %`;
    })
    .join(', ');
  return `weights ${shares}; ${why}`;
}
