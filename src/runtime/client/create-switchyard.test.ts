import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureConfigInput } from '../../core/feature-config.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { type FakeUpstream, startFakeUpstream } from '../../testing/index.js';
import { createSwitchyard } from './create-switchyard.js';
import type { Switchyard } from './switchyard-client.js';

const coach: FeatureConfigInput = {
  key: 'coach-reply',
  defaultVariant: 'v1',
  variants: {
    v1: { type: 'handler' },
    v2: {
      type: 'llm',
      provider: 'fake',
      model: 'gpt-4o-mini',
      system: 'Be kind.',
      maxTokens: 64,
      fallback: ['v1'],
    },
  },
  rules: [{ id: 'everyone', serve: 'v2' }],
};

let upstream: FakeUpstream;
const clients: Switchyard[] = [];

beforeAll(async () => {
  upstream = await startFakeUpstream({
    models: {
      'gpt-4o-mini': { reply: 'You did well today.' },
      broken: { faults: { errorRate: 1, status: 500 } },
      'json-model': {},
    },
  });
});
afterAll(async () => {
  await upstream.close();
});
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  upstream.reset();
});

async function client(features: FeatureConfigInput[], extra: Parameters<typeof createSwitchyard>[0] = {}) {
  const sy = await createSwitchyard({
    store: 'sqlite::memory:',
    providers: { fake: { type: 'openai-compatible', baseURL: upstream.url } },
    features,
    telemetry: { flushOnSignals: false },
    ...extra,
  });
  clients.push(sy);
  return sy;
}

async function eventsOf(store: Store, requestId: string) {
  return (await store.listEvents({ requestId, limit: 100 })).events;
}

describe('createSwitchyard', () => {
  it('rejects bad options naming the field', async () => {
    await expect(createSwitchyard({ store: 'sqlite::memory:', refreshIntervalMs: -1 })).rejects.toMatchObject(
      {
        code: 'INVALID_CONFIG',
        message: expect.stringContaining('refreshIntervalMs'),
      },
    );
    await expect(
      createSwitchyard({ store: 'sqlite::memory:', providers: { x: { type: 'azure' as 'openai' } } }),
    ).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('providers.x.type') });
    await expect(
      createSwitchyard({ store: 'sqlite::memory:', features: [{ ...coach, defaultVariant: 'v9' }] }),
    ).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('defaultVariant') });
  });

  it('refuses a hosted provider without a key, naming the field, as serve does', async () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    try {
      const refused = createSwitchyard({
        store: 'sqlite::memory:',
        providers: {
          claude: { type: 'anthropic' },
          local: { type: 'openai-compatible', baseURL: upstream.url },
        },
      });
      await expect(refused).rejects.toMatchObject({
        code: 'INVALID_CONFIG',
        problems: [
          { path: 'providers.claude.apiKey', message: expect.stringContaining('ANTHROPIC_API_KEY') },
        ],
      });
      // The provider SDK's own variable is a key too.
      process.env.ANTHROPIC_API_KEY = 'sk-ant-from-env';
      const sy = await client([coach], { providers: { claude: { type: 'anthropic' } } });
      expect(sy.features()).toEqual(['coach-reply']);
    } finally {
      if (saved === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = saved;
    }
  });

  it('decides synchronously, and answers an unknown feature with the caller default instead of throwing', async () => {
    const store = await openStore('sqlite::memory:');
    const sy = await client([coach], { store });
    expect(sy.decide('coach-reply', { attributes: { userId: 'u1' } })).toMatchObject({
      variant: 'v2',
      reason: 'TARGETING_MATCH',
    });
    expect(sy.decide('nope')).toMatchObject({
      variant: null,
      reason: 'ERROR',
      errorCode: 'FEATURE_NOT_FOUND',
    });
    expect(sy.decide('nope', {}, { defaultVariant: 'v1' })).toMatchObject({
      feature: 'nope',
      variant: 'v1',
      reason: 'ERROR',
      errorCode: 'FEATURE_NOT_FOUND',
    });
    await expect(sy.decideAsync('nope', {}, { defaultVariant: 'v1' })).resolves.toMatchObject({
      variant: 'v1',
      errorCode: 'FEATURE_NOT_FOUND',
    });
    // An archived feature is one the client no longer serves.
    await store.archiveFeature('coach-reply', { actor: 'test' });
    await sy.refresh();
    expect(sy.decide('coach-reply', {}, { defaultVariant: 'v1' })).toMatchObject({
      variant: 'v1',
      errorCode: 'FEATURE_NOT_FOUND',
    });
    // A run has nothing to serve, so it still rejects.
    await expect(sy.run('nope', {}, { input: 'hi' })).rejects.toMatchObject({ code: 'FEATURE_NOT_FOUND' });
    await sy.close();
    await store.close();
  });

  it('runs an LLM variant against the upstream with usage, cost and events', async () => {
    const store = await openStore('sqlite::memory:');
    const sy = await client([coach], { store });
    const result = await sy.run(
      'coach-reply',
      { attributes: { userId: 'u1' } },
      { input: 'I went for a run' },
    );
    expect(result).toMatchObject({
      value: 'You did well today.',
      variant: 'v2',
      reason: 'TARGETING_MATCH',
      cached: false,
      attempts: 1,
    });
    expect(result.fallback).toBeUndefined();
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.costUsd).toBeGreaterThan(0);
    await sy.close();
    const events = await eventsOf(store, result.requestId);
    expect(events.map((event) => `${event.type}:${'scope' in event ? event.scope : ''}`).sort()).toEqual([
      'call:attempt',
      'call:run',
      'decision:',
    ]);
    await store.close();
  });

  it('falls back to the legacy handler when the model fails, and says why', async () => {
    const store = await openStore('sqlite::memory:');
    const broken = {
      ...coach,
      variants: { ...coach.variants, v2: { ...coach.variants.v2, model: 'broken' } },
    };
    const sy = await client([broken as FeatureConfigInput], {
      store,
      handlers: { v1: ({ input }) => `legacy: ${String(input)}` },
    });
    const result = await sy.run('coach-reply', { attributes: { userId: 'u1' } }, { input: 'hello' });
    expect(result).toMatchObject({ value: 'legacy: hello', variant: 'v1', reason: 'TARGETING_MATCH' });
    expect(result.fallback?.from).toBe('v2');
    expect(result.fallback?.causes[0]).toMatchObject({ variant: 'v2', errorClass: 'server_error' });
    expect(result.attempts).toBeGreaterThan(1);
    await sy.close();
    const run = (await eventsOf(store, result.requestId)).find(
      (event) => event.type === 'call' && event.scope === 'run',
    );
    expect(run).toMatchObject({ outcome: 'success', fallback: true, variant: 'v2', servedVariant: 'v1' });
    await store.close();
  });

  it('reports every cause when every variant fails, including a missing handler', async () => {
    const broken = {
      ...coach,
      variants: { ...coach.variants, v2: { ...coach.variants.v2, model: 'broken' } },
    };
    const sy = await client([broken as FeatureConfigInput]);
    const error = await sy.run('coach-reply', {}, { input: 'hello' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'ALL_VARIANTS_FAILED',
      causes: [
        { variant: 'v2', errorClass: 'server_error' },
        { variant: 'v1', errorClass: 'handler_missing' },
      ],
    });
  });

  it('refuses empty input and enforces per-tier daily limits', async () => {
    const limited: FeatureConfigInput = {
      ...coach,
      policy: { rateLimit: { defaultTier: 'free', tiers: { free: { limit: 2 }, paid: { limit: 3 } } } },
    };
    const sy = await client([limited], { handlers: { v1: () => 'ok' } });
    await expect(sy.run('coach-reply', {}, { input: '   ' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const free = { attributes: { userId: 'f1', tier: 'free' } };
    await sy.run('coach-reply', free, { input: 'one' });
    await sy.run('coach-reply', free, { input: 'two' });
    const refused = await sy.run('coach-reply', free, { input: 'three' }).catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', limit: 2 });
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    const paid = { attributes: { userId: 'p1', tier: 'paid' } };
    for (const input of ['a', 'b', 'c']) await sy.run('coach-reply', paid, { input });
    await expect(sy.run('coach-reply', paid, { input: 'd' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('refuses a run over budget, or downgrades when the policy says so', async () => {
    const tight: FeatureConfigInput = { ...coach, policy: { budget: { dailyUsd: 0.000001 } } };
    const sy = await client([tight]);
    await expect(sy.run('coach-reply', {}, { input: 'hello' })).rejects.toMatchObject({
      code: 'BUDGET_EXCEEDED',
      scope: 'daily',
    });
    const downgrading: FeatureConfigInput = {
      ...coach,
      key: 'coach-cheap',
      policy: { budget: { dailyUsd: 0.000001, onExceed: 'downgrade', downgradeTo: 'v1' } },
    };
    const other = await client([downgrading], { handlers: { v1: () => 'cheap reply' } });
    const result = await other.run('coach-cheap', {}, { input: 'hello' });
    expect(result).toMatchObject({ value: 'cheap reply', variant: 'v1' });
    expect(result.fallback?.causes[0]).toMatchObject({ variant: 'v2', errorClass: 'budget_exceeded' });
  });

  it('serves identical requests from the cache, and a derived key invalidates on update', async () => {
    const cached: FeatureConfigInput = { ...coach, policy: { cache: { mode: 'exact', ttlSeconds: 60 } } };
    const sy = await client([cached]);
    const first = await sy.run('coach-reply', {}, { input: 'same question' });
    const second = await sy.run('coach-reply', {}, { input: '  same   question ' });
    expect(first.cached).toBe(false);
    expect(second).toMatchObject({ cached: true, value: first.value, costUsd: 0, attempts: 0 });
    expect(upstream.stats().byModel['gpt-4o-mini']?.requests).toBe(1);

    let calls = 0;
    const details: FeatureConfigInput = {
      key: 'persona-details',
      defaultVariant: 'structured',
      variants: { structured: { type: 'handler' } },
      policy: { cache: { mode: 'derived', key: ['personaId'], versionField: 'updatedAt', ttlSeconds: 60 } },
    };
    const other = await client([details], {
      handlers: {
        structured: () => {
          calls += 1;
          return { journey: [`step ${calls}`] };
        },
      },
    });
    const run = (updatedAt: string) =>
      other.run('persona-details', {}, { input: { personaId: 'p1', updatedAt } });
    expect((await run('2026-01-01')).value).toEqual({ journey: ['step 1'] });
    expect((await run('2026-01-01')).cached).toBe(true);
    expect((await run('2026-02-01')).value).toEqual({ journey: ['step 2'] });
  });

  it('returns schema-valid structured output', async () => {
    const details: FeatureConfigInput = {
      key: 'persona-details',
      defaultVariant: 'structured',
      variants: {
        structured: {
          type: 'llm',
          provider: 'fake',
          model: 'json-model',
          output: {
            name: 'persona',
            schema: {
              type: 'object',
              required: ['journey', 'messaging'],
              properties: {
                journey: { type: 'array', items: { type: 'string' } },
                messaging: { type: 'string' },
              },
            },
          },
        },
      },
    };
    const sy = await client([details]);
    const result = await sy.run('persona-details', {}, { input: { personaId: 'p1' } });
    expect(result.value).toMatchObject({ journey: expect.any(Array), messaging: expect.any(String) });
  });

  it('runs several variants in parallel, each with its value or its error', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = (value: string) => async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 30));
      inFlight -= 1;
      return value;
    };
    const session: FeatureConfigInput = {
      key: 'session-builder',
      defaultVariant: 'baseline',
      variants: {
        baseline: { type: 'handler' },
        focused: { type: 'handler' },
        varied: { type: 'handler' },
        broken: { type: 'handler' },
      },
    };
    const sy = await client([session], {
      handlers: {
        baseline: slow('b'),
        focused: slow('f'),
        varied: slow('v'),
        broken: () => {
          throw new Error('no drafts');
        },
      },
    });
    const result = await sy.runAll(
      'session-builder',
      {},
      { input: 'plan a session' },
      {
        variants: ['baseline', 'focused', 'varied', 'broken'],
      },
    );
    expect(most).toBe(3);
    expect(result.results.map((entry) => entry.value ?? entry.error?.errorClass)).toEqual([
      'b',
      'f',
      'v',
      'handler_error',
    ]);
    sy.feedback(result.requestId, { selectedVariant: 'focused' });
    expect(() => sy.feedback(result.requestId, { metric: 'time-to-approval-ms' })).toThrowError(/value/);
    expect(() => sy.feedback('', { accepted: true })).toThrowError(/requestId/);
  });

  it('records feedback joined by request id and flushes telemetry on close', async () => {
    const store = await openStore('sqlite::memory:');
    const sy = await client([coach], { store, handlers: { v1: () => 'x' } });
    const result = await sy.run('coach-reply', { attributes: { userId: 'u9' } }, { input: 'hi' });
    sy.feedback(result.requestId, { accepted: true, rating: 5 });
    await sy.close();
    const feedback = (await eventsOf(store, result.requestId)).find((event) => event.type === 'feedback');
    expect(feedback).toMatchObject({ feature: 'coach-reply', variant: 'v2', accepted: true, rating: 5 });
    await store.close();
  });
});

describe('changes made by another process', () => {
  let folder = '';
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'switchyard-sync-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reach a running client within one second (a kill from the CLI)', async () => {
    const url = `sqlite:${join(folder, 'shared.db')}`;
    const sy = await createSwitchyard({
      store: url,
      features: [coach],
      telemetry: { flushOnSignals: false },
    });
    clients.push(sy);
    expect(sy.decide('coach-reply').reason).toBe('TARGETING_MATCH');
    const main = join(import.meta.dirname, '..', '..', 'cli', 'main.ts');
    await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', main, '--db', url, 'features', 'kill', 'coach-reply', '--reason', 'test'],
      {
        cwd: join(import.meta.dirname, '..', '..', '..'),
      },
    );
    const killedAt = Date.now();
    while (sy.decide('coach-reply').reason !== 'KILLED') {
      expect(Date.now() - killedAt).toBeLessThan(1_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
});
