import { metricDirection } from '../core/experiment-config.js';
import { check } from './check.js';
import type { PeriodData } from './experiment-data.js';
import { periodWeightedArms } from './period-weighted-arms.js';
import { type BanditArm, thompsonWeights } from './thompson-weights.js';

/** Input of `banditWeights`. */
export interface BanditWeightsInput {
  periods: readonly PeriodData[];
  /** The metric the bandit optimises (usually the experiment's primary metric). */
  metric: string;
  /** The arms' variants. */
  arms: readonly string[];
  /** Arms failing a guardrail: they get weight 0. */
  failingArms?: readonly string[];
  /** Units with data per arm before weights move. Default 100. */
  burnIn?: number;
  /** Floor of every other arm's weight. Default 0.01. */
  minWeight?: number;
  /** Posterior draws. Default 10 000. */
  draws?: number;
  /** Uniform source in [0, 1), e.g. createRng(seed). */
  rng: () => number;
}

/** The next period's traffic weights. */
export interface BanditWeightsResult {
  /** Weight by variant, summing to 1; 0 for failing arms. */
  weights: Record<string, number>;
  /** Share of posterior draws in which each arm was best (failing arms 0); null in burn-in. */
  bestArmProbabilities: Record<string, number> | null;
  inBurnIn: boolean;
  method: string;
}

/**
 * Thompson-sampling traffic weights for a bandit from its per-period sums: arms failing a guardrail get 0
 * and the others share all traffic by `thompsonWeights` on their period-weighted estimates
 * (`periodWeightedArms`, which keeps shifting traffic from biasing them), with the metric's direction
 * honoured (lower-is-better metrics are negated, or their conversions counted as failures). Equal weights
 * during burn-in or when no arm has data; equal weights over all arms when every arm fails a guardrail.
 *
 * @example
 * banditWeights({ periods, metric: 'acceptance-rate', arms: ['v1', 'v2', 'v3'], failingArms: ['v3'], rng: createRng(1) });
 * // { weights: { v1: 0.12, v2: 0.88, v3: 0 }, inBurnIn: false, ... }
 */
export function banditWeights(input: BanditWeightsInput): BanditWeightsResult {
  const { arms, metric } = input;
  if (!Array.isArray(arms) || arms.length === 0) check.fail('arms', 'a non-empty array of variants', arms);
  const failing = new Set(input.failingArms ?? []);
  for (const variant of failing) {
    if (!arms.includes(variant))
      check.fail('failingArms', `variants among the arms (${arms.join(', ')})`, variant);
  }
  const eligible = arms.filter((variant) => !failing.has(variant));
  if (eligible.length === 0) {
    return {
      ...equal(arms, arms, false),
      method: 'every arm fails a guardrail: equal weights (the bandit cannot prefer any arm)',
    };
  }

  const lowerIsBetter = metricDirection(metric) === 'lower';
  const estimates = periodWeightedArms(input.periods, metric, eligible).map((arm): BanditArm => {
    if (!lowerIsBetter) return arm;
    // Thompson sampling prefers larger values; a lower-is-better rate is maximised as its complement.
    return 'trials' in arm
      ? { successes: arm.trials - arm.successes, trials: arm.trials }
      : { ...arm, mean: -arm.mean };
  });
  if (estimates.some((arm) => ('trials' in arm ? arm.trials : arm.n) === 0)) {
    return {
      ...equal(arms, eligible, true),
      method: 'an arm has no units with data in the common periods: equal weights',
    };
  }
  const result = thompsonWeights(estimates, {
    rng: input.rng,
    ...(input.burnIn === undefined ? {} : { burnIn: input.burnIn }),
    ...(input.minWeight === undefined ? {} : { minWeight: input.minWeight }),
    ...(input.draws === undefined ? {} : { draws: input.draws }),
  });
  const byVariant = (values: readonly number[]): Record<string, number> =>
    Object.fromEntries(
      arms.map((variant) => [variant, failing.has(variant) ? 0 : values[eligible.indexOf(variant)]!]),
    );
  return {
    weights: byVariant(result.weights),
    bestArmProbabilities: result.bestArmProbabilities ? byVariant(result.bestArmProbabilities) : null,
    inBurnIn: result.inBurnIn,
    method: `period-weighted estimates (${lowerIsBetter ? 'lower is better, negated' : 'higher is better'}); ${result.method}${
      failing.size > 0 ? `; weight 0 for failing arms ${[...failing].join(', ')}` : ''
    }`,
  };
}

function equal(
  arms: readonly string[],
  sharing: readonly string[],
  inBurnIn: boolean,
): Omit<BanditWeightsResult, 'method'> {
  return {
    weights: Object.fromEntries(
      arms.map((variant) => [variant, sharing.includes(variant) ? 1 / sharing.length : 0]),
    ),
    bestArmProbabilities: null,
    inBurnIn,
  };
}
