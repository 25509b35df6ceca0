import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrokenStreamUpstream,
  startBrokenStreamUpstream,
} from '../../runtime/client/broken-stream-upstream.test-helper.js';
import { type FakeUpstream, startFakeUpstream } from '../../testing/index.js';
import {
  COACH_REPLY,
  coachFeature,
  coachWith,
  startGateway,
  type TestGateway,
} from './gateway.test-helper.js';

let upstream: FakeUpstream;
let cut: BrokenStreamUpstream;
let gateway: TestGateway;
let openai: OpenAI;
const messages = [{ role: 'user' as const, content: 'I ran today' }];

beforeAll(async () => {
  upstream = await startFakeUpstream({
    models: { 'gpt-4o-mini': { reply: COACH_REPLY }, broken: { faults: { errorRate: 1, status: 500 } } },
  });
  cut = await startBrokenStreamUpstream({ chunks: ['Hello', ' there'], ending: 'cut' });
  gateway = await startGateway(
    [
      coachFeature,
      coachWith('coach-broken', 'fake', 'broken', { retry: { maxRetries: 0 } }),
      coachWith('coach-cut', 'cut', 'cut-model'),
      coachWith('coach-limited', 'fake', 'gpt-4o-mini', {
        rateLimit: { defaultTier: 'free', tiers: { free: { limit: 1 } } },
      }),
    ],
    {
      fake: { type: 'openai-compatible', baseURL: upstream.url },
      cut: { type: 'openai-compatible', baseURL: cut.url },
    },
  );
  openai = new OpenAI({ apiKey: 'sy-test', baseURL: await gateway.listen(), maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await gateway.store.close();
  await Promise.all([upstream.close(), cut.close()]);
});
afterEach(() => {
  upstream.reset();
});

describe('the gateway through the official openai client', () => {
  it('answers a chat completion in the OpenAI shape with x-switchyard headers', async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: 'switchyard/coach-reply', messages, user: 'u1' })
      .withResponse();
    expect(data).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: COACH_REPLY }, finish_reason: 'stop' }],
    });
    const requestId = response.headers.get('x-switchyard-request-id');
    expect(data.id).toBe(`chatcmpl-${requestId}`);
    expect(data.usage?.total_tokens).toBe(
      (data.usage?.prompt_tokens ?? 0) + (data.usage?.completion_tokens ?? 0),
    );
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);
    expect(
      Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('x-switchyard-'))),
    ).toEqual({
      'x-switchyard-request-id': requestId,
      'x-switchyard-variant': 'v2',
      'x-switchyard-reason': 'TARGETING_MATCH',
      'x-switchyard-cache': 'miss',
      'x-switchyard-fallback': 'none',
    });
  });

  it('streams chunks with for await, then the usage chunk, with the headers sent first', async () => {
    const { data: stream, response } = await openai.chat.completions
      .create({
        model: 'switchyard/coach-reply',
        messages,
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    expect(response.headers.get('x-switchyard-variant')).toBe('v2');
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const contents: string[] = [];
    const finishReasons: Array<string | null> = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      expect(chunk.id).toBe(`chatcmpl-${response.headers.get('x-switchyard-request-id')}`);
      if (chunk.choices[0]?.delta.content) contents.push(chunk.choices[0].delta.content);
      if (chunk.choices[0]) finishReasons.push(chunk.choices[0].finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(contents.length).toBeGreaterThan(3);
    expect(contents.join('')).toBe(COACH_REPLY);
    expect(finishReasons.at(-1)).toBe('stop');
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('surfaces a fallback in the headers, and names a handler variant as the model', async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: 'switchyard/coach-broken', messages })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('legacy: I ran today');
    expect(data.model).toBe('switchyard/coach-broken:v1');
    expect(response.headers.get('x-switchyard-variant')).toBe('v1');
    expect(response.headers.get('x-switchyard-fallback')).toBe('v2');
  });

  it('falls back before the first streamed chunk when the model fails', async () => {
    const { data: stream, response } = await openai.chat.completions
      .create({ model: 'switchyard/coach-broken', messages, stream: true })
      .withResponse();
    expect(response.headers.get('x-switchyard-fallback')).toBe('v2');
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('legacy: I ran today');
  });

  it('ends a stream that breaks after its first chunk with an error, after the text already sent', async () => {
    const stream = await openai.chat.completions.create({
      model: 'switchyard/coach-cut',
      messages,
      stream: true,
    });
    let text = '';
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((error: unknown) => error);
    expect(text).toBe('Hello there');
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).message).toMatch(/broke off/);
  });

  it('takes the feature from the x-switchyard-feature header whatever the model says', async () => {
    const { response } = await openai.chat.completions
      .create({ model: 'gpt-4o', messages }, { headers: { 'x-switchyard-feature': 'coach-broken' } })
      .withResponse();
    expect(response.headers.get('x-switchyard-variant')).toBe('v1');
  });

  it('raises RateLimitError with retry-after when the unit is over its limit', async () => {
    const ask = () =>
      openai.chat.completions.create({ model: 'switchyard/coach-limited', messages, user: 'u-limit' });
    await ask();
    const error = await ask().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const limited = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(Number(limited.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.code).toBe('rate_limit_exceeded');
  });

  it('lists the features as models', async () => {
    const ids: string[] = [];
    for await (const model of openai.models.list()) ids.push(model.id);
    expect(ids).toEqual([
      'switchyard/coach-broken',
      'switchyard/coach-cut',
      'switchyard/coach-limited',
      'switchyard/coach-reply',
    ]);
    expect((await openai.models.retrieve('switchyard/coach-reply')).id).toBe('switchyard/coach-reply');
    await expect(openai.models.retrieve('switchyard/nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});
