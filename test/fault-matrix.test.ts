import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureConfigInput } from '../src/core/feature-config.js';
import { createSwitchyard } from '../src/runtime/client/create-switchyard.js';
import type { RunResult } from '../src/runtime/client/run-types.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { type FakeModelBehaviour, type FakeUpstream, startFakeUpstream } from '../src/testing/index.js';

/** Each model injects one kind of fault into 30 % of its answers; `mixed` spreads 30 % over all of them. */
const faultyModels: Record<string, FakeModelBehaviour> = {
  'fault-500': { faults: { errorRate: 0.3, status: 500 } },
  'fault-503': { faults: { errorRate: 0.3, status: 503, retryAfterSeconds: 1 } },
  'fault-429': { faults: { errorRate: 0.3, status: 429, retryAfterSeconds: 1 } },
  'fault-timeout': { faults: { timeoutRate: 0.3 } },
  'fault-reset': { faults: { resetRate: 0.3 } },
  'fault-malformed': { faults: { malformedRate: 0.3 } },
  'fault-schema': { faults: { schemaInvalidRate: 0.3 } },
  'fault-mixed': {
    faults: {
      errorRate: 0.05,
      timeoutRate: 0.05,
      resetRate: 0.05,
      malformedRate: 0.05,
      schemaInvalidRate: 0.05,
      slowStreamRate: 0.05,
      slowStreamDelayMs: 50,
    },
  },
};

const RUNS = 10_000;
const CONCURRENCY = 50;

function featureFor(model: string): FeatureConfigInput {
  return {
    key: model,
    defaultVariant: 'legacy',
    variants: {
      legacy: { type: 'handler' },
      v2: {
        type: 'llm',
        provider: 'fake',
        model,
        maxTokens: 200,
        fallback: ['legacy'],
        output: {
          schema: {
            type: 'object',
            required: ['reply', 'tone'],
            properties: { reply: { type: 'string' }, tone: { type: 'string', enum: ['warm', 'direct'] } },
          },
        },
      },
    },
    rules: [{ id: 'all', serve: 'v2' }],
    policy: {
      timeoutMs: 500,
      retry: { maxRetries: 2, initialDelayMs: 2, maxDelayMs: 20 },
      circuitBreaker: { consecutiveFailures: 1_000, halfOpenAfterMs: 1_000 },
    },
  };
}

describe('fault matrix: 10,000 runs at 30 % injected faults with a fallback', () => {
  let upstream: FakeUpstream;
  let store: Store;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    upstream = await startFakeUpstream({ models: faultyModels, seed: 7 });
    store = await openStore('sqlite::memory:');
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await upstream.close();
    await store.close();
  });

  it('returns a value for every run and records every event with the right outcome', async () => {
    const models = Object.keys(faultyModels);
    const sy = await createSwitchyard({
      store,
      providers: { fake: { type: 'openai-compatible', baseURL: upstream.url } },
      features: models.map(featureFor),
      handlers: { legacy: ({ feature }) => ({ reply: `legacy ${feature}`, tone: 'warm' }) },
      telemetry: { flushOnSignals: false, maxBuffer: 100_000 },
    });

    const results: RunResult[] = [];
    let next = 0;
    const worker = async () => {
      while (next < RUNS) {
        const index = next++;
        const model = models[index % models.length] as string;
        results.push(
          await sy.run(model, { attributes: { userId: `u${index}` } }, { input: `message ${index}` }),
        );
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await sy.close();

    expect(results).toHaveLength(RUNS);
    for (const result of results) {
      expect(result.value).toMatchObject({
        reply: expect.any(String),
        tone: expect.stringMatching(/warm|direct/),
      });
    }
    const fellBack = results.filter((result) => result.fallback !== undefined);
    // About 30 % of first attempts fail; retries save some of them, the fallback serves the rest.
    expect(fellBack.length).toBeGreaterThan(RUNS * 0.02);
    // Timeouts grow on a loaded machine, so the upper bound only says most first attempts succeed.
    expect(fellBack.length).toBeLessThan(RUNS * 0.6);
    expect(sy.telemetryStats()).toMatchObject({ dropped: 0, buffered: 0 });

    const byRequest = new Map(results.map((result) => [result.requestId, result]));
    let runEvents = 0;
    let decisions = 0;
    const attemptsByRequest = new Map<string, string[]>();
    for await (const event of store.streamEvents({})) {
      if (event.type === 'decision') {
        decisions += 1;
        continue;
      }
      if (event.type !== 'call') continue;
      const result = byRequest.get(event.requestId);
      expect(result).toBeDefined();
      if (event.scope === 'attempt') {
        const outcomes = attemptsByRequest.get(event.requestId) ?? [];
        outcomes.push(`${event.servedVariant}:${event.outcome}:${event.errorClass ?? ''}`);
        attemptsByRequest.set(event.requestId, outcomes);
        continue;
      }
      runEvents += 1;
      expect(event).toMatchObject({
        outcome: 'success',
        variant: 'v2',
        servedVariant: result?.variant,
        fallback: result?.fallback !== undefined,
        attempts: result?.attempts,
      });
    }
    expect(decisions).toBe(RUNS);
    expect(runEvents).toBe(RUNS);
    for (const result of results) {
      const attempts = attemptsByRequest.get(result.requestId) ?? [];
      if (result.fallback) {
        // Events of one millisecond come back in id order, so compare the attempts as a set.
        expect(attempts).toHaveLength(2);
        expect(attempts).toContain('legacy:success:');
        expect(attempts.find((attempt) => attempt.startsWith('v2:'))).toMatch(
          /^v2:error:(server_error|rate_limited|timeout|connection|parse_error|schema_invalid)$/,
        );
      } else {
        expect(attempts).toEqual(['v2:success:']);
      }
    }
    expect(unhandled).toEqual([]);
  }, 180_000);
});
