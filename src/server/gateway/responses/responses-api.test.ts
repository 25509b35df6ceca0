import { createOpenAI } from '@ai-sdk/openai';
import type {
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3StreamPart,
} from '@ai-sdk/provider';
import { generateObject, generateText, stepCountIs, streamText, tool } from 'ai';
import { convertArrayToReadableStream, MockLanguageModelV3 } from 'ai/test';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { FeatureConfigInput } from '../../../core/feature-config.js';
import { startGateway, type TestGateway } from '../gateway.test-helper.js';

/**
 * A model that answers like a weather agent's upstream: with tools offered and no tool result yet, it calls
 * `weather` for Paris; after a tool result, it reports it; asked for JSON, it answers JSON; else it greets.
 */
function agentReply(options: LanguageModelV3CallOptions): {
  content: LanguageModelV3Content[];
  finish: 'stop' | 'tool-calls' | 'length';
} {
  const last = options.prompt.at(-1);
  if (last?.role === 'tool') {
    const result = last.content[0];
    const value = result?.type === 'tool-result' && result.output.type === 'text' ? result.output.value : '?';
    return { content: [{ type: 'text', text: `The weather tool says: ${value}.` }], finish: 'stop' };
  }
  if (options.responseFormat?.type === 'json') {
    return { content: [{ type: 'text', text: '{"city":"Paris","sunny":true}' }], finish: 'stop' };
  }
  if (options.tools?.some((offered) => offered.name === 'weather')) {
    return {
      content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: '{"city":"Paris"}' }],
      finish: 'tool-calls',
    };
  }
  if (options.maxOutputTokens === 3) {
    return { content: [{ type: 'text', text: 'Hello from' }], finish: 'length' };
  }
  return { content: [{ type: 'text', text: 'Hello from the model.' }], finish: 'stop' };
}

const usage = {
  inputTokens: { total: 12, noCache: 12, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};

const model = new MockLanguageModelV3({
  doGenerate: async (options) => {
    const { content, finish } = agentReply(options);
    return { content, finishReason: { unified: finish, raw: finish }, usage, warnings: [] };
  },
  doStream: async (options) => {
    const { content, finish } = agentReply(options);
    const parts: LanguageModelV3StreamPart[] = [{ type: 'stream-start', warnings: [] }];
    for (const part of content) {
      if (part.type === 'text') {
        parts.push({ type: 'text-start', id: 't1' });
        for (const word of part.text.split(/(?<= )/))
          parts.push({ type: 'text-delta', id: 't1', delta: word });
        parts.push({ type: 'text-end', id: 't1' });
      } else if (part.type === 'tool-call') {
        parts.push({ type: 'tool-input-start', id: part.toolCallId, toolName: part.toolName });
        parts.push({ type: 'tool-input-delta', id: part.toolCallId, delta: part.input.slice(0, 5) });
        parts.push({ type: 'tool-input-delta', id: part.toolCallId, delta: part.input.slice(5) });
        parts.push({ type: 'tool-input-end', id: part.toolCallId });
        parts.push(part);
      }
    }
    parts.push({ type: 'finish', finishReason: { unified: finish, raw: finish }, usage });
    return { stream: convertArrayToReadableStream(parts) };
  },
});

const assistant: FeatureConfigInput = {
  key: 'assistant',
  defaultVariant: 'agent',
  variants: { agent: { type: 'llm', provider: 'scripted', model: 'agent-model' } },
};

const weather = {
  type: 'function' as const,
  name: 'weather',
  description: 'The weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: true,
};

let gateway: TestGateway;
let baseURL: string;
let openai: OpenAI;

beforeAll(async () => {
  gateway = await startGateway([assistant], { scripted: { languageModel: () => model } });
  baseURL = await gateway.listen();
  openai = new OpenAI({ baseURL, apiKey: 'unused', maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.close();
});

describe('POST /v1/responses with the openai client', () => {
  it('answers text with output_text, usage and the request id', async () => {
    const response = await openai.responses.create({ model: 'switchyard/assistant', input: 'Hi' });
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Hello from the model.');
    expect(response.output[0]).toMatchObject({ type: 'message', role: 'assistant', status: 'completed' });
    expect(response.usage).toMatchObject({ input_tokens: 12, output_tokens: 5, total_tokens: 17 });
    expect(response.id).toMatch(/^resp_/);
  });

  it('says incomplete with the reason when the model stopped at the token cap', async () => {
    const response = await openai.responses.create({
      model: 'switchyard/assistant',
      input: 'Hi',
      max_output_tokens: 3,
    });
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
  });

  it('calls a function tool, then answers from its output through previous_response_id', async () => {
    const first = await openai.responses.create({
      model: 'switchyard/assistant',
      input: 'Weather in Paris?',
      tools: [weather],
    });
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ name: 'weather', call_id: 'call_1', arguments: '{"city":"Paris"}' });
    const second = await openai.responses.create({
      model: 'switchyard/assistant',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: 'call_1', output: 'sunny, 21 °C' }],
      tools: [weather],
    });
    expect(second.output_text).toBe('The weather tool says: sunny, 21 °C.');
    expect(second.previous_response_id).toBe(first.id);
  });

  it('takes the whole conversation as items when nothing is stored', async () => {
    const response = await openai.responses.create({
      model: 'switchyard/assistant',
      store: false,
      instructions: 'Be brief.',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris?' }] },
        { type: 'function_call', call_id: 'call_9', name: 'weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_9', output: 'rain' },
      ],
      tools: [weather],
    });
    expect(response.output_text).toBe('The weather tool says: rain.');
    expect(model.doGenerateCalls.at(-1)?.prompt).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        content: [{ type: 'tool-call', toolCallId: 'call_9', toolName: 'weather', input: { city: 'Paris' } }],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'call_9',
            toolName: 'weather',
            output: { type: 'text', value: 'rain' },
          },
        ],
      },
    ]);
  });

  it('streams OpenAI event types: text deltas, then function-call argument deltas', async () => {
    const text = await openai.responses.create({ model: 'switchyard/assistant', input: 'Hi', stream: true });
    const types: string[] = [];
    let deltas = '';
    for await (const event of text) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') deltas += event.delta;
    }
    expect(deltas).toBe('Hello from the model.');
    expect(types[0]).toBe('response.created');
    expect(types).toContain('response.output_item.added');
    expect(types.at(-1)).toBe('response.completed');

    const calls = await openai.responses.create({
      model: 'switchyard/assistant',
      input: 'Weather in Paris?',
      tools: [weather],
      stream: true,
    });
    let args = '';
    let done: unknown;
    for await (const event of calls) {
      if (event.type === 'response.function_call_arguments.delta') args += event.delta;
      if (event.type === 'response.completed') done = event.response.output;
    }
    expect(args).toBe('{"city":"Paris"}');
    expect(done).toEqual([
      expect.objectContaining({ type: 'function_call', name: 'weather', status: 'completed' }),
    ]);
  });

  it('refuses what it cannot honour with a 400 naming the field', async () => {
    const refused = async (body: Record<string, unknown>) => {
      const response = await fetch(`${baseURL}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'switchyard/assistant', input: 'Hi', ...body }),
      });
      expect(response.status).toBe(400);
      return ((await response.json()) as { error: { param: string } }).error.param;
    };
    expect(await refused({ tools: [{ type: 'web_search' }] })).toBe('tools[0].type');
    expect(await refused({ conversation: 'conv_1' })).toBe('conversation');
    expect(await refused({ previous_response_id: 'resp_unknown' })).toBe('previous_response_id');
    expect(await refused({ background: true })).toBe('background');
    expect(await refused({ input: [{ type: 'function_call_output', call_id: 'x', output: 'y' }] })).toBe(
      'input[0].call_id',
    );
  });
});

describe('POST /v1/responses with the AI SDK', () => {
  it("runs openai(model) with a tool over two steps, as the AI SDK's default provider does", async () => {
    const provider = createOpenAI({ baseURL, apiKey: 'unused' });
    const result = await generateText({
      model: provider('switchyard/assistant'),
      prompt: 'Weather in Paris?',
      tools: {
        weather: tool({
          description: 'The weather in a city',
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => `sunny in ${city}`,
        }),
      },
      stopWhen: stepCountIs(3),
    });
    expect(result.steps).toHaveLength(2);
    expect(result.text).toBe('The weather tool says: sunny in Paris.');
  });

  it('streams text and generates an object', async () => {
    const provider = createOpenAI({ baseURL, apiKey: 'unused' });
    const stream = streamText({ model: provider('switchyard/assistant'), prompt: 'Hi' });
    let text = '';
    for await (const delta of stream.textStream) text += delta;
    expect(text).toBe('Hello from the model.');

    const { object } = await generateObject({
      model: provider('switchyard/assistant'),
      schema: z.object({ city: z.string(), sunny: z.boolean() }),
      prompt: 'Is it sunny in Paris?',
    });
    expect(object).toEqual({ city: 'Paris', sunny: true });
  });
});
