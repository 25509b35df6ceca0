import { banditWeights, createRng, type PeriodData, thompsonWeights } from '../../src/stats/index.js';
import { conversionSums } from './conversion-sums.js';

/** One simulated run of a Bernoulli bandit. */
export interface RegretSettings {
  /** True conversion rate of each arm. */
  rates: readonly number[];
  /** Units allocated over the run. */
  units: number;
  /** Units between weight updates; each update closes a period. */
  updateEvery: number;
  /** `thompson`: banditWeights (period-weighted); `pooled`: thompsonWeights on counts pooled over periods. */
  policy: 'thompson' | 'pooled' | 'uniform';
  seed: number;
  burnIn: number;
  minWeight: number;
}

/** What one run cost and where its traffic went. */
export interface RegretRun {
  /** Σ over units of (best rate - rate of the arm chosen): expected regret given the allocation. */
  regret: number;
  /** Share of units the best arm received. */
  bestArmShare: number;
  /** Weights in force after the last update. */
  finalWeights: number[];
}

const METRIC = 'acceptance-rate';

/**
 * Allocates `units` units one by one by the current weights and draws each unit's conversion from its arm's
 * true rate; every `updateEvery` units the Thompson policy closes a period and recomputes the weights with
 * `banditWeights` on the period sums (period-weighted estimates), the pooled policy with `thompsonWeights`
 * on the counts summed over all periods (for comparison), the uniform policy keeps equal weights.
 * Allocation and outcomes come from createRng(seed), the posterior draws from a second seeded stream.
 */
export function simulateRegret(settings: RegretSettings): RegretRun {
  const { rates, units, updateEvery } = settings;
  const arms = rates.map((_, index) => `arm-${index}`);
  const best = Math.max(...rates);
  const bestIndex = rates.indexOf(best);
  const traffic = createRng(settings.seed);
  const draws = createRng(settings.seed + 1_000_003);
  let weights = rates.map(() => 1 / rates.length);
  const periods: PeriodData[] = [];
  const pooledSuccesses = rates.map(() => 0);
  const pooledTrials = rates.map(() => 0);
  let regret = 0;
  let bestUnits = 0;

  for (let start = 0; start < units; start += updateEvery) {
    const successes = rates.map(() => 0);
    const trials = rates.map(() => 0);
    const size = Math.min(updateEvery, units - start);
    for (let unit = 0; unit < size; unit += 1) {
      const arm = pick(weights, traffic());
      trials[arm]! += 1;
      if (traffic() < rates[arm]!) successes[arm]! += 1;
      regret += best - rates[arm]!;
      if (arm === bestIndex) bestUnits += 1;
    }
    periods.push({
      index: periods.length,
      arms: Object.fromEntries(
        arms.map((variant, arm) => [variant, { [METRIC]: conversionSums(successes[arm]!, trials[arm]!) }]),
      ),
    });
    rates.forEach((_, arm) => {
      pooledSuccesses[arm]! += successes[arm]!;
      pooledTrials[arm]! += trials[arm]!;
    });
    if (settings.policy === 'pooled') {
      const arms = rates.map((_, arm) => ({ successes: pooledSuccesses[arm]!, trials: pooledTrials[arm]! }));
      weights = thompsonWeights(arms, {
        burnIn: settings.burnIn,
        minWeight: settings.minWeight,
        rng: draws,
      }).weights;
    }
    if (settings.policy === 'thompson') {
      const result = banditWeights({
        periods,
        metric: METRIC,
        arms,
        burnIn: settings.burnIn,
        minWeight: settings.minWeight,
        rng: draws,
      });
      weights = arms.map((variant) => result.weights[variant]!);
    }
  }
  return { regret, bestArmShare: bestUnits / units, finalWeights: weights };
}

/** The arm whose cumulative weight first exceeds `uniform` (the last arm absorbs rounding). */
function pick(weights: readonly number[], uniform: number): number {
  let cumulative = 0;
  for (let arm = 0; arm < weights.length - 1; arm += 1) {
    cumulative += weights[arm]!;
    if (uniform < cumulative) return arm;
  }
  return weights.length - 1;
}
