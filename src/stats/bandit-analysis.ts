import { metricDirection } from '../core/experiment-config.js';
import type { BanditArmSummary, BanditDecision, BanditSnapshot } from './bandit-types.js';
import { check } from './check.js';
import type { PeriodData } from './experiment-data.js';
import { periodWeightedArms } from './period-weighted-arms.js';
import { posteriorSamplers } from './thompson-weights.js';

export type { BanditArmSummary, BanditDecision, BanditSnapshot } from './bandit-types.js';

/** Input of `banditSnapshot`. */
export interface BanditSnapshotInput {
  periods: readonly PeriodData[];
  metric: string;
  arms: readonly string[];
  /** Arms that significantly lose on a guardrail: probability best 0. */
  failingArms?: readonly string[];
  alpha: number;
  /** Posterior draws; default 20 000 (P(best) within about ±0.3 % at 95 %). */
  draws?: number;
  rng: () => number;
}

/**
 * Bayesian summary of a bandit (adaptively allocated data, so no fixed-horizon test applies): each arm's
 * posterior of the primary metric on period-weighted estimates (Beta for a one-period rate, Normal
 * otherwise, as the bandit itself weighs), with the probability of being best, the expected loss of
 * choosing it, a credible interval, and the regret so far.
 *
 * @example
 * banditSnapshot({ periods, metric: 'acceptance-rate', arms: ['a', 'b'], alpha: 0.05, rng: createRng(1) });
 * // { arms: [{ variant: 'b', probabilityBest: 0.97, expectedLoss: 0.0004, ... }, ...], regret: 12.5, ... }
 */
export function banditSnapshot(input: BanditSnapshotInput): BanditSnapshot {
  const { metric, arms, alpha } = input;
  const draws = check.integerAtLeast('draws', input.draws ?? 20_000, 1);
  const failing = new Set(input.failingArms ?? []);
  const eligible = arms.filter((variant) => !failing.has(variant));
  const sign = metricDirection(metric) === 'lower' ? -1 : 1;
  const method =
    'posteriors on period-weighted estimates (Beta(1 + s, 1 + f) for one period of a rate, else ' +
    `Normal(mean, variance / n)), ${draws} draws; credible interval ${Math.round((1 - alpha) * 1000) / 10} %`;
  const estimates = eligible.length === 0 ? [] : periodWeightedArms(input.periods, metric, eligible);
  const sizes = estimates.map((arm) => ('trials' in arm ? arm.trials : arm.n));
  if (eligible.length === 0 || sizes.some((size) => size === 0)) {
    return {
      metric,
      arms: arms.map((variant) => ({
        variant,
        n: sizes[eligible.indexOf(variant)] ?? 0,
        mean: null,
        credibleInterval: null,
        probabilityBest: 0,
        expectedLoss: null,
        failing: failing.has(variant),
      })),
      regret: null,
      method: `${method}; not summarised: an arm has no units with data in the common periods`,
    };
  }
  const samplers = posteriorSamplers(estimates, input.rng);
  const samples = estimates.map(() => new Float64Array(draws));
  const wins = new Array<number>(eligible.length).fill(0);
  const loss = new Array<number>(eligible.length).fill(0);
  for (let draw = 0; draw < draws; draw += 1) {
    let best = Number.NEGATIVE_INFINITY;
    for (let index = 0; index < samplers.length; index += 1) {
      const value = samplers[index]!();
      samples[index]![draw] = value;
      best = Math.max(best, sign * value);
    }
    let tied = 0;
    for (const column of samples) if (sign * column[draw]! === best) tied += 1;
    for (let index = 0; index < samples.length; index += 1) {
      const value = sign * samples[index]![draw]!;
      if (value === best) wins[index]! += 1 / tied;
      loss[index]! += best - value;
    }
  }
  const means = estimates.map((arm) => ('trials' in arm ? (1 + arm.successes) / (2 + arm.trials) : arm.mean));
  const bestMean = Math.max(...means.map((mean) => sign * mean));
  const regret = means.reduce((sum, mean, index) => sum + sizes[index]! * (bestMean - sign * mean), 0);
  return {
    metric,
    arms: arms.map((variant) => {
      const index = eligible.indexOf(variant);
      if (index < 0) {
        return {
          variant,
          n: 0,
          mean: null,
          credibleInterval: null,
          probabilityBest: 0,
          expectedLoss: null,
          failing: true,
        };
      }
      const sorted = samples[index]!.slice().sort();
      return {
        variant,
        n: sizes[index]!,
        mean: means[index]!,
        credibleInterval: [quantile(sorted, alpha / 2), quantile(sorted, 1 - alpha / 2)],
        probabilityBest: wins[index]! / draws,
        expectedLoss: loss[index]! / draws,
        failing: false,
      };
    }),
    regret,
    method,
  };
}

/** The stopping rule's name, as results and docs state it. */
export const BANDIT_STOPPING_RULE =
  'P(best) >= 95 % at the last two looks (now and the previous re-weigh), every arm at least minSamplePerArm units';

/**
 * The stopping rule for adaptively allocated arms: an arm is declared best only when its posterior
 * probability of being best is at least 95 % now and at the previous look (so one lucky update does not
 * stop the bandit) and every arm still in the race has at least `minSamplePerArm` units with data.
 */
export function banditDecision(
  current: BanditSnapshot,
  previous: BanditSnapshot | null,
  minSamplePerArm: number,
): BanditDecision {
  const rule = BANDIT_STOPPING_RULE;
  const racing = current.arms.filter((arm) => !arm.failing);
  const leader = racing.reduce<BanditArmSummary | undefined>(
    (best, arm) => (best === undefined || arm.probabilityBest > best.probabilityBest ? arm : best),
    undefined,
  );
  const before = previous?.arms.find((arm) => arm.variant === leader?.variant);
  const found =
    leader !== undefined &&
    racing.every((arm) => arm.n >= minSamplePerArm) &&
    leader.probabilityBest >= 0.95 &&
    before !== undefined &&
    before.probabilityBest >= 0.95;
  return found
    ? { verdict: 'best arm found', winner: leader.variant, rule }
    : { verdict: 'no best arm yet', winner: null, rule };
}

function quantile(sorted: Float64Array, p: number): number {
  const position = (sorted.length - 1) * p;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}
