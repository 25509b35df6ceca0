import { describe, expect, it } from 'vitest';
import { guardrailScenario } from './guardrail-scenario.js';
import { judgeRun } from './judge-run.js';
import type { RequestOutcome } from './request-outcome.js';
import type { GuardrailRun } from './run-guardrail-simulation.js';
import { summarizeMethod } from './summarize-method.js';

const MINUTE = 60_000;

/** Per minute: 100 requests on each arm; v1 fails 2 of them, v2 fails `v2Failures[minute]`. */
function run(v2Failures: readonly number[], rollbackAtMs: number | null): GuardrailRun {
  const outcomes: RequestOutcome[] = v2Failures.flatMap((failures, minute) =>
    Array.from({ length: 100 }, (_, index) => [
      { atMs: minute * MINUTE + index * 600, arm: 'v1' as const, failed: index < 2, latencyMs: 20 },
      { atMs: minute * MINUTE + index * 600, arm: 'v2' as const, failed: index < failures, latencyMs: 20 },
    ]).flat(),
  );
  return {
    scenario: 'a',
    seed: 1,
    outcomes,
    plannedMs: v2Failures.length * MINUTE,
    elapsedMs: v2Failures.length * MINUTE,
    ticks: v2Failures.length * 6,
    relative: {
      rollbackAtMs,
      pValue: rollbackAtMs === null ? null : 0.01,
      killServed: rollbackAtMs !== null,
    },
    telemetryDropped: 0,
  };
}

describe('judgeRun', () => {
  it('counts v2 requests and excess failures until each method rolled back', () => {
    // v2 fails 6 % (check fails below 97 % success) for eight minutes; the relative rule acted at 90 s.
    const methods = judgeRun(guardrailScenario('a'), run([6, 6, 6, 6, 6, 6, 6, 6], 90_000));
    // Until 90 s: 150 v2 requests with 6 + 6 failures, against v1's 4 in 150, so 12 - 4 = 8 in excess.
    expect(methods.relative).toEqual({ rolledBack: true, atMs: 90_000, v2Requests: 150, excessFailures: 8 });
    // Argo-style: the 4th failed minute ends at 4 min; Flagger-style: the 5th at 5 min.
    expect(methods.argo).toMatchObject({ rolledBack: true, atMs: 4 * MINUTE, v2Requests: 400 });
    expect(methods.argo.excessFailures).toBeCloseTo(24 - 8);
    expect(methods.flagger).toMatchObject({ rolledBack: true, atMs: 5 * MINUTE, v2Requests: 500 });
  });

  it('judges a method that never acted over the whole run, and summaries count it as never', () => {
    const harmless = guardrailScenario('c');
    const quiet = judgeRun(harmless, run([2, 2, 2, 2, 2, 2], null));
    expect(quiet.relative).toEqual({ rolledBack: false, atMs: null, v2Requests: 600, excessFailures: 0 });
    expect(quiet.flagger.rolledBack).toBe(false);
    const noisy = judgeRun(harmless, run([4, 4, 4, 4, 2, 2], null));
    expect(noisy.argo).toMatchObject({ rolledBack: true, atMs: 4 * MINUTE });

    const summary = summarizeMethod([quiet.argo, noisy.argo, quiet.argo], harmless.harmful);
    expect(summary).toMatchObject({ runs: 3, rolledBack: 1, falseRollbacks: 1 });
    expect(summary.v2RequestsMedian).toBe(Number.POSITIVE_INFINITY);
    expect(summarizeMethod([noisy.argo, noisy.argo, quiet.argo], true)).toMatchObject({
      v2RequestsMedian: 400,
      v2RequestsP90: Number.POSITIVE_INFINITY,
      minutesMedian: 4,
      falseRollbacks: null,
    });
  });
});
