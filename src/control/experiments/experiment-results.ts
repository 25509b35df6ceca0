import { ExperimentNotFoundError } from '../../core/errors.js';
import type { ExperimentConfig } from '../../core/experiment-config.js';
import { analyzeExperiment } from '../../stats/analyze-experiment.js';
import { banditDecision, banditSnapshot } from '../../stats/bandit-analysis.js';
import { createRng } from '../../stats/create-rng.js';
import type { ExperimentAnalysis } from '../../stats/experiment-analysis.js';
import type { ExperimentData } from '../../stats/experiment-data.js';
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
  const bandit = config.allocation.type === 'bandit' ? config.allocation : undefined;
  const read = (to: number) =>
    store.experimentData({
      feature: experiment.feature,
      ruleId: config.ruleId as string,
      arms: config.arms ?? [],
      from: range.from,
      to,
      metrics: experimentMetrics(config),
      ...(bandit === undefined ? {} : { periodMs: bandit.intervalMs }),
    });
  const data = await read(range.to);
  const analysis = analyzeExperiment({
    data,
    config,
    control: config.control as string,
    ...(config.allocation.type === 'fixed' && config.weights ? { expectedWeights: config.weights } : {}),
  });
  if (bandit === undefined) return { experiment, range, analysis };

  // A bandit allocates adaptively: its verdict comes from its posteriors and stopping rule, never from the
  // fixed-horizon comparisons (which stay in the analysis, for reference).
  const failingArms = guardrailLosers(analysis);
  const snapshotAt = (periods: ExperimentData['periods']) =>
    banditSnapshot({
      periods,
      metric: config.primaryMetric,
      arms: config.arms ?? [],
      failingArms,
      alpha: config.alpha,
      // Seeded: the same data reads the same probabilities on every request.
      rng: createRng(RESULTS_SEED),
    });
  const current = snapshotAt(data.periods);
  const lastLook = experiment.weightHistory.findLast((entry) => entry.at > range.from && entry.at < range.to);
  const previous = lastLook === undefined ? null : snapshotAt((await read(lastLook.at)).periods);
  const decision = banditDecision(current, previous, config.minSamplePerArm);
  return {
    experiment,
    range,
    analysis: {
      ...analysis,
      verdict: { verdict: decision.verdict, winner: decision.winner },
      bandit: { ...current, decision },
    },
  };
}

/** Seed of the posterior draws of a bandit's results. */
const RESULTS_SEED = 20_240_601;

/** Arms that significantly lose to control on a guardrail metric: out of a bandit's race. */
export function guardrailLosers(analysis: ExperimentAnalysis): string[] {
  const losers = analysis.metrics
    .filter((metric) => metric.role === 'guardrail')
    .flatMap((metric) => metric.comparisons.filter((comparison) => comparison.verdict === 'significant loss'))
    .map((comparison) => comparison.variant);
  return [...new Set(losers)];
}
