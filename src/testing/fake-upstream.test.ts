import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidConfigError } from '../core/errors.js';
import {
  chatBody,
  chunksOf,
  completionOf,
  errorOf,
  fromEnd,
  postChat,
  readSseData,
} from './chat-client.test-helper.js';
import { type FakeUpstream, startFakeUpstream } from './fake-upstream.js';
import type { FakeUpstreamOptions } from './fake-upstream-options.js';

const running: FakeUpstream[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((upstream) => upstream.close()));
});

async function start(options: FakeUpstreamOptions): Promise<FakeUpstream> {
  const upstream = await startFakeUpstream(options);
  running.push(upstream);
  return upstream;
}

const clock = () => 1_700_000_000_500;

describe('startFakeUpstream: completions', () => {
  it('answers a plain completion in exactly the OpenAI shape, deterministically', async () => {
    const upstream = await start({ models: { 'gpt-fake': {} }, clock });
    expect(upstream.url).toBe(`http://127.0.0.1:${upstream.port}/v1`);
    const response = await postChat(upstream.url, chatBody('gpt-fake', 'Plan my week, please'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = await completionOf(response);
    expect(body).toMatchObject({
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-fake',
      choices: [{ index: 0, message: { role: 'assistant' }, finish_reason: 'stop' }],
    });
    expect(body.id).toMatch(/^chatcmpl-/);
    const content: string = body.choices[0].message.content;
    expect(content).toContain('gpt-fake');
    expect(content).toContain('Plan my week, please');
    expect(body.usage.completion_tokens).toBe(Math.ceil(content.length / 4));
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
    const again = await completionOf(postChat(upstream.url, chatBody('gpt-fake', 'Plan my week, please')));
    expect(again.choices[0].message.content).toBe(content);
    expect(again.id).not.toBe(body.id);
  });

  it('uses a fixed reply, or a reply function that receives the parsed request', async () => {
    const seen: unknown[] = [];
    const upstream = await start({
      models: {
        fixed: { reply: 'Always this.' },
        computed: {
          reply: (request) => {
            seen.push(request);
            return `temperature ${String(request.temperature)}`;
          },
        },
      },
    });
    const fixed = await completionOf(postChat(upstream.url, chatBody('fixed', 'hi')));
    expect(fixed.choices[0].message.content).toBe('Always this.');
    const body = chatBody('computed', 'hi', { temperature: 0.2 });
    const computed = await completionOf(postChat(upstream.url, body));
    expect(computed.choices[0].message.content).toBe('temperature 0.2');
    expect(seen).toEqual([body]);
  });

  it('streams the same content and usage as the plain answer, with a final usage chunk', async () => {
    const upstream = await start({ models: { m: { reply: 'A streamed reply of some length.' } } });
    const plain = await completionOf(postChat(upstream.url, chatBody('m', 'go')));
    const response = await postChat(
      upstream.url,
      chatBody('m', 'go', { stream: true, stream_options: { include_usage: true } }),
    );
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = await readSseData(response);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = chunksOf(events);
    const first = fromEnd(chunks, chunks.length);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.id === first.id)).toBe(
      true,
    );
    expect(first.choices[0].delta).toEqual({ role: 'assistant', content: '' });
    const usageChunk = fromEnd(chunks);
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toEqual(plain.usage);
    const choiceChunks = chunks.slice(0, -1);
    expect(choiceChunks.every((chunk) => chunk.usage === null)).toBe(true);
    expect(fromEnd(choiceChunks).choices[0].finish_reason).toBe('stop');
    const streamed = choiceChunks.map((chunk) => chunk.choices[0].delta.content ?? '').join('');
    expect(streamed).toBe(plain.choices[0].message.content);
    // One chunk per estimated token, so a client counting chunks agrees with the usage.
    expect(choiceChunks.length - 2).toBe(plain.usage.completion_tokens);
  });

  it('leaves usage out of the stream unless the client asks for it', async () => {
    const upstream = await start({ models: { m: {} } });
    const events = await readSseData(await postChat(upstream.url, chatBody('m', 'go', { stream: true })));
    const chunks = chunksOf(events);
    expect(chunks.some((chunk) => 'usage' in chunk)).toBe(false);
    expect(fromEnd(chunks).choices[0].finish_reason).toBe('stop');
  });

  it('cuts the reply at max_tokens / max_completion_tokens with finish_reason length', async () => {
    const upstream = await start({ models: { m: { reply: 'x'.repeat(100) } } });
    const capped = await completionOf(postChat(upstream.url, chatBody('m', 'go', { max_tokens: 5 })));
    expect(capped.choices[0]).toMatchObject({
      finish_reason: 'length',
      message: { content: 'x'.repeat(20) },
    });
    expect(capped.usage.completion_tokens).toBe(5);
    const newer = await completionOf(
      postChat(upstream.url, chatBody('m', 'go', { max_tokens: 50, max_completion_tokens: 3 })),
    );
    expect(newer.usage.completion_tokens).toBe(3);
    const events = await readSseData(
      await postChat(
        upstream.url,
        chatBody('m', 'go', { max_tokens: 5, stream: true, stream_options: { include_usage: true } }),
      ),
    );
    const chunks = chunksOf(events);
    expect(fromEnd(chunks, 2).choices[0].finish_reason).toBe('length');
    expect(fromEnd(chunks).usage).toEqual(capped.usage);
    const roomy = await completionOf(postChat(upstream.url, chatBody('m', 'go', { max_tokens: 25 })));
    expect(roomy.choices[0].finish_reason).toBe('stop');
  });

  it('answers json_schema requests with JSON that satisfies the schema', async () => {
    const upstream = await start({ models: { m: {} } });
    const persona = z.object({
      name: z.string().min(2),
      age: z.int().gte(18),
      interests: z.array(z.string()).min(3),
      tier: z.enum(['free', 'paid']),
      contact: z.object({ email: z.email() }),
    });
    const response_format = {
      type: 'json_schema',
      json_schema: { name: 'persona', schema: z.toJSONSchema(persona) },
    };
    const body = await completionOf(
      postChat(upstream.url, chatBody('m', 'make a persona', { response_format })),
    );
    const parsed = persona.parse(JSON.parse(body.choices[0].message.content));
    expect(parsed.interests).toHaveLength(3);
    expect(parsed.age).toBeGreaterThanOrEqual(18);
    const jsonObject = await completionOf(
      postChat(upstream.url, chatBody('m', 'hi', { response_format: { type: 'json_object' } })),
    );
    expect(JSON.parse(jsonObject.choices[0].message.content)).toEqual({ reply: expect.any(String) });
  });
});

describe('startFakeUpstream: endpoints and errors', () => {
  it('lists the configured models, and a model added at run time', async () => {
    const upstream = await start({ models: { a: {}, b: {} }, clock });
    const list = await (await fetch(`${upstream.url}/models`)).json();
    expect(list).toEqual({
      object: 'list',
      data: ['a', 'b'].map((id) => ({
        id,
        object: 'model',
        created: 1_700_000_000,
        owned_by: 'switchyard-fake',
      })),
    });
    upstream.setModel('c', {});
    const one = (await (await fetch(`${upstream.url}/models/c`)).json()) as { id: string };
    expect(one.id).toBe('c');
  });

  it('refuses unknown models, bad JSON, bad fields and unknown URLs with OpenAI-style errors', async () => {
    const upstream = await start({ models: { m: {} } });
    const unknown = await postChat(upstream.url, chatBody('nope', 'hi'));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: {
        message: expect.stringContaining('nope'),
        type: 'invalid_request_error',
        param: 'model',
        code: 'model_not_found',
      },
    });
    const badJson = await postChat(upstream.url, '{"model": "m", ');
    expect(badJson.status).toBe(400);
    expect(await errorOf(badJson)).toMatchObject({
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
    const noMessages = await postChat(upstream.url, { model: 'm', messages: [] });
    expect(noMessages.status).toBe(400);
    expect((await errorOf(noMessages)).param).toBe('messages');
    const badCap = await postChat(upstream.url, chatBody('m', 'hi', { max_tokens: 0 }));
    expect((await errorOf(badCap)).param).toBe('max_tokens');
    const unknownUrl = await fetch(`${upstream.url}/embeddings`, { method: 'POST', body: '{}' });
    expect(unknownUrl.status).toBe(404);
    expect((await errorOf(unknownUrl)).code).toBe('unknown_url');
    expect(upstream.stats().requests).toBe(4);
    expect(upstream.stats().byModel.m?.requests).toBe(0);
  });

  it('enforces the API key on every endpoint when one is set', async () => {
    const upstream = await start({ models: { m: {} }, apiKey: 'sk-test' });
    const missing = await postChat(upstream.url, chatBody('m', 'hi'));
    expect(missing.status).toBe(401);
    expect(await errorOf(missing)).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_api_key',
    });
    const wrong = await postChat(upstream.url, chatBody('m', 'hi'), {
      headers: { authorization: 'Bearer sk-other' },
    });
    expect(wrong.status).toBe(401);
    expect((await fetch(`${upstream.url}/models`)).status).toBe(401);
    const right = await postChat(upstream.url, chatBody('m', 'hi'), {
      headers: { authorization: 'Bearer sk-test' },
    });
    expect(right.status).toBe(200);
  });

  it('rejects a non-loopback host and other bad options, naming the field', async () => {
    const publicHost = startFakeUpstream({ host: '0.0.0.0' as '127.0.0.1', models: {} });
    await expect(publicHost).rejects.toBeInstanceOf(InvalidConfigError);
    await expect(publicHost).rejects.toMatchObject({ code: 'INVALID_CONFIG', path: 'host' });
    await expect(
      startFakeUpstream({ models: { m: { latencyMs: { distribution: 'normal', mean: 5, sd: -1 } } } }),
    ).rejects.toMatchObject({ path: 'models.m.latencyMs.sd' });
    await expect(startFakeUpstream({ models: { m: { faults: { errorRate: 2 } } } })).rejects.toMatchObject({
      path: 'models.m.faults.errorRate',
    });
  });
});

describe('startFakeUpstream: run-time control', () => {
  it('switches a model behaviour with setModel, and validates it', async () => {
    const upstream = await start({ models: { m: {} } });
    expect((await postChat(upstream.url, chatBody('m', 'hi'))).status).toBe(200);
    upstream.setModel('m', { faults: { errorRate: 1, status: 503, retryAfterSeconds: 2 } });
    const outage = await postChat(upstream.url, chatBody('m', 'hi'));
    expect(outage.status).toBe(503);
    upstream.setModel('m', {});
    expect((await postChat(upstream.url, chatBody('m', 'hi'))).status).toBe(200);
    expect(() => upstream.setModel('m', { tokensPerSecond: 0 })).toThrow(/models\.m\.tokensPerSecond/);
    expect(upstream.stats().byModel.m).toEqual({ requests: 3, faults: { error: 1 } });
  });

  it('counts requests per model and zeroes the counters on reset', async () => {
    const upstream = await start({ models: { a: {}, b: { faults: { errorRate: 1 } } } });
    await postChat(upstream.url, chatBody('a', 'hi'));
    await postChat(upstream.url, chatBody('b', 'hi'));
    await postChat(upstream.url, chatBody('b', 'hi'));
    expect(upstream.stats()).toEqual({
      requests: 3,
      byModel: { a: { requests: 1, faults: {} }, b: { requests: 2, faults: { error: 2 } } },
    });
    upstream.reset();
    expect(upstream.stats()).toEqual({
      requests: 0,
      byModel: { a: { requests: 0, faults: {} }, b: { requests: 0, faults: {} } },
    });
  });
});
