import { describe, expect, it } from 'vitest';
import { type ChatCompletionRequest, messageText, promptTokenCount } from '../../testing/chat-request.js';
import type { FakeUpstream } from '../../testing/index.js';
import { estimateTokens as fakeTokens } from '../../testing/token-estimate.js';
import { ModelCallError } from './model-call-error.js';
import type { ChatMessage } from './model-request.js';
import { callVariant, useFakeUpstream } from './upstream-harness.case.js';

const startModel = useFakeUpstream();

const question: ChatMessage[] = [{ role: 'user', content: 'Describe a persona for a coffee app.' }];

const personaSchema = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1 }, age: { type: 'integer', minimum: 0 } },
  required: ['name', 'age'],
  additionalProperties: false,
};

/** What the fake billed for these requests and replies, by its own counting. */
function billed(requests: ChatCompletionRequest[], replies: string[]) {
  return {
    inputTokens: requests.reduce((sum, request) => sum + promptTokenCount(request), 0),
    outputTokens: replies.reduce((sum, reply) => sum + fakeTokens(reply), 0),
    cachedInputTokens: 0,
    reasoningTokens: 0,
  };
}

async function failure(promise: Promise<unknown>): Promise<ModelCallError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ModelCallError);
  return error as ModelCallError;
}

describe('callModel: plain text', () => {
  it('returns the reply with the token usage the provider reported', async () => {
    const { model, requests } = await startModel({ reply: 'Meet Ada, a barista.' });
    const result = await callVariant({
      model,
      variant: { temperature: 0.2, maxTokens: 100 },
      messages: question,
    });
    expect(result.text).toBe('Meet Ada, a barista.');
    expect(result.usage).toEqual(billed(requests, ['Meet Ada, a barista.']));
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.finishReason).toBe('stop');
    expect(result.repaired).toBe(false);
    expect(result.object).toBeUndefined();
    expect(result.responseHeaders?.['content-type']).toContain('application/json');
    expect(requests[0]).toMatchObject({ model: 'gpt-fake', temperature: 0.2, max_tokens: 100 });
  });

  it("sends the variant's system prompt once, even when the messages already start with it", async () => {
    const { model, requests } = await startModel();
    const variant = { system: 'You are terse.' };
    await callVariant({ model, variant, messages: question });
    await callVariant({
      model,
      variant,
      messages: [{ role: 'system', content: 'You are terse.' }, ...question],
    });
    for (const request of requests) {
      const systems = request.messages.filter((message) => message.role === 'system');
      expect(systems.map(messageText)).toEqual(['You are terse.']);
    }
  });

  it('keeps system messages where the caller placed them', async () => {
    const { model, requests } = await startModel();
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
      { role: 'system', content: 'Now answer in French.' },
      { role: 'user', content: 'How are you?' },
    ];
    await callVariant({ model, variant: {}, messages });
    expect(requests[0]?.messages.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'system',
      'user',
    ]);
  });
});

describe('callModel: structured output', () => {
  it('requests the schema and returns the parsed object', async () => {
    const { model, requests } = await startModel({ reply: '{"name":"Ada","age":34}' });
    const result = await callVariant({
      model,
      variant: { output: { name: 'persona', schema: personaSchema } },
      messages: question,
    });
    expect(result.object).toEqual({ name: 'Ada', age: 34 });
    expect(result.repaired).toBe(false);
    const format = requests[0]?.response_format;
    expect(format).toMatchObject({ type: 'json_schema', json_schema: { name: 'persona', strict: true } });
  });

  it('sends a schema outside the strict subset non-strict', async () => {
    const { model, requests } = await startModel({ reply: '{"name":"Ada"}' });
    const loose = { type: 'object', properties: { name: { type: 'string' } } };
    const result = await callVariant({ model, variant: { output: { schema: loose } }, messages: question });
    expect(result.object).toEqual({ name: 'Ada' });
    expect(requests[0]?.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { strict: false },
    });
  });

  it('repairs a schema-invalid reply once, showing the model its reply and the problem', async () => {
    const replies = ['{"name":"Ada","age":-3}', '{"name":"Ada","age":3}'];
    const { model, requests, upstream } = await startModel({
      reply: (request) => (request.messages.length === 1 ? replies[0] : replies[1]) ?? '',
    });
    const result = await callVariant({
      model,
      variant: { output: { schema: personaSchema } },
      messages: question,
    });
    expect(result.object).toEqual({ name: 'Ada', age: 3 });
    expect(result.repaired).toBe(true);
    expect(upstream.stats().requests).toBe(2);
    expect(result.usage).toEqual(billed(requests, replies));
    const repair = requests[1]?.messages ?? [];
    expect(repair.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(messageText(repair[1] ?? { role: '' })).toBe(replies[0]);
    expect(messageText(repair[2] ?? { role: '' })).toMatch(/age/);
  });

  it('fails with parse_error when the repaired reply still is not JSON, counting both requests', async () => {
    const { model, requests, upstream } = await startModel({
      reply: 'Sure! Here is your persona: {name: Ada',
    });
    const error = await failure(
      callVariant({ model, variant: { output: { schema: personaSchema } }, messages: question }),
    );
    expect(error.errorClass).toBe('parse_error');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/after one repair attempt/);
    expect(upstream.stats().requests).toBe(2);
    const reply = 'Sure! Here is your persona: {name: Ada';
    expect(error.usage).toEqual(billed(requests, [reply, reply]));
  });

  it('fails with schema_invalid when the repaired reply still breaks the schema', async () => {
    const { model, upstream } = await startModel({ reply: '{"name":""}' });
    const error = await failure(
      callVariant({ model, variant: { output: { schema: personaSchema } }, messages: question }),
    );
    expect(error.errorClass).toBe('schema_invalid');
    expect(error.message).toMatch(/age/);
    expect(upstream.stats().requests).toBe(2);
  });

  it('charges the first request when the repair request fails at the provider', async () => {
    const broken: { upstream?: FakeUpstream } = {};
    const { model, requests, upstream } = await startModel({
      reply: () => {
        // The next request, the repair, meets an outage.
        broken.upstream?.setModel('gpt-fake', { faults: { errorRate: 1, status: 500 } });
        return '{"name":"Ada"}';
      },
    });
    broken.upstream = upstream;
    const error = await failure(
      callVariant({ model, variant: { output: { schema: personaSchema } }, messages: question }),
    );
    expect(error).toMatchObject({ errorClass: 'server_error', retryable: true, status: 500 });
    expect(error.usage).toEqual(billed(requests, ['{"name":"Ada"}']));
    expect(upstream.stats().requests).toBe(2);
  });

  it('does not repair when the policy turns repair off', async () => {
    const { model, upstream } = await startModel({ reply: 'not json' });
    const error = await failure(
      callVariant({
        model,
        variant: { output: { schema: personaSchema } },
        messages: question,
        guards: { repair: false },
      }),
    );
    expect(error.errorClass).toBe('parse_error');
    expect(upstream.stats().requests).toBe(1);
  });

  it('treats an empty reply as a parse failure and repairs it without echoing the empty reply', async () => {
    const { model, upstream, requests } = await startModel({ reply: '' });
    const error = await failure(
      callVariant({ model, variant: { output: { schema: personaSchema } }, messages: question }),
    );
    expect(error.errorClass).toBe('parse_error');
    expect(upstream.stats().requests).toBe(2);
    expect(requests[1]?.messages.map((message) => message.role)).toEqual(['user', 'user']);
  });

  it('rejects a schema the validator cannot compile without calling the provider', async () => {
    const { model, upstream } = await startModel();
    const error = await failure(
      callVariant({ model, variant: { output: { schema: { type: 'no-such-type' } } }, messages: question }),
    );
    expect(error.errorClass).toBe('client_error');
    expect(error.message).toMatch(/output\.schema/);
    expect(upstream.stats().requests).toBe(0);
  });
});

describe('callModel: output guards', () => {
  it('rejects a reply containing a banned phrase, whatever its case', async () => {
    const { model } = await startModel({ reply: 'As An AI Language Model, I cannot.' });
    const error = await failure(
      callVariant({
        model,
        variant: {},
        messages: question,
        guards: { bannedPhrases: ['as an ai language model'] },
      }),
    );
    expect(error.errorClass).toBe('guard_failed');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/banned phrase/);
    expect(error.usage?.outputTokens).toBeGreaterThan(0);
  });

  it('rejects a reply a guard refuses, with the guard’s reason', async () => {
    const { model } = await startModel({ reply: 'Call me at 555-0100.' });
    const noPhoneNumbers = (text: string) => (/\d{3}-\d{4}/.test(text) ? 'contains a phone number' : null);
    const error = await failure(
      callVariant({ model, variant: {}, messages: question, guards: { guards: [noPhoneNumbers] } }),
    );
    expect(error.errorClass).toBe('guard_failed');
    expect(error.message).toBe('contains a phone number');
  });

  it('passes a reply every guard accepts', async () => {
    const { model } = await startModel({ reply: 'A calm reply.' });
    const result = await callVariant({
      model,
      variant: {},
      messages: question,
      guards: { bannedPhrases: ['as an ai'], guards: [() => null] },
    });
    expect(result.text).toBe('A calm reply.');
  });
});

describe('callModel: provider failures', () => {
  it('classifies an HTTP error and never retries by itself', async () => {
    const { model, upstream } = await startModel({
      faults: { errorRate: 1, status: 503, retryAfterSeconds: 3 },
    });
    const error = await failure(callVariant({ model, variant: {}, messages: question }));
    expect(error).toMatchObject({
      errorClass: 'server_error',
      retryable: true,
      status: 503,
      retryAfterMs: 3000,
    });
    expect(upstream.stats().requests).toBe(1);
  });

  it('reports an abort by a timeout signal as a retryable timeout', async () => {
    const { model } = await startModel({ faults: { timeoutRate: 1 } });
    const error = await failure(
      callVariant({ model, variant: {}, messages: question, abortSignal: AbortSignal.timeout(50) }),
    );
    expect(error).toMatchObject({ errorClass: 'timeout', retryable: true });
  });
});
