import { setTimeout as sleep } from 'node:timers/promises';
import { type CompiledFeature, compileFeature } from '../../core/compile-feature.js';
import { evaluate } from '../../core/evaluate.js';
import type { FeatureConfigInput } from '../../core/feature-config.js';
import { generateApiToken } from '../../server/auth/api-token.js';
import { createServer, type SwitchyardServer } from '../../server/create-server.js';
import { switchFeature } from '../../store/feature-commands.js';
import { startFakeUpstream } from '../../testing/fake-upstream.js';
import type { GuardrailScenario } from './guardrail-scenario.js';
import type { Arm, RequestOutcome } from './request-outcome.js';

/** The simulated feature and its relative rule. */
export const SIMULATED_FEATURE = 'coach-reply';
/** The id of the relative rule that rolls v2 back. */
export const RELATIVE_RULE_ID = 'v2-vs-v1';
/** Virtual arrival rate of a run unless told otherwise: 5 requests a second, 150 a minute on each arm. */
export const DEFAULT_REQUESTS_PER_SECOND = 5;
/** Virtual time between monitor passes: the monitor's default interval. */
export const MONITOR_TICK_MS = 10_000;

/** Options of one simulated run. */
export interface GuardrailRunOptions {
  readonly scenario: GuardrailScenario;
  /** Seeds the fake upstream's faults and latency, the split's hash seed and the user ids. */
  readonly seed: number;
  /** Requests sent at most (both arms together). */
  readonly maxRequests: number;
  /** Epoch ms at which virtual time starts. */
  readonly startAt: number;
  /** Virtual arrival rate; default DEFAULT_REQUESTS_PER_SECOND. */
  readonly requestsPerSecond?: number;
  /** Virtual time between monitor passes; default MONITOR_TICK_MS. */
  readonly tickMs?: number;
  /** Requests in flight at once; default 16. */
  readonly concurrency?: number;
  /** Real monotonic milliseconds, for request latency; default `performance.now`. */
  readonly elapsed?: () => number;
  /** Asked after every monitor pass; true ends the run before `maxRequests`. */
  readonly shouldStop?: (state: RunState) => boolean;
  /** Called after every monitor pass. */
  readonly onProgress?: (state: RunState) => void;
  readonly signal?: AbortSignal;
}

/** Where a run stands after a monitor pass. */
export interface RunState {
  readonly outcomes: readonly RequestOutcome[];
  /** Virtual ms since the start. */
  readonly elapsedMs: number;
  /** When the relative rule rolled v2 back, or null. */
  readonly rollbackAtMs: number | null;
}

/** What one run did. */
export interface GuardrailRun {
  readonly scenario: GuardrailScenario['id'];
  readonly seed: number;
  readonly outcomes: RequestOutcome[];
  /** Virtual length the run was planned for (`maxRequests` at the arrival rate); time-shaped faults use it. */
  readonly plannedMs: number;
  /** Virtual length it ran. */
  readonly elapsedMs: number;
  /** Monitor passes. */
  readonly ticks: number;
  readonly relative: {
    /** Virtual ms of the pass that rolled v2 back, or null. */
    readonly rollbackAtMs: number | null;
    /** The alert's one-sided always-valid p-value when it opened. */
    readonly pValue: number | null;
    /** Whether the server then served everyone the default with reason KILLED. */
    readonly killServed: boolean;
  };
  /** Telemetry events the server dropped (0 unless something is wrong). */
  readonly telemetryDropped: number;
}

const CHAT_BODY = JSON.stringify({
  model: `switchyard/${SIMULATED_FEATURE}`,
  messages: [{ role: 'user', content: 'Suggest one next step for my training plan.' }],
});

/**
 * Runs one scenario through the real server and gateway against a local fake upstream, in virtual time: a
 * fresh server on `sqlite::memory:` serves a 50/50 split of v1 (default) and v2, each on its own fake model,
 * with one upstream call per request (no retries, a breaker that never opens) and a relative rule with action
 * `rollback`. Requests arrive at `requestsPerSecond` of virtual time, each from a new user, in groups of
 * `concurrency`, the fake models' faults set for the group's time; every `tickMs` the telemetry is awaited
 * and the monitor runs one pass. Latency is measured in real time (the runtime uses `performance.now`).
 *
 * When the rule rolls v2 back, the run checks that the kill is served, stops the monitor and lifts the kill,
 * so that traffic goes on as if nothing had acted: the threshold baselines are judged on that same traffic.
 * It ends at `maxRequests`, when `shouldStop` says so, or on `signal`; everything stays on 127.0.0.1.
 */
export async function runGuardrailSimulation(options: GuardrailRunOptions): Promise<GuardrailRun> {
  const { scenario, seed, maxRequests, startAt } = options;
  const rate = options.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND;
  const tickMs = options.tickMs ?? MONITOR_TICK_MS;
  const concurrency = options.concurrency ?? 16;
  const elapsed = options.elapsed ?? (() => performance.now());
  const plannedMs = (maxRequests / rate) * 1_000;
  const arrival = (index: number) => (index * 1_000) / rate;
  const models = (atMs: number) => ({
    'v1-model': scenario.behaviour('v1', atMs, plannedMs),
    'v2-model': scenario.behaviour('v2', atMs, plannedMs),
  });

  const upstream = await startFakeUpstream({ seed, models: models(0) });
  let now = startAt;
  let server: SwitchyardServer | undefined;
  try {
    const adminToken = generateApiToken().token;
    server = await createServer({
      store: 'sqlite::memory:',
      clock: () => now,
      adminToken,
      providers: { fake: { type: 'openai-compatible', baseURL: upstream.url } },
      features: [simulatedFeature(scenario, seed)],
      // Passes run only when the simulation calls tick(), at virtual tick times.
      monitor: { intervalMs: 3_600_000 },
      telemetry: { flushIntervalMs: 10 },
    });
    const running = server;
    const outcomes: RequestOutcome[] = [];
    let compiled = compileFeature(running.context.switchyard.featureConfig(SIMULATED_FEATURE));
    const send = (index: number, atMs: number) =>
      sendRequest(running, compiled, `s${seed}-u${index}`, adminToken, elapsed).then((outcome) => {
        outcomes.push({ atMs, ...outcome });
      });

    let sent = 0;
    let ticks = 0;
    let rollbackAtMs: number | null = null;
    let pValue: number | null = null;
    let killServed = false;
    let elapsedMs = 0;
    while (sent < maxRequests && options.signal?.aborted !== true) {
      const tickEnd = (ticks + 1) * tickMs;
      while (sent < maxRequests && arrival(sent) < tickEnd) {
        const first = sent;
        const group: number[] = [];
        while (group.length < concurrency && sent < maxRequests && arrival(sent) < tickEnd) {
          group.push(sent);
          sent += 1;
        }
        now = startAt + arrival(first);
        for (const [name, behaviour] of Object.entries(models(arrival(first)))) {
          upstream.setModel(name, behaviour);
        }
        await Promise.all(group.map((index) => send(index, arrival(index))));
      }
      ticks += 1;
      elapsedMs = tickEnd;
      now = startAt + tickEnd;
      await telemetryWritten(running);
      if (rollbackAtMs === null) {
        const pass = await running.context.monitor.tick();
        const opened = pass.opened.find(
          (entry) => entry.alert.ruleId === RELATIVE_RULE_ID && entry.outcome.changed,
        );
        if (opened !== undefined) {
          rollbackAtMs = tickEnd;
          const evidence = opened.alert.evidence as { pValue?: unknown };
          pValue = typeof evidence.pValue === 'number' ? evidence.pValue : null;
          killServed = servesKilled(running);
          // Counterfactual from here on: the baselines see the traffic they would have seen.
          await switchFeature(running.context.store, SIMULATED_FEATURE, 'enable', {
            actor: 'simulation',
            reason: 'lifted after the rollback so that the baselines see the same traffic',
          });
          await running.context.featuresChanged();
          compiled = compileFeature(running.context.switchyard.featureConfig(SIMULATED_FEATURE));
          if (compiled.killed) throw new Error('the simulated feature is still killed after enable');
        }
      }
      const state: RunState = { outcomes, elapsedMs, rollbackAtMs };
      options.onProgress?.(state);
      if (options.shouldStop?.(state) === true) break;
    }
    outcomes.sort((left, right) => left.atMs - right.atMs);
    return {
      scenario: scenario.id,
      seed,
      outcomes,
      plannedMs,
      elapsedMs,
      ticks,
      relative: { rollbackAtMs, pValue, killServed },
      telemetryDropped: running.context.switchyard.telemetryStats().dropped,
    };
  } finally {
    await server?.close();
    await upstream.close();
  }
}

/** The feature every run serves: 50/50 on `userId`, v1 the default, a relative rule on the scenario's metric. */
export function simulatedFeature(scenario: GuardrailScenario, seed: number): FeatureConfigInput {
  const policy = { retry: { maxRetries: 0 }, circuitBreaker: { consecutiveFailures: 1_000 } };
  return {
    key: SIMULATED_FEATURE,
    defaultVariant: 'v1',
    variants: {
      v1: { type: 'llm', provider: 'fake', model: 'v1-model', maxTokens: 16, policy },
      v2: { type: 'llm', provider: 'fake', model: 'v2-model', maxTokens: 16, policy },
    },
    rules: [{ id: 'rollout', split: { v1: 50, v2: 50 }, seed: `simulation-${seed}` }],
    alerts: [
      {
        kind: 'relative',
        id: RELATIVE_RULE_ID,
        metric: scenario.metric,
        action: 'rollback',
        description: `roll v2 back when its ${scenario.metric} is worse than v1's`,
      },
    ],
  };
}

async function sendRequest(
  server: SwitchyardServer,
  compiled: CompiledFeature,
  userId: string,
  token: string,
  elapsed: () => number,
): Promise<Omit<RequestOutcome, 'atMs'>> {
  const arm = evaluate(compiled, { attributes: { userId } }).variant as Arm;
  const started = elapsed();
  const response = await server.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'x-switchyard-user': userId,
    },
    payload: CHAT_BODY,
  });
  const latencyMs = elapsed() - started;
  if (response.statusCode === 502) return { arm, failed: true, latencyMs };
  if (response.statusCode !== 200) {
    throw new Error(`the gateway answered ${response.statusCode}: ${response.body.slice(0, 200)}`);
  }
  const fallback = String(response.headers['x-switchyard-fallback'] ?? 'none');
  const decided = fallback === 'none' ? String(response.headers['x-switchyard-variant']) : fallback;
  if (decided !== arm) throw new Error(`user ${userId} was expected on ${arm} but ran ${decided}`);
  return { arm, failed: fallback !== 'none', latencyMs };
}

/** Whether the runtime now serves the default to everyone with reason KILLED. */
function servesKilled(server: SwitchyardServer): boolean {
  const compiled = compileFeature(server.context.switchyard.featureConfig(SIMULATED_FEATURE));
  const decision = evaluate(compiled, { attributes: { userId: 'after-the-rollback' } });
  return decision.reason === 'KILLED' && decision.variant === 'v1';
}

/** Waits until every telemetry event of the requests sent so far is in the store (at most 30 s). */
async function telemetryWritten(server: SwitchyardServer): Promise<void> {
  const deadline = performance.now() + 30_000;
  while (server.context.switchyard.telemetryStats().buffered > 0) {
    if (performance.now() > deadline) throw new Error('telemetry was not written within 30 s');
    await sleep(2);
  }
}
