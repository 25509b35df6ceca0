import type { GuardrailScenario } from './guardrail-scenario.js';
import { intervalCheck, judgeRun, type Method, type MethodOutcome } from './judge-run.js';
import { type GuardrailRunOptions, runGuardrailSimulation } from './run-guardrail-simulation.js';
import { ARGO_BASELINE, evaluateThresholdBaseline, FLAGGER_BASELINE } from './threshold-baseline.js';

/** Virtual start of every run: a fixed date, so that runs are alike whatever day they are made. */
export const SIMULATION_START_AT = Date.parse('2026-03-02T00:00:00Z');

/** One seed of one scenario, judged by every method. */
export interface SeedResult {
  readonly seed: number;
  readonly requests: number;
  /** Virtual length of the run. */
  readonly elapsedMs: number;
  readonly methods: Record<Method, MethodOutcome>;
  /** The relative rule's always-valid p-value when it fired, and whether the kill was then served. */
  readonly relativePValue: number | null;
  readonly killServed: boolean;
}

/** Options of simulateSeed: those of one run, without what the seed decides. */
export type SimulateSeedOptions = Omit<
  GuardrailRunOptions,
  'scenario' | 'seed' | 'startAt' | 'shouldStop'
> & {
  readonly startAt?: number;
};

/**
 * Runs one seed of a scenario (runGuardrailSimulation) and judges it (judgeRun). The run ends early once all
 * three methods have rolled back, since nothing after that changes a figure. Resolves to undefined when
 * `signal` cut the run short: a partial run would bias every figure.
 *
 * @example
 * const result = await simulateSeed(guardrailScenario('a'), 7, { maxRequests: 4_500 });
 * result?.methods.relative.v2Requests;
 */
export async function simulateSeed(
  scenario: GuardrailScenario,
  seed: number,
  options: SimulateSeedOptions,
): Promise<SeedResult | undefined> {
  const run = await runGuardrailSimulation({
    ...options,
    scenario,
    seed,
    startAt: options.startAt ?? SIMULATION_START_AT,
    shouldStop: (state) =>
      state.rollbackAtMs !== null &&
      [FLAGGER_BASELINE, ARGO_BASELINE].every(
        (baseline) =>
          evaluateThresholdBaseline(
            baseline,
            intervalCheck(scenario, state.outcomes),
            state.outcomes,
            'v2',
            state.elapsedMs,
          ).rolledBackAtMs !== null,
      ),
  });
  if (options.signal?.aborted === true) return undefined;
  return {
    seed,
    requests: run.outcomes.length,
    elapsedMs: run.elapsedMs,
    methods: judgeRun(scenario, run),
    relativePValue: run.relative.pValue,
    killServed: run.relative.killServed,
  };
}
