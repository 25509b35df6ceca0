import type { TelemetryEvent } from '../../core/event-schema.js';
import { createRng } from '../../stats/create-rng.js';
import type { ExperimentDataQuery } from '../store.js';
import { callEvent, decisionEvent, feedbackEvent } from '../store-events.case.js';

const SECOND = 1_000;
const HOUR = 3_600 * SECOND;

/** Where every generated experiment runs: six hours from a round start, in hourly bandit periods. */
export const SCENARIO_FROM = 1_700_002_800_000;
export const SCENARIO_TO = SCENARIO_FROM + 6 * HOUR;
export const SCENARIO_PERIOD_MS = HOUR;

/** The query the generated events are made for, every metric included. */
export function scenarioQuery(overrides: Partial<ExperimentDataQuery> = {}): ExperimentDataQuery {
  return {
    feature: 'coach-reply',
    ruleId: 'experiment-split',
    arms: ['control', 'treatment'],
    from: SCENARIO_FROM,
    to: SCENARIO_TO,
    metrics: [
      'error-rate',
      'fallback-rate',
      'cache-hit-rate',
      'parse-error-rate',
      'acceptance-rate',
      'mean-cost',
      'cost-per-accepted',
      'mean-latency',
      'rating',
      'p95-latency',
      'feedback:purchase',
      'feedback:edit-distance',
    ],
    periodMs: SCENARIO_PERIOD_MS,
    ...overrides,
  };
}

/**
 * Events of an experiment on `coach-reply`, from a seeded generator: units make one to four requests, each
 * a decision followed (or not) by its run, attempts and feedback. Decisions stray on purpose: some fall
 * outside the range, name another rule, feature or reason, lack a unit or pick a variant that is not an arm,
 * and some units are exposed to both arms. Runs and feedback may come after the range ends, attempts too
 * (where they do not count), and a few events come just before their decision (clock skew).
 */
export function generateScenario(seed: number, unitCount = 60): TelemetryEvent[] {
  const random = createRng(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const chance = (probability: number) => random() < probability;
  const events: TelemetryEvent[] = [];
  let next = 0;
  for (let unit = 0; unit < unitCount; unit++) {
    const unitId = `unit-${String(unit).padStart(3, '0')}`;
    const arm = pick(['control', 'treatment']);
    const requests = 1 + Math.floor(random() * 4);
    for (let request = 0; request < requests; request++) {
      const requestId = `request-${seed}-${next++}`;
      // A few decisions come just after the start, where a skewed clock puts their events before it.
      const nearStart = chance(0.06);
      const at = nearStart
        ? SCENARIO_FROM + Math.floor(random() * 30 * SECOND)
        : SCENARIO_FROM + Math.floor((random() * 1.3 - 0.1) * (SCENARIO_TO - SCENARIO_FROM));
      events.push(
        decisionEvent(`${requestId}-decision`, {
          at,
          requestId,
          feature: chance(0.05) ? 'persona' : 'coach-reply',
          variant: chance(0.08)
            ? arm === 'control'
              ? 'treatment'
              : 'control'
            : chance(0.04)
              ? 'legacy'
              : arm,
          reason: pick([
            'SPLIT',
            'SPLIT',
            'STICKY',
            'SPLIT',
            'STICKY',
            'TARGETING_MATCH',
            'SPLIT',
            'OVERRIDE',
          ]),
          ruleId: chance(0.06) ? 'other-rule' : 'experiment-split',
          unitId: chance(0.04) ? null : unitId,
        }),
      );
      const after = (spread: number) =>
        chance(nearStart ? 0.5 : 0.02)
          ? at - Math.floor(random() * 90 * SECOND)
          : at + Math.floor(random() * spread);
      if (chance(0.85)) {
        const outcome = pick(['success', 'success', 'success', 'error', 'rejected'] as const);
        events.push(
          callEvent(`${requestId}-run`, {
            at: after(HOUR / 2),
            requestId,
            variant: arm,
            outcome,
            errorClass: outcome === 'error' ? pick(['timeout', 'parse_error'] as const) : null,
            fallback: chance(0.2),
            cached: chance(0.25),
            latencyMs: outcome === 'rejected' ? 0 : Math.round(50 + random() ** 3 * 8_000),
            costUsd: Math.round(random() * 5_000) / 1e6,
            unitId,
          }),
        );
      }
      const attempts = Math.floor(random() * 3);
      for (let attempt = 0; attempt < attempts; attempt++) {
        events.push(
          callEvent(`${requestId}-attempt-${attempt}`, {
            at: after(HOUR / 2),
            requestId,
            scope: 'attempt',
            variant: arm,
            outcome: chance(0.7) ? 'success' : 'error',
            errorClass: pick([null, null, 'parse_error', 'schema_invalid', 'timeout'] as const),
            // Some attempts never reached a model (a handler variant, an open circuit).
            model: chance(0.2) ? null : 'gpt-4o-mini',
            unitId,
          }),
        );
      }
      const feedbackCount = Math.floor(random() * 3);
      for (let index = 0; index < feedbackCount; index++) {
        const named = chance(0.5);
        events.push(
          feedbackEvent(`${requestId}-feedback-${index}`, {
            at: after(2 * HOUR),
            requestId,
            variant: chance(0.5) ? arm : null,
            accepted: pick([true, false, null]),
            rating: chance(0.5) ? 1 + Math.floor(random() * 5) : null,
            metric: named ? pick(['purchase', 'edit-distance', 'other']) : null,
            value: named && chance(0.85) ? Math.round(random() * 1_000) / 100 : null,
          }),
        );
      }
    }
  }
  return events;
}
