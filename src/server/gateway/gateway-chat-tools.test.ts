import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { FeatureConfigInput } from '../../core/feature-config.js';
import { type ChatCompletionRequest, type FakeUpstream, startFakeUpstream } from '../../testing/index.js';
import { startGateway, type TestGateway } from './gateway.test-helper.js';

const agent: FeatureConfigInput = {
  key: 'agent',
  defaultVariant: 'main',
  variants: { main: { type: 'llm', provider: 'fake', model: 'tool-model' } },
};
const recorded: FeatureConfigInput = {
  key: 'recorded',
  defaultVariant: 'main',
  variants: { main: { type: 'llm', provider: 'fake', model: 'recorder' } },
};
const onClaude: FeatureConfigInput = {
  key: 'on-claude',
  defaultVariant: 'main',
  variants: { main: { type: 'llm', provider: 'anthropic', model: 'claude-x' } },
};

const weather = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 7 } },
      required: ['city', 'days'],
      additionalProperties: false,
    },
    strict: true,
  },
};

let upstream: FakeUpstream;
let gateway: TestGateway;
let openai: OpenAI;
const seen: ChatCompletionRequest[] = [];

beforeAll(async () => {
  upstream = await startFakeUpstream({
    models: {
      'tool-model': {},
      recorder: {
        reply: (request) => {
          seen.push(request);
          return 'noted';
        },
      },
    },
  });
  gateway = await startGateway([agent, recorded, onClaude], {
    fake: { type: 'openai-compatible', baseURL: upstream.url },
    anthropic: { type: 'anthropic', apiKey: 'test', baseURL: 'http://127.0.0.1:9/v1' },
  });
  openai = new OpenAI({ apiKey: 'sy-test', baseURL: await gateway.listen(), maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await gateway.store.close();
  await upstream.close();
});

describe('chat completions with tools, through the official openai client', () => {
  it('round-trips a tool call: the call, then the answer once the tool result is sent', async () => {
    const first = await openai.chat.completions.create({
      model: 'switchyard/agent',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weather],
      tool_choice: 'auto',
      parallel_tool_calls: false,
    });
    const choice = first.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') throw new Error('no function call');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toMatchObject({ city: expect.any(String) });

    const second = await openai.chat.completions.create({
      model: 'switchyard/agent',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '{"sky":"clear"}' },
      ],
      tools: [weather],
    });
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(second.choices[0]?.message.content).toContain('reply');
    expect(second.usage).toMatchObject({
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
  });

  it('streams tool calls as delta.tool_calls chunks that the client assembles', async () => {
    const stream = openai.chat.completions.stream({
      model: 'switchyard/agent',
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tools: [weather],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      stream_options: { include_usage: true },
    });
    const deltas: unknown[] = [];
    stream.on('chunk', (chunk) => {
      const calls = chunk.choices[0]?.delta.tool_calls;
      if (calls) deltas.push(...calls);
    });
    const final = await stream.finalChatCompletion();
    expect(deltas.length).toBeGreaterThanOrEqual(2);
    expect(deltas[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'get_weather' } });
    const choice = final.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    const call = choice?.message.tool_calls?.[0];
    if (call?.type !== 'function') throw new Error('no function call');
    expect(JSON.parse(call.function.arguments)).toMatchObject({ city: expect.any(String) });
    expect(final.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('parses a zod response format with .parse()', async () => {
    const Plan = z.object({ title: z.string(), steps: z.array(z.string()), minutes: z.number() });
    const completion = await openai.chat.completions.parse({
      model: 'switchyard/agent',
      messages: [{ role: 'user', content: 'Plan a run' }],
      response_format: zodResponseFormat(Plan, 'plan'),
    });
    const parsed = completion.choices[0]?.message.parsed;
    expect(Plan.parse(parsed)).toEqual(parsed);
  });

  it('forwards sampling settings, stop sequences and multimodal parts to the provider', async () => {
    seen.length = 0;
    await openai.chat.completions.create({
      model: 'switchyard/recorded',
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ],
      temperature: 0.3,
      top_p: 0.9,
      seed: 42,
      stop: ['END'],
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      max_completion_tokens: 64,
      logit_bias: { '50256': -100 },
      reasoning_effort: 'low',
    });
    const request = seen[0] as Record<string, unknown> & ChatCompletionRequest;
    expect(request).toMatchObject({
      temperature: 0.3,
      top_p: 0.9,
      seed: 42,
      stop: ['END'],
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      max_tokens: 64,
      logit_bias: { '50256': -100 },
      reasoning_effort: 'low',
    });
    const user = request.messages[1] as unknown as { content: Array<{ type: string }> };
    expect(user.content.map((part) => part.type)).toEqual(['text', 'image_url']);
  });

  it('refuses, by name, what it cannot forward', async () => {
    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ n: 2 }, 'n'],
      [{ logprobs: true }, 'logprobs'],
      [{ metadata: { a: 'b' } }, 'metadata'],
      [{ store: true }, 'store'],
      [{ frobnicate: 1 }, 'body'],
      [{ tool_choice: 'required' }, 'tool_choice'],
      [{ model: 'switchyard/on-claude', logit_bias: { '1': 1 } }, 'logit_bias'],
    ];
    for (const [extra, param] of refusals) {
      const error = await openai.chat.completions
        .create({
          model: 'switchyard/recorded',
          messages: [{ role: 'user', content: 'hi' }],
          ...extra,
        } as never)
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error, JSON.stringify(extra)).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).param, JSON.stringify(extra)).toBe(param);
    }
  });

  it('refuses a tool message that answers no earlier call', async () => {
    const error = await openai.chat.completions
      .create({
        model: 'switchyard/agent',
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'tool', tool_call_id: 'call_nope', content: 'x' },
        ],
      })
      .catch((caught: unknown) => caught);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('messages[1].tool_call_id');
  });
});
