import type { GuardrailScenario, ScenarioId } from './guardrail-scenario.js';
import { METHODS, type Method } from './judge-run.js';
import type { SeedResult } from './simulate-seed.js';
import { type MethodSummary, summarizeMethod } from './summarize-method.js';

/** Every seed of one scenario and each method's summary over them. */
export interface ScenarioResult {
  readonly scenario: ScenarioId;
  readonly title: string;
  readonly metric: string;
  readonly harmful: boolean;
  readonly seeds: readonly SeedResult[];
  readonly summary: Record<Method, MethodSummary>;
}

/**
 * Summarises each method (summarizeMethod) over a scenario's seeds, in seed order.
 *
 * @example
 * summarizeScenario(guardrailScenario('c'), seeds).summary.relative.falseRollbacks; // 0
 */
export function summarizeScenario(scenario: GuardrailScenario, seeds: readonly SeedResult[]): ScenarioResult {
  const ordered = [...seeds].sort((left, right) => left.seed - right.seed);
  const summary = Object.fromEntries(
    METHODS.map((method) => [
      method,
      summarizeMethod(
        ordered.map((seed) => seed.methods[method]),
        scenario.harmful,
      ),
    ]),
  ) as Record<Method, MethodSummary>;
  return {
    scenario: scenario.id,
    title: scenario.title,
    metric: scenario.metric,
    harmful: scenario.harmful,
    seeds: ordered,
    summary,
  };
}
