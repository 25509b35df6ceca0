import type {
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
} from '@ai-sdk/provider';
import { convertArrayToReadableStream, MockLanguageModelV3 } from 'ai/test';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeatureConfigInput } from '../../core/feature-config.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { createSwitchyard } from './create-switchyard.js';
import type { RunMessage } from './run-types.js';
import type { Switchyard } from './switchyard-client.js';

const weatherTool = {
  type: 'function' as const,
  name: 'weather',
  description: 'The weather in a city',
  inputSchema: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
};

function usage(input: number, output: number, cached = 0, reasoning = 0) {
  return {
    inputTokens: { total: input, noCache: input - cached, cacheRead: cached, cacheWrite: undefined },
    outputTokens: { total: output, text: output - reasoning, reasoning },
  };
}

function reply(content: LanguageModelV3GenerateResult['content'], finish: 'stop' | 'tool-calls' = 'stop') {
  return {
    content,
    finishReason: { unified: finish, raw: finish },
    usage: usage(20, 8, 12, 3),
    warnings: [],
  } satisfies LanguageModelV3GenerateResult;
}

const toolCallReply = reply(
  [{ type: 'tool-call', toolCallId: 'call-1', toolName: 'weather', input: '{"city":"Paris"}' }],
  'tool-calls',
);

function feature(overrides: Partial<FeatureConfigInput> = {}): FeatureConfigInput {
  return {
    key: 'assistant',
    defaultVariant: 'legacy',
    variants: {
      legacy: { type: 'handler' },
      agent: {
        type: 'llm',
        provider: 'mock',
        model: 'agent-model',
        system: 'Use tools.',
        fallback: ['legacy'],
      },
    },
    rules: [{ id: 'everyone', serve: 'agent' }],
    ...overrides,
  };
}

const clients: Switchyard[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  for (const store of stores.splice(0)) await store.close();
});

async function client(model: MockLanguageModelV3, features: FeatureConfigInput[], extra = {}) {
  const store = await openStore('sqlite::memory:');
  stores.push(store);
  let legacyRuns = 0;
  const sy = await createSwitchyard({
    store,
    providers: { mock: { languageModel: () => model } },
    pricing: { 'agent-model': { inputPerMTok: 1_000, outputPerMTok: 1_000 } },
    features,
    handlers: {
      legacy: () => {
        legacyRuns += 1;
        return 'legacy answer';
      },
    },
    telemetry: { flushOnSignals: false },
    ...extra,
  });
  clients.push(sy);
  return { sy, store, legacyRuns: () => legacyRuns };
}

async function runEvents(sy: Switchyard, store: Store, requestId: string) {
  await sy.close();
  const { events } = await store.listEvents({ requestId, limit: 100 });
  return events.flatMap((event) => (event.type === 'call' ? [event] : []));
}

describe('run() on the language-model spec', () => {
  it('returns a tool call, and sends the tool result back in the next run as typed parts', async () => {
    const model = new MockLanguageModelV3({
      doGenerate: [toolCallReply, reply([{ type: 'text', text: 'Sunny in Paris.' }])],
    });
    const { sy } = await client(model, [feature()]);
    const messages: RunMessage[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await sy.run(
      'assistant',
      { attributes: { userId: 'u1' } },
      { messages, tools: [weatherTool] },
    );
    expect(first).toMatchObject({
      variant: 'agent',
      finishReason: 'tool-calls',
      toolCalls: [{ toolCallId: 'call-1', toolName: 'weather', input: { city: 'Paris' } }],
      provider: 'mock',
      model: 'agent-model',
      usage: { inputTokens: 20, outputTokens: 8, cachedInputTokens: 12, reasoningTokens: 3 },
    });
    expect(first.content).toEqual(toolCallReply.content);
    expect(model.doGenerateCalls[0]).toMatchObject({
      tools: [weatherTool],
      prompt: [
        { role: 'system', content: 'Use tools.' },
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
      ],
    });

    const second = await sy.run(
      'assistant',
      { attributes: { userId: 'u1' } },
      {
        tools: [weatherTool],
        messages: [
          ...messages,
          first.responseMessage,
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'call-1',
                toolName: 'weather',
                output: { type: 'json', value: { sky: 'sunny' } },
              },
            ],
          },
        ],
      },
    );
    expect(second).toMatchObject({ value: 'Sunny in Paris.', finishReason: 'stop', toolCalls: [] });
    expect(model.doGenerateCalls[1]?.prompt.slice(2)).toEqual([
      {
        role: 'assistant',
        content: [{ type: 'tool-call', toolCallId: 'call-1', toolName: 'weather', input: { city: 'Paris' } }],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'call-1',
            toolName: 'weather',
            output: { type: 'json', value: { sky: 'sunny' } },
          },
        ],
      },
    ]);
  });

  it('passes every sampling setting, the tool choice, the response format and provider options', async () => {
    const model = new MockLanguageModelV3({ doGenerate: reply([{ type: 'text', text: '{"ok":true}' }]) });
    const base = feature();
    const agent = {
      type: 'llm' as const,
      provider: 'mock',
      model: 'agent-model',
      temperature: 0.1,
      seed: 7,
      providerOptions: { mock: { mode: 'variant' } },
    };
    const { sy } = await client(model, [{ ...base, variants: { ...base.variants, agent } }]);
    const result = await sy.run(
      'assistant',
      {},
      {
        input: 'Answer in JSON',
        tools: [weatherTool],
        toolChoice: { type: 'none' },
        responseFormat: { type: 'json' },
        providerOptions: { mock: { mode: 'request', extra: 1 } },
        parameters: {
          temperature: 0.9,
          topP: 0.5,
          topK: 40,
          stopSequences: ['END'],
          presencePenalty: 0.2,
          frequencyPenalty: 0.3,
          maxOutputTokens: 99,
        },
      },
    );
    expect(result.value).toEqual({ ok: true });
    const call = model.doGenerateCalls[0] as LanguageModelV3CallOptions;
    expect(call).toMatchObject({
      // The variant's own settings win; the request fills what the variant leaves unset.
      temperature: 0.1,
      seed: 7,
      topP: 0.5,
      topK: 40,
      stopSequences: ['END'],
      presencePenalty: 0.2,
      frequencyPenalty: 0.3,
      maxOutputTokens: 99,
      toolChoice: { type: 'none' },
      responseFormat: { type: 'json' },
      providerOptions: { mock: { mode: 'variant', extra: 1 } },
    });
  });

  it('checks a tool call as a tool call: an input off its schema is repaired once, then fails the variant', async () => {
    const bad = reply(
      [{ type: 'tool-call', toolCallId: 'call-2', toolName: 'weather', input: '{"town":"Paris"}' }],
      'tool-calls',
    );
    const model = new MockLanguageModelV3({ doGenerate: [bad, bad] });
    const { sy, store, legacyRuns } = await client(model, [feature()]);
    const result = await sy.run('assistant', {}, { input: 'Weather?', tools: [weatherTool] });
    expect(result.variant).toBe('legacy');
    expect(legacyRuns()).toBe(1);
    expect(result.fallback?.causes[0]).toMatchObject({ variant: 'agent', errorClass: 'schema_invalid' });
    expect(result.fallback?.causes[0]?.message).toMatch(/weather.*city/s);
    expect(model.doGenerateCalls).toHaveLength(2);
    // The repair request tells the model what was wrong with its call.
    const repair = model.doGenerateCalls[1]?.prompt.at(-1);
    expect(JSON.stringify(repair)).toMatch(/tool \\"weather\\" was unusable/);
    const events = await runEvents(sy, store, result.requestId);
    expect(events.find((event) => event.scope === 'run')).toMatchObject({
      outcome: 'success',
      fallback: true,
    });
  });

  it('refuses a malformed typed message, naming the part, before any call', async () => {
    const model = new MockLanguageModelV3({ doGenerate: reply([{ type: 'text', text: 'x' }]) });
    const { sy, legacyRuns } = await client(model, [feature()]);
    const messages = [
      { role: 'user', content: [{ type: 'tool-call', toolCallId: 'c', toolName: 't', input: {} }] },
    ];
    const result = await sy.run('assistant', {}, { messages: messages as RunMessage[] });
    expect(result.fallback?.causes[0]?.message).toMatch(/messages\[0\]\.content\[0\]\.type/);
    expect(model.doGenerateCalls).toHaveLength(0);
    expect(legacyRuns()).toBe(1);
  });

  it('serves a custom provider instance, and refuses one whose models are of another specification', async () => {
    const model = new MockLanguageModelV3({
      doGenerate: reply([{ type: 'text', text: 'from the instance' }]),
    });
    const { sy } = await client(model, [feature()]);
    expect((await sy.run('assistant', {}, { input: 'hi' })).value).toBe('from the instance');

    const old = { languageModel: () => ({ specificationVersion: 'v2', doGenerate: async () => ({}) }) };
    const { sy: other } = await client(model, [feature()], { providers: { mock: old } });
    const result = await other.run('assistant', {}, { input: 'hi' });
    expect(result.variant).toBe('legacy');
    expect(result.fallback?.causes[0]).toMatchObject({ errorClass: 'client_error' });
    expect(result.fallback?.causes[0]?.message).toMatch(/specification v2/);
  });
});

describe('stream() on the language-model spec', () => {
  it('streams tool-input deltas and the tool call, then a finish part with the run usage', async () => {
    const parts: LanguageModelV3StreamPart[] = [
      { type: 'stream-start', warnings: [] },
      { type: 'tool-input-start', id: 'call-1', toolName: 'weather' },
      { type: 'tool-input-delta', id: 'call-1', delta: '{"city":' },
      { type: 'tool-input-delta', id: 'call-1', delta: '"Paris"}' },
      { type: 'tool-input-end', id: 'call-1' },
      { type: 'tool-call', toolCallId: 'call-1', toolName: 'weather', input: '{"city":"Paris"}' },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: usage(30, 9) },
    ];
    const model = new MockLanguageModelV3({ doStream: { stream: convertArrayToReadableStream(parts) } });
    const { sy } = await client(model, [feature()]);
    const run = await sy.stream('assistant', {}, { input: 'Weather?', tools: [weatherTool] });
    const seen: string[] = [];
    for await (const part of run.parts) seen.push(part.type);
    expect(seen).toEqual([
      'tool-input-start',
      'tool-input-delta',
      'tool-input-delta',
      'tool-input-end',
      'tool-call',
      'finish',
    ]);
    const result = await run.result;
    expect(result).toMatchObject({
      finishReason: 'tool-calls',
      toolCalls: [{ toolName: 'weather', input: { city: 'Paris' } }],
      usage: { inputTokens: 30, outputTokens: 9 },
    });
  });
});

describe('cancellation', () => {
  /** A model that answers only when its signal aborts (then it rejects as fetch does). */
  function hangingModel() {
    const seen: AbortSignal[] = [];
    const model = new MockLanguageModelV3({
      doGenerate: (options) => {
        const signal = options.abortSignal as AbortSignal;
        seen.push(signal);
        return new Promise((_, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
      },
    });
    return { model, seen };
  }

  it('rejects at once with CANCELLED, aborts the call, runs no fallback, gives the budget back and records cancelled', async () => {
    const { model, seen } = hangingModel();
    // A call may cost $4.12 (4,096 output tokens at $1,000 per million): a $6 hourly cap holds one at a time.
    const budgeted = feature({ policy: { budget: { perUnitHourlyUsd: 6 } } });
    const { sy, store, legacyRuns } = await client(model, [budgeted]);
    const cancelled = async (index: number) => {
      const controller = new AbortController();
      const running = sy
        .run('assistant', { attributes: { userId: 'u1' } }, { input: 'hi', signal: controller.signal })
        .catch((caught: unknown) => caught);
      await expect.poll(() => seen.length).toBe(index + 1);
      const reason = new DOMException('the user pressed stop', 'AbortError');
      controller.abort(reason);
      expect(await running).toMatchObject({ name: 'CancelledError', code: 'CANCELLED', reason });
      expect(seen[index]?.aborted).toBe(true);
    };
    await cancelled(0);
    // The second call reaches the model only if the first one's reservation was given back.
    await cancelled(1);
    expect(legacyRuns()).toBe(0);
    expect(model.doGenerateCalls).toHaveLength(2);
    // A signal aborted before the run starts cancels it before any work.
    await expect(
      sy.run('assistant', { attributes: { userId: 'u1' } }, { input: 'hi', signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(model.doGenerateCalls).toHaveLength(2);
    await sy.close();
    const { events } = await store.listEvents({ feature: 'assistant', limit: 100 });
    const calls = events.flatMap((event) => (event.type === 'call' ? [event] : []));
    const runs = calls.filter((event) => event.scope === 'run');
    expect(runs.map((event) => event.outcome)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(calls.every((event) => event.errorClass === null && event.outcome === 'cancelled')).toBe(true);
    // Pressing stop is no request of the variant's: it moves neither the error rate nor its denominator.
    const to = Date.now() + 60_000;
    const metrics = await store.metricsByVariant({ feature: 'assistant', from: to - 3_600_000, to });
    const agent = metrics.totals.find((entry) => entry.variant === 'agent');
    expect(agent).toMatchObject({ requests: 0, errors: 0, errorRate: null });
  });
});

describe('runAll()', () => {
  it("charges each unit's own budget, so one user's spending never refuses another", async () => {
    const model = new MockLanguageModelV3({
      doGenerate: () => Promise.resolve(reply([{ type: 'text', text: 'draft' }])),
    });
    // 20 input + 8 output tokens at $1,000 per million cost $0.028 a call; the reservation needs room for 4,096 more.
    const budgeted = feature({ policy: { budget: { perUnitHourlyUsd: 5 } } });
    const { sy } = await client(model, [budgeted]);
    const spend = (userId: string) =>
      sy.runAll(
        'assistant',
        { attributes: { userId } },
        { input: 'hi', parameters: { maxOutputTokens: 100 } },
        { variants: ['agent', 'agent'] },
      );
    let refusedA = false;
    for (let round = 0; round < 100 && !refusedA; round++) {
      const group = await spend('user-a');
      refusedA = group.results.some((entry) => entry.error?.code === 'BUDGET_EXCEEDED');
    }
    expect(refusedA).toBe(true);
    const groupB = await spend('user-b');
    expect(groupB.results.map((entry) => entry.value)).toEqual(['draft', 'draft']);
  });

  it("keeps the unit's experiment arm, and records attempt and run events for each entry", async () => {
    const model = new MockLanguageModelV3({
      doGenerate: () => Promise.resolve(reply([{ type: 'text', text: 'draft' }])),
    });
    const experiment = feature({
      rules: [
        {
          id: 'test',
          split: { agent: 1, legacy: 1 },
          experiment: { key: 'assistant-test', status: 'running' },
        },
      ],
    });
    const { sy, store } = await client(model, [experiment]);
    // The unit already holds an arm from another process: runAll honours it, and stores none of its own.
    const seed = 'assistant';
    await store.assignOnce({ experiment: 'assistant-test', unitId: 'u9', variant: 'legacy', seed, at: 1 });
    const held = await sy.runAll(
      'assistant',
      { attributes: { userId: 'u9' } },
      { input: 'hi' },
      { variants: ['agent'] },
    );
    expect(held.results[0]?.value).toBe('draft');
    // A unit new to the experiment is enrolled by runAll as by run(): its arm is stored.
    await sy.runAll('assistant', { attributes: { userId: 'u10' } }, { input: 'hi' }, { variants: ['agent'] });
    await expect
      .poll(() => store.findAssignment('assistant-test', 'u10'))
      .toMatchObject({ experiment: 'assistant-test' });
    expect(await store.findAssignment('assistant-test', 'u9')).toMatchObject({ variant: 'legacy' });
    const group = await sy.runAll(
      'assistant',
      { attributes: { userId: 'u9' } },
      { input: 'hi' },
      { variants: ['agent', 'legacy'] },
    );
    expect(group.results.map((entry) => entry.value)).toEqual(['draft', 'legacy answer']);
    expect(group.results[0]?.answer?.finishReason).toBe('stop');
    const events = await runEvents(sy, store, group.requestId);
    expect(events.filter((event) => event.scope === 'attempt')).toHaveLength(2);
    expect(events.filter((event) => event.scope === 'run').map((event) => event.unitId)).toEqual([
      'u9',
      'u9',
    ]);
  });
});
