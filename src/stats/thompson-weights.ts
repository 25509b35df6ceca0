import { check } from './check.js';
import { sampleBeta } from './sample-beta.js';
import { sampleNormal } from './sample-normal.js';

/** A conversion arm: posterior Beta(1 + successes, 1 + trials - successes) (uniform prior). */
export interface BernoulliArm {
  successes: number;
  trials: number;
}

/** A continuous arm from summary statistics: posterior of the mean ~ Normal(mean, variance / n). */
export interface GaussianArm {
  mean: number;
  /** Per-unit variance. */
  variance: number;
  n: number;
}

/** One bandit arm; all arms of one call are of the same kind. */
export type BanditArm = BernoulliArm | GaussianArm;

/** Settings of `thompsonWeights`. */
export interface ThompsonOptions {
  /** Posterior draws per call. Default 10 000. */
  draws?: number;
  /** Floor of every arm's weight, at most 1 / arms. Default 0.01. */
  minWeight?: number;
  /** Weights stay equal until every arm has this many trials (or n). Default 100. */
  burnIn?: number;
  /** Uniform source in [0, 1), e.g. createRng(seed). */
  rng: () => number;
}

/** Traffic weights for the next period. */
export interface ThompsonResult {
  /** One weight per arm, in input order, each >= minWeight, summing to 1. */
  weights: number[];
  /** Share of posterior draws in which each arm was best (before the floor); null during burn-in. */
  bestArmProbabilities: number[] | null;
  /** True while some arm is short of burnIn; the weights are then equal and no draws are made. */
  inBurnIn: boolean;
  method: string;
}

/**
 * Thompson-sampling traffic weights: each arm's weight is the share of posterior draws in which it is best,
 * floored at `minWeight` and renormalised; equal weights during burn-in.
 *
 * @example
 * const result = thompsonWeights(
 *   [{ successes: 40, trials: 400 }, { successes: 60, trials: 400 }],
 *   { rng: createRng(7) },
 * );
 * // result.weights ≈ [0.016, 0.984]
 */
export function thompsonWeights(arms: readonly BanditArm[], options: ThompsonOptions): ThompsonResult {
  if (!Array.isArray(arms) || arms.length === 0) check.fail('arms', 'a non-empty array of arms', arms);
  const draws = check.integerAtLeast('draws', options.draws ?? 10_000, 1);
  const minWeight = check.nonNegative('minWeight', options.minWeight ?? 0.01);
  const burnIn = check.nonNegative('burnIn', options.burnIn ?? 100);
  if (typeof options.rng !== 'function')
    check.fail('rng', 'a function returning numbers in [0, 1)', options.rng);
  if (minWeight * arms.length > 1)
    check.fail('minWeight', `at most 1 / arms (${1 / arms.length})`, minWeight);
  const sizes = armSizes(arms);

  if (sizes.some((size) => size < burnIn)) {
    return {
      weights: arms.map(() => 1 / arms.length),
      bestArmProbabilities: null,
      inBurnIn: true,
      method: `Thompson sampling in burn-in (an arm has fewer than ${burnIn} units): equal weights`,
    };
  }
  const samplers = posteriorSamplers(arms, options.rng);
  const wins = new Array<number>(arms.length).fill(0);
  const samples = new Array<number>(arms.length).fill(0);
  for (let draw = 0; draw < draws; draw += 1) {
    let best = Number.NEGATIVE_INFINITY;
    samplers.forEach((sample, index) => {
      samples[index] = sample();
      best = Math.max(best, samples[index]!);
    });
    // Ties (point-mass posteriors) share the win, so no arm is favoured by its position.
    const tied = samples.filter((value) => value === best).length;
    samples.forEach((value, index) => {
      if (value === best) wins[index]! += 1 / tied;
    });
  }
  const bestArmProbabilities = wins.map((count) => count / draws);
  return {
    weights: applyFloor(bestArmProbabilities, minWeight),
    bestArmProbabilities,
    inBurnIn: false,
    method: `Thompson sampling, ${draws} posterior draws (Beta(1 + s, 1 + f) or Normal(mean, variance / n)), floor ${minWeight}`,
  };
}

/** Validates the arms (one kind throughout) and returns each arm's units (trials or n). */
function armSizes(arms: readonly BanditArm[]): number[] {
  const bernoulli = 'trials' in arms[0]!;
  return arms.map((arm, index) => {
    const field = `arms[${index}]`;
    if ('trials' in arm !== bernoulli)
      check.fail(field, 'the same kind of arm as arms[0]', JSON.stringify(arm));
    if ('trials' in arm) {
      check.integerAtLeast(`${field}.trials`, arm.trials, 0);
      check.integerAtLeast(`${field}.successes`, arm.successes, 0);
      if (arm.successes > arm.trials)
        check.fail(`${field}.successes`, `<= trials (${arm.trials})`, arm.successes);
      return arm.trials;
    }
    check.finite(`${field}.mean`, arm.mean);
    check.nonNegative(`${field}.variance`, arm.variance);
    return check.integerAtLeast(`${field}.n`, arm.n, 0);
  });
}

/** One posterior sampler per arm (checked by `thompsonWeights`; an arm of n 0 with a Normal posterior throws). */
export function posteriorSamplers(arms: readonly BanditArm[], rng: () => number): Array<() => number> {
  return arms.map((arm, index) => {
    if ('trials' in arm) {
      const alpha = 1 + arm.successes;
      const beta = 1 + arm.trials - arm.successes;
      return () => sampleBeta(alpha, beta, rng);
    }
    // Without a prior, a mean from no units has no posterior; burn-in normally covers this case.
    if (arm.n === 0) check.fail(`arms[${index}].n`, 'at least 1 once burn-in is over', arm.n);
    const standardError = Math.sqrt(arm.variance / arm.n);
    return () => arm.mean + standardError * sampleNormal(rng);
  });
}

/**
 * Raises every weight below `floor` to it and scales the rest down to keep the sum at 1; repeats because
 * scaling can push another arm under the floor. Free arms with no weight at all share the remainder equally.
 */
function applyFloor(shares: readonly number[], floor: number): number[] {
  const floored = new Set<number>();
  for (;;) {
    const free = shares.map((_, index) => index).filter((index) => !floored.has(index));
    const remainder = 1 - floored.size * floor;
    const freeTotal = free.reduce((sum, index) => sum + shares[index]!, 0);
    const scaled = new Map(
      free.map((index) => [
        index,
        freeTotal > 0 ? (shares[index]! * remainder) / freeTotal : remainder / free.length,
      ]),
    );
    // At least one free arm always stays above the floor, because floor * arms <= 1.
    const under = free.filter((index) => scaled.get(index)! < floor);
    if (under.length === 0)
      return shares.map((_, index) => (floored.has(index) ? floor : scaled.get(index)!));
    for (const index of under) floored.add(index);
  }
}
