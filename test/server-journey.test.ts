import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/server/create-server.js';
import type { SwitchyardServer } from '../src/server/index.js';
import { type FakeUpstream, startFakeUpstream } from '../src/testing/index.js';

/**
 * The journey: serve, create a token, apply a feature over the API, call the gateway with the
 * official openai client (plain and streamed), and find the calls in /api/metrics, /api/stats and /api/export.
 */
describe('a new user, end to end', () => {
  let upstream: FakeUpstream;
  let server: SwitchyardServer;
  let base = '';
  let admin = '';

  beforeAll(async () => {
    upstream = await startFakeUpstream({
      models: { 'gpt-4o-mini': { reply: 'Keep going, you are doing well.' } },
    });
    server = await createServer({
      store: 'sqlite::memory:',
      port: 0,
      host: '127.0.0.1',
      providers: { openai: { type: 'openai-compatible', baseURL: upstream.url } },
      telemetry: { flushIntervalMs: 50 },
    });
    base = await server.listen();
    admin = server.adminToken as string;
  });
  afterAll(async () => {
    await server.close();
    await upstream.close();
  });

  const api = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, text: await response.text(), headers: response.headers };
  };

  it('goes from an empty server to metrics and an export of its own calls', async () => {
    const created = await api('POST', '/api/tokens', admin, { name: 'web-app', role: 'sdk' });
    expect(created.status).toBe(201);
    const sdkToken = JSON.parse(created.text).token as string;

    const feature = {
      key: 'coach-reply',
      defaultVariant: 'v2',
      variants: { v2: { type: 'llm', provider: 'openai', model: 'gpt-4o-mini', maxTokens: 100 } },
    };
    expect((await api('POST', '/api/features', admin, feature)).status).toBe(201);

    const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: sdkToken, maxRetries: 0 });
    // The server's runtime picks the new feature up from the store within a poll.
    await expect
      .poll(async () => (await client.models.list()).data.map((model) => model.id), { timeout: 2_000 })
      .toContain('switchyard/coach-reply');
    const plain = await client.chat.completions
      .create({
        model: 'switchyard/coach-reply',
        messages: [{ role: 'user', content: 'I ran 5 km' }],
        user: 'u-1',
      })
      .withResponse();
    expect(plain.data.choices[0]?.message.content).toBe('Keep going, you are doing well.');
    const requestId = plain.response.headers.get('x-switchyard-request-id') as string;
    expect(plain.response.headers.get('x-switchyard-variant')).toBe('v2');

    const stream = await client.chat.completions.create({
      model: 'switchyard/coach-reply',
      messages: [{ role: 'user', content: 'and tomorrow?' }],
      stream: true,
      user: 'u-2',
    });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).toBe('Keep going, you are doing well.');

    await expect
      .poll(
        async () => {
          const metrics = JSON.parse((await api('GET', '/api/metrics/coach-reply', admin)).text);
          return metrics.totals.find((entry: { variant: string }) => entry.variant === 'v2')?.requests;
        },
        { timeout: 5_000 },
      )
      .toBe(2);
    const stats = JSON.parse((await api('GET', '/api/stats', admin)).text);
    expect(stats.features[0]).toMatchObject({ feature: 'coach-reply' });

    const exported = await api('GET', '/api/export?format=csv&feature=coach-reply&type=call', admin);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(exported.text.split('\n')[0]).toMatch(/^id,/);
    expect(exported.text).toContain(requestId);

    const json = await api('GET', '/api/export?format=json&type=decision', admin);
    expect(JSON.parse(json.text)).toHaveLength(2);

    // An sdk token runs the gateway but cannot read analytics.
    expect((await api('GET', '/api/metrics/coach-reply', sdkToken)).status).toBe(403);
  });
});
