import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_SETTINGS, guardrailScenario } from './guardrail-scenario.js';
import type { RequestOutcome } from './request-outcome.js';
import { runGuardrailSimulation } from './run-guardrail-simulation.js';

const START = Date.parse('2026-03-02T00:00:00Z');

function failureRate(outcomes: readonly RequestOutcome[]): number {
  return outcomes.filter((outcome) => outcome.failed).length / outcomes.length;
}

describe('runGuardrailSimulation through the real server and gateway', () => {
  it('(a) rolls a clearly worse v2 back with the relative rule, serves the kill, then lets traffic go on', async () => {
    // 2 % -> 30 %: large enough to be caught at the first pass with 100 units on each arm.
    const scenario = guardrailScenario('a', { ...DEFAULT_SCENARIO_SETTINGS, badErrorRate: 0.3 });
    const run = await runGuardrailSimulation({ scenario, seed: 3, maxRequests: 900, startAt: START });
    expect(run.relative.rollbackAtMs).not.toBeNull();
    const rollbackAtMs = run.relative.rollbackAtMs as number;
    const v2 = run.outcomes.filter((outcome) => outcome.arm === 'v2');
    const before = v2.filter((outcome) => outcome.atMs < rollbackAtMs);
    expect(before.length).toBeGreaterThanOrEqual(100);
    expect(before.length).toBeLessThan(400);
    expect(run.relative.pValue).toBeLessThan(0.05);
    expect(run.relative.killServed).toBe(true);
    // After the rollback the kill was lifted: v2 kept its share, so the baselines see the same traffic.
    expect(v2.length - before.length).toBeGreaterThan(100);
    expect(run.outcomes).toHaveLength(900);
    expect(failureRate(v2)).toBeGreaterThan(0.2);
    expect(failureRate(run.outcomes.filter((outcome) => outcome.arm === 'v1'))).toBeLessThan(0.06);
    expect(run.telemetryDropped).toBe(0);
  }, 60_000);

  it('(b) rolls a slower v2 back on mean latency', async () => {
    const run = await runGuardrailSimulation({
      scenario: guardrailScenario('b'),
      seed: 1,
      maxRequests: 600,
      startAt: START,
    });
    expect(run.relative.rollbackAtMs).not.toBeNull();
    const mean = (arm: string) => {
      const latencies = run.outcomes
        .filter((outcome) => outcome.arm === arm)
        .map((outcome) => outcome.latencyMs);
      return latencies.reduce((sum, latency) => sum + latency, 0) / latencies.length;
    };
    expect(mean('v2')).toBeGreaterThan(mean('v1'));
  }, 60_000);

  it('(c) does not roll an A/A split back through a daily swing, which moves both arms', async () => {
    const run = await runGuardrailSimulation({
      scenario: guardrailScenario('c'),
      seed: 2,
      maxRequests: 1_200,
      startAt: START,
    });
    expect(run.relative.rollbackAtMs).toBeNull();
    expect(run.ticks).toBe(24);
    // The swing happened: the rising half of the day fails more than the falling half.
    const half = run.plannedMs / 2;
    const rising = run.outcomes.filter((outcome) => outcome.atMs < half);
    const falling = run.outcomes.filter((outcome) => outcome.atMs >= half);
    expect(failureRate(rising)).toBeGreaterThan(failureRate(falling));
  }, 60_000);

  it('(d) does not roll back on a provider outage that hits both arms', async () => {
    const scenario = guardrailScenario('d', { ...DEFAULT_SCENARIO_SETTINGS, outageMs: 60_000 });
    const run = await runGuardrailSimulation({ scenario, seed: 4, maxRequests: 1_200, startAt: START });
    expect(run.relative.rollbackAtMs).toBeNull();
    expect(run.outcomes).toHaveLength(1_200);
    // The outage is there: from a third of the run (80 s), for a minute, both arms fail about half the time.
    const inside = run.outcomes.filter((outcome) => outcome.atMs >= 80_000 && outcome.atMs < 140_000);
    const outside = run.outcomes.filter((outcome) => outcome.atMs < 80_000 || outcome.atMs >= 140_000);
    for (const arm of ['v1', 'v2']) {
      expect(failureRate(inside.filter((outcome) => outcome.arm === arm))).toBeGreaterThan(0.35);
    }
    expect(failureRate(outside)).toBeLessThan(0.06);
  }, 60_000);
});
