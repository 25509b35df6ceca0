import type { FakeModelBehaviour } from '../../testing/fake-upstream-options.js';
import type { Arm } from './request-outcome.js';
import type { IntervalCheck } from './threshold-baseline.js';

/** The four scenarios of `switchyard simulate guardrails`. */
export const SCENARIO_IDS = ['a', 'b', 'c', 'd'] as const;
/** One of SCENARIO_IDS. */
export type ScenarioId = (typeof SCENARIO_IDS)[number];

/** The numbers the scenarios are built from; DEFAULT_SCENARIO_SETTINGS holds the ones the benchmark uses. */
export interface ScenarioSettings {
  /** Share of requests every model fails (HTTP 500) when the scenario adds nothing. */
  readonly baseErrorRate: number;
  /** (a) v2's error rate. */
  readonly badErrorRate: number;
  /** (b) Median upstream latency of v1 in milliseconds (lognormal). */
  readonly latencyMedianMs: number;
  /** (b) Shape of the lognormal latency of both models. */
  readonly latencySigma: number;
  /** (b) Factor on every quantile of v2's latency, its p95 included. */
  readonly slowFactor: number;
  /** (c) Amplitude of the daily swing of both models' error rate: 0.5 is ±50 %. */
  readonly diurnalSwing: number;
  /** (d) Share of requests both models fail (HTTP 503) during the outage. */
  readonly outageErrorRate: number;
  /** (d) When the outage starts, as a fraction of the run's planned length. */
  readonly outageStart: number;
  /** (d) How long the outage lasts, in virtual milliseconds. */
  readonly outageMs: number;
}

/** The settings of the published figures: 2 % -> 4 % errors, +50 % latency, ±50 % swings, a 5-minute outage. */
export const DEFAULT_SCENARIO_SETTINGS: ScenarioSettings = {
  baseErrorRate: 0.02,
  badErrorRate: 0.04,
  latencyMedianMs: 20,
  latencySigma: 0.5,
  slowFactor: 1.5,
  diurnalSwing: 0.5,
  outageErrorRate: 0.5,
  outageStart: 1 / 3,
  outageMs: 300_000,
};

/** One scenario: what the fake upstream does to each arm over time, and what a correct guardrail does. */
export interface GuardrailScenario {
  readonly id: ScenarioId;
  readonly title: string;
  /** The relative rule's metric. */
  readonly metric: 'failure-rate' | 'mean-latency';
  /** Whether v2 really is worse than v1: in a scenario where it is not, every rollback is false. */
  readonly harmful: boolean;
  /** The threshold check the baselines run on the canary each interval. */
  readonly check: ScenarioCheck;
  /** The fake model behind `arm` at `elapsedMs` into a run planned to last `plannedMs`. */
  behaviour(arm: Arm, elapsedMs: number, plannedMs: number): FakeModelBehaviour;
}

/**
 * The baselines' threshold, placed halfway between healthy and bad so that they get their best chance: a
 * success rate of 1 - (base + bad) / 2 (97 % by default), or, for latency, a p95 halfway between the two arms'
 * p95 as measured over the run (gateway overhead included, which no nominal figure would know).
 */
export type ScenarioCheck =
  | Extract<IntervalCheck, { kind: 'success-rate' }>
  | { readonly kind: 'p95-latency-midpoint' };

/**
 * Builds a scenario from its settings:
 * (a) v2 fails at `badErrorRate` against v1's `baseErrorRate`;
 * (b) v2's latency is `slowFactor` x v1's at every quantile, both failing at the base rate;
 * (c) A/A: both fail at the base rate x (1 + swing x sin(2 pi t / run length)), one compressed day per run;
 * (d) A/A with a provider outage: both fail at `outageErrorRate` (503) for `outageMs` from `outageStart`.
 *
 * @example
 * guardrailScenario('a').behaviour('v2', 0, 600_000); // { faults: { errorRate: 0.04, status: 500 } }
 */
export function guardrailScenario(
  id: ScenarioId,
  settings: ScenarioSettings = DEFAULT_SCENARIO_SETTINGS,
): GuardrailScenario {
  const base = settings.baseErrorRate;
  const errors = (errorRate: number, status = 500): FakeModelBehaviour => ({
    faults: { errorRate: Math.min(1, Math.max(0, errorRate)), status },
  });
  const successCheck: ScenarioCheck = {
    kind: 'success-rate',
    minSuccessRate: 1 - (base + settings.badErrorRate) / 2,
  };
  switch (id) {
    case 'a':
      return {
        id,
        title: `v2 fails twice as often (${percent(base)} -> ${percent(settings.badErrorRate)})`,
        metric: 'failure-rate',
        harmful: true,
        check: successCheck,
        behaviour: (arm) => errors(arm === 'v2' ? settings.badErrorRate : base),
      };
    case 'b':
      return {
        id,
        title: `v2 +${Math.round((settings.slowFactor - 1) * 100)} % latency at p95`,
        metric: 'mean-latency',
        harmful: true,
        check: { kind: 'p95-latency-midpoint' },
        behaviour: (arm) => ({
          ...errors(base),
          latencyMs: {
            distribution: 'lognormal',
            median: settings.latencyMedianMs * (arm === 'v2' ? settings.slowFactor : 1),
            sigma: settings.latencySigma,
          },
        }),
      };
    case 'c':
      return {
        id,
        title: `A/A, error rate swinging ±${Math.round(settings.diurnalSwing * 100)} % over a day`,
        metric: 'failure-rate',
        harmful: false,
        check: successCheck,
        behaviour: (_arm, elapsedMs, plannedMs) =>
          errors(base * (1 + settings.diurnalSwing * Math.sin((2 * Math.PI * elapsedMs) / plannedMs))),
      };
    case 'd': {
      const inOutage = (elapsedMs: number, plannedMs: number) =>
        elapsedMs >= settings.outageStart * plannedMs &&
        elapsedMs < settings.outageStart * plannedMs + settings.outageMs;
      return {
        id,
        title: `A/A, ${settings.outageMs / 60_000}-minute provider outage (${percent(settings.outageErrorRate)} errors) on both arms`,
        metric: 'failure-rate',
        harmful: false,
        check: successCheck,
        behaviour: (_arm, elapsedMs, plannedMs) =>
          inOutage(elapsedMs, plannedMs) ? errors(settings.outageErrorRate, 503) : errors(base),
      };
    }
  }
}

function percent(rate: number): string {
  return `${Number((rate * 100).toFixed(2))} %`;
}
