import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallEvent, TelemetryEvent } from '../../core/event-schema.js';
import type { FeatureConfigInput } from '../../core/feature-config.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { type FakeUpstream, startFakeUpstream } from '../../testing/index.js';
import {
  type BrokenStreamUpstream,
  startBrokenStreamUpstream,
} from './broken-stream-upstream.test-helper.js';
import { createSwitchyard } from './create-switchyard.js';
import type { StreamRun } from './stream-types.js';
import type { Switchyard } from './switchyard-client.js';

const reply = 'Small steps every day add up to a big change over a month.';

const coach: FeatureConfigInput = {
  key: 'coach-reply',
  defaultVariant: 'v1',
  variants: {
    v1: { type: 'handler' },
    v2: { type: 'llm', provider: 'fake', model: 'gpt-4o-mini', system: 'Be kind.', fallback: ['v1'] },
  },
  rules: [{ id: 'everyone', serve: 'v2' }],
};

/** The coach feature with v2 pointed at another provider and model, plus any policy. */
function coachWith(provider: string, model: string, policy: FeatureConfigInput['policy'] = {}) {
  return {
    ...coach,
    policy,
    variants: { ...coach.variants, v2: { ...coach.variants.v2, provider, model } },
  } as FeatureConfigInput;
}

let upstream: FakeUpstream;
let cut: BrokenStreamUpstream;
let hang: BrokenStreamUpstream;
const clients: Switchyard[] = [];
const stores: Store[] = [];

beforeAll(async () => {
  upstream = await startFakeUpstream({
    models: {
      'gpt-4o-mini': { reply },
      broken: { faults: { errorRate: 1, status: 500 } },
      slow: { latencyMs: 2_000 },
      malformed: { faults: { malformedRate: 1 } },
      echo: {},
    },
  });
  cut = await startBrokenStreamUpstream({ chunks: ['Hello', ' there'], ending: 'cut' });
  hang = await startBrokenStreamUpstream({ chunks: ['Hello'], ending: 'hang' });
});
afterAll(async () => {
  await Promise.all([upstream.close(), cut.close(), hang.close()]);
});
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  for (const store of stores.splice(0)) await store.close();
  upstream.reset();
});

async function client(features: FeatureConfigInput[], extra: Parameters<typeof createSwitchyard>[0] = {}) {
  const store = await openStore('sqlite::memory:');
  stores.push(store);
  const sy = await createSwitchyard({
    store,
    providers: {
      fake: { type: 'openai-compatible', baseURL: upstream.url },
      cut: { type: 'openai-compatible', baseURL: cut.url },
      hang: { type: 'openai-compatible', baseURL: hang.url },
    },
    features,
    handlers: { v1: ({ input }) => `legacy: ${String(input)}` },
    telemetry: { flushOnSignals: false },
    ...extra,
  });
  clients.push(sy);
  return { sy, store };
}

async function read(run: StreamRun): Promise<{ chunks: string[]; error: unknown }> {
  const chunks: string[] = [];
  try {
    for await (const chunk of run.textStream) chunks.push(chunk);
    return { chunks, error: undefined };
  } catch (error) {
    return { chunks, error };
  }
}

async function callEvents(sy: Switchyard, store: Store, requestId: string) {
  await sy.close();
  const { events } = await store.listEvents({ requestId, limit: 100 });
  const calls = events.filter((event: TelemetryEvent): event is CallEvent => event.type === 'call');
  return {
    decisions: events.filter((event) => event.type === 'decision').length,
    attempts: calls.filter((event) => event.scope === 'attempt'),
    run: calls.find((event) => event.scope === 'run'),
  };
}

describe('stream', () => {
  it('streams an LLM answer in several chunks, then settles usage, cost and the same events as run()', async () => {
    const { sy, store } = await client([coach]);
    const run = await sy.stream('coach-reply', { attributes: { userId: 'u1' } }, { input: 'I ran today' });
    expect(run).toMatchObject({
      variant: 'v2',
      reason: 'TARGETING_MATCH',
      cached: false,
      model: 'gpt-4o-mini',
    });
    expect(run.fallback).toBeUndefined();
    const { chunks, error } = await read(run);
    expect(error).toBeUndefined();
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.join('')).toBe(reply);
    const result = await run.result;
    expect(result).toMatchObject({ value: reply, variant: 'v2', attempts: 1, finishReason: 'stop' });
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.costUsd).toBeGreaterThan(0);
    const events = await callEvents(sy, store, run.requestId);
    expect(events.decisions).toBe(1);
    expect(events.attempts).toHaveLength(1);
    expect(events.run).toMatchObject({ outcome: 'success', servedVariant: 'v2', attempts: 1 });
    expect(events.run?.outputTokens).toBe(result.usage.outputTokens);
  });

  it('falls back before the first chunk when the model fails, and says why', async () => {
    const { sy, store } = await client([coachWith('fake', 'broken')]);
    const run = await sy.stream('coach-reply', {}, { input: 'hello' });
    expect(run.variant).toBe('v1');
    expect(run.fallback?.from).toBe('v2');
    expect(run.fallback?.causes[0]).toMatchObject({ variant: 'v2', errorClass: 'server_error' });
    expect((await read(run)).chunks).toEqual(['legacy: hello']);
    const result = await run.result;
    expect(result.attempts).toBeGreaterThan(1);
    const events = await callEvents(sy, store, run.requestId);
    expect(events.attempts.map((event) => event.servedVariant)).toEqual(['v2', 'v1']);
    expect(events.run).toMatchObject({ outcome: 'success', fallback: true, servedVariant: 'v1' });
  });

  it('retries a malformed first chunk and times out a silent model before falling back', async () => {
    const retried = await client([
      coachWith('fake', 'malformed', { retry: { maxRetries: 1, initialDelayMs: 0 } }),
    ]);
    const run = await retried.sy.stream('coach-reply', {}, { input: 'hello' });
    expect(run.fallback?.causes[0]).toMatchObject({ errorClass: 'parse_error' });
    expect(upstream.stats().byModel.malformed?.requests).toBe(2);

    const slow = await client([coachWith('fake', 'slow', { timeoutMs: 100, retry: { maxRetries: 0 } })]);
    const timed = await slow.sy.stream('coach-reply', {}, { input: 'hello' });
    expect(timed).toMatchObject({ variant: 'v1', fallback: { causes: [{ errorClass: 'timeout' }] } });
  });

  it('ends with an error, not a switch of variant, when the answer breaks after its first chunk', async () => {
    const { sy, store } = await client([coachWith('cut', 'cut-model')]);
    const run = await sy.stream('coach-reply', {}, { input: 'hello' });
    expect(run.variant).toBe('v2');
    const { chunks, error } = await read(run);
    expect(chunks.join('')).toBe('Hello there');
    expect(error).toMatchObject({ name: 'ModelCallError', errorClass: 'connection' });
    await expect(run.result).rejects.toMatchObject({ errorClass: 'connection' });
    expect(cut.requests()).toBe(1);
    const events = await callEvents(sy, store, run.requestId);
    expect(events.attempts).toHaveLength(1);
    expect(events.run).toMatchObject({ outcome: 'error', errorClass: 'connection', servedVariant: 'v2' });
    expect(events.run?.outputTokens).toBeGreaterThan(0);
  });

  it('ends a stream that goes silent after its first chunk as a timeout', async () => {
    const { sy } = await client([coachWith('hang', 'hang-model', { timeoutMs: 150 })]);
    const run = await sy.stream('coach-reply', {}, { input: 'hello' });
    const { chunks, error } = await read(run);
    expect(chunks).toEqual(['Hello']);
    expect(error).toMatchObject({ errorClass: 'timeout' });
  });

  it('checks output guards on the whole text at the end and records guard_failed', async () => {
    const { sy, store } = await client([
      coachWith('fake', 'gpt-4o-mini', { output: { bannedPhrases: ['big change'] } }),
    ]);
    const run = await sy.stream('coach-reply', {}, { input: 'hello' });
    const { chunks, error } = await read(run);
    expect(chunks.join('')).toBe(reply);
    expect(error).toMatchObject({ errorClass: 'guard_failed' });
    await expect(run.result).rejects.toMatchObject({ errorClass: 'guard_failed' });
    const events = await callEvents(sy, store, run.requestId);
    expect(events.run).toMatchObject({ outcome: 'error', errorClass: 'guard_failed' });
  });

  it('caches a streamed answer once complete, shared with run(), and serves hits as one chunk', async () => {
    const cached = coachWith('fake', 'gpt-4o-mini', { cache: { mode: 'exact', ttlSeconds: 60 } });
    const { sy } = await client([cached]);
    const first = await sy.stream('coach-reply', {}, { input: 'same question' });
    await read(first);
    await first.result;
    const whole = await sy.run('coach-reply', {}, { input: 'same question' });
    expect(whole).toMatchObject({ cached: true, value: reply });
    const hit = await sy.stream('coach-reply', {}, { input: 'same question' });
    expect(hit.cached).toBe(true);
    expect((await read(hit)).chunks).toEqual([reply]);
    expect(await hit.result).toMatchObject({ cached: true, costUsd: 0, attempts: 0 });
    expect(upstream.stats().byModel['gpt-4o-mini']?.requests).toBe(1);
  });

  it('streams handler and structured-output values whole, objects as JSON text', async () => {
    const details: FeatureConfigInput = {
      key: 'persona-details',
      defaultVariant: 'structured',
      variants: {
        structured: {
          type: 'llm',
          provider: 'fake',
          model: 'echo',
          output: {
            schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
          },
        },
      },
    };
    const legacy: FeatureConfigInput = { ...coach, key: 'legacy-only', rules: [] };
    const { sy } = await client([details, legacy]);
    const structured = await sy.stream('persona-details', {}, { input: 'persona p1' });
    const { chunks } = await read(structured);
    expect(chunks).toHaveLength(1);
    const value = (await structured.result).value as { name: string };
    expect(JSON.parse(chunks[0] as string)).toEqual(value);
    expect(typeof value.name).toBe('string');
    const handler = await sy.stream('legacy-only', {}, { input: 'hi' });
    expect(handler).toMatchObject({ variant: 'v1', model: null });
    expect((await read(handler)).chunks).toEqual(['legacy: hi']);
  });

  it('uses the request maxTokens only when the variant sets none', async () => {
    const open = coachWith('fake', 'echo');
    const capped = { ...coachWith('fake', 'echo'), key: 'capped' } as FeatureConfigInput;
    (capped.variants.v2 as { maxTokens?: number }).maxTokens = 50;
    const { sy } = await client([open, capped]);
    const input = 'please answer with a long and detailed reply about many things';
    const short = await sy.stream('coach-reply', {}, { input, parameters: { maxTokens: 2 } });
    await read(short);
    expect(await short.result).toMatchObject({ finishReason: 'length', usage: { outputTokens: 2 } });
    const long = await sy.stream('capped', {}, { input, parameters: { maxTokens: 2 } });
    await read(long);
    expect(await long.result).toMatchObject({ finishReason: 'stop' });
  });

  it('refuses bad input and rate-limited units before anything streams', async () => {
    const limited = coachWith('fake', 'gpt-4o-mini', {
      rateLimit: { tiers: { free: { limit: 1 } }, defaultTier: 'free' },
    });
    const { sy } = await client([limited]);
    await expect(sy.stream('coach-reply', {}, { input: '  ' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const context = { attributes: { userId: 'u1' } };
    await read(await sy.stream('coach-reply', context, { input: 'one' }));
    await expect(sy.stream('coach-reply', context, { input: 'two' })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    await expect(sy.stream('nope', {}, { input: 'x' })).rejects.toMatchObject({ code: 'FEATURE_NOT_FOUND' });
  });

  it('stops the provider when the reader breaks off, and records the run as cancelled, not as an error', async () => {
    await upstream.setModel('paced', { reply, tokensPerSecond: 50 });
    const { sy, store } = await client([coachWith('fake', 'paced')]);
    const run = await sy.stream('coach-reply', {}, { input: 'hello' });
    for await (const chunk of run.textStream) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    // The reader leaving is the caller's doing: it must not count toward the error rate.
    await expect(run.result).rejects.toMatchObject({ name: 'CancelledError', code: 'CANCELLED' });
    const events = await callEvents(sy, store, run.requestId);
    expect(events.run).toMatchObject({ outcome: 'cancelled', errorClass: null, servedVariant: 'v2' });
  });
});
