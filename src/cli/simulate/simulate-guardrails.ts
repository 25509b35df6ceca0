import {
  DEFAULT_SCENARIO_SETTINGS,
  guardrailScenario,
  type ScenarioId,
  type ScenarioSettings,
} from './guardrail-scenario.js';
import { type SeedResult, type SimulateSeedOptions, simulateSeed } from './simulate-seed.js';
import { type ScenarioResult, summarizeScenario } from './summarize-scenario.js';

/** Options of simulateGuardrails. */
export interface SimulateGuardrailsOptions
  extends Pick<
    SimulateSeedOptions,
    'maxRequests' | 'requestsPerSecond' | 'concurrency' | 'startAt' | 'signal'
  > {
  readonly scenarios: readonly ScenarioId[];
  /** Seeds per scenario: firstSeed, firstSeed + 1, ... */
  readonly seeds: number;
  /** Default 1. */
  readonly firstSeed?: number;
  readonly settings?: ScenarioSettings;
  /** Called after every monitor pass of every run. */
  readonly onProgress?: (progress: SimulationProgress) => void;
}

/** Where the simulation stands: which run of how many, and that run's state after its last monitor pass. */
export interface SimulationProgress {
  readonly scenario: ScenarioId;
  readonly seed: number;
  /** Runs finished before this one. */
  readonly done: number;
  readonly total: number;
  readonly requests: number;
  readonly maxRequests: number;
  /** When the relative rule rolled v2 back in this run (virtual ms), or null. */
  readonly rollbackAtMs: number | null;
}

/**
 * Runs every scenario over every seed, one run at a time (simulateSeed), and summarises each scenario
 * (summarizeScenario). On `signal` it stops at the next monitor pass and leaves the interrupted run out.
 *
 * @example
 * const results = await simulateGuardrails({ scenarios: ['a'], seeds: 20, maxRequests: 4_500 });
 * results[0].summary.relative.v2RequestsMedian;
 */
export async function simulateGuardrails(options: SimulateGuardrailsOptions): Promise<ScenarioResult[]> {
  const { onProgress, scenarios, settings, firstSeed: first, seeds: count, ...runOptions } = options;
  const firstSeed = first ?? 1;
  const total = scenarios.length * count;
  const results: ScenarioResult[] = [];
  let done = 0;
  for (const id of scenarios) {
    const scenario = guardrailScenario(id, settings ?? DEFAULT_SCENARIO_SETTINGS);
    const seeds: SeedResult[] = [];
    for (let seed = firstSeed; seed < firstSeed + count && options.signal?.aborted !== true; seed += 1) {
      const result = await simulateSeed(scenario, seed, {
        ...runOptions,
        onProgress: (state) =>
          onProgress?.({
            scenario: id,
            seed,
            done,
            total,
            requests: state.outcomes.length,
            maxRequests: options.maxRequests,
            rollbackAtMs: state.rollbackAtMs,
          }),
      });
      if (result === undefined) break;
      seeds.push(result);
      done += 1;
    }
    results.push(summarizeScenario(scenario, seeds));
  }
  return results;
}
