import { ExperimentNotFoundError } from '../../core/errors.js';
import type { ExperimentConfig } from '../../core/experiment-config.js';
import { analyzeExperiment } from '../../stats/analyze-experiment.js';
import type { ExperimentAnalysis } from '../../stats/experiment-analysis.js';
import type { Store, StoredExperiment } from '../../store/store.js';

/** An experiment's results: the range analysed and the analysis, or null for a draft. */
export interface ExperimentResults {
  experiment: StoredExperiment;
  /** The analysed range, epoch milliseconds (`from` inclusive, `to` exclusive); null for a draft. */
  range: { from: number; to: number } | null;
  analysis: ExperimentAnalysis | null;
}

/** Every metric an experiment reads: primary, secondary and guardrail, each once. */
export function experimentMetrics(config: ExperimentConfig): string[] {
  return [...new Set([config.primaryMetric, ...config.secondaryMetrics, ...config.guardrailMetrics])];
}

/**
 * Aggregates an experiment's events in the store (from its start to its end, or to `now`) and analyses
 * them; sample-ratio mismatch is checked against the split's weights for fixed allocation only (a bandit
 * moves them on purpose).
 *
 * @example
 * const { analysis } = await experimentResults(store, 'coach-v2', Date.now());
 * analysis?.verdict; // { verdict: 'significant win', winner: 'v2' }
 */
export async function experimentResults(store: Store, key: string, now: number): Promise<ExperimentResults> {
  const experiment = await store.getExperiment(key);
  if (!experiment) throw new ExperimentNotFoundError(key);
  const { config } = experiment;
  if (experiment.startedAt === null) return { experiment, range: null, analysis: null };
  const range = {
    from: experiment.startedAt,
    to: Math.max(experiment.endedAt ?? now, experiment.startedAt + 1),
  };
  const data = await store.experimentData({
    feature: experiment.feature,
    ruleId: config.ruleId as string,
    arms: config.arms ?? [],
    ...range,
    metrics: experimentMetrics(config),
  });
  const analysis = analyzeExperiment({
    data,
    config,
    control: config.control as string,
    ...(config.allocation.type === 'fixed' && config.weights ? { expectedWeights: config.weights } : {}),
  });
  return { experiment, range, analysis };
}
