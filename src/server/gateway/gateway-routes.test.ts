import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureConfigInput } from '../../core/feature-config.js';
import { type FakeUpstream, startFakeUpstream } from '../../testing/index.js';
import {
  COACH_REPLY,
  coachFeature,
  coachWith,
  startGateway,
  type TestGateway,
} from './gateway.test-helper.js';

let upstream: FakeUpstream;
const gateways: TestGateway[] = [];
const chat = (content = 'I ran today', extra: Record<string, unknown> = {}) => ({
  model: 'switchyard/coach-reply',
  messages: [{ role: 'user', content }],
  ...extra,
});

beforeAll(async () => {
  upstream = await startFakeUpstream({ models: { 'gpt-4o-mini': { reply: COACH_REPLY }, echo: {} } });
});
afterAll(async () => {
  for (const gateway of gateways) {
    await gateway.close();
    await gateway.store.close();
  }
  await upstream.close();
});

async function gatewayFor(features: FeatureConfigInput[], extra: Parameters<typeof startGateway>[2] = {}) {
  const gateway = await startGateway(
    features,
    { fake: { type: 'openai-compatible', baseURL: upstream.url } },
    extra,
  );
  gateways.push(gateway);
  return gateway;
}

function post(
  gateway: TestGateway,
  body: unknown,
  headers: Record<string, string> = {},
  url = '/v1/chat/completions',
) {
  return gateway.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(body),
  });
}

describe('gateway errors', () => {
  it('refuses bad bodies with 400 naming the field, in the OpenAI error shape', async () => {
    const gateway = await gatewayFor([coachFeature]);
    const cases: Array<[unknown, string]> = [
      [{ model: 'switchyard/coach-reply', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
      [
        { model: 'switchyard/coach-reply', messages: [{ role: 'tool', content: 'x' }] },
        'messages[0].tool_call_id',
      ],
      [{ model: 'switchyard/coach-reply', messages: [] }, 'messages'],
      [chat('hi', { temperature: 7 }), 'temperature'],
      [chat('hi', { n: 2 }), 'n'],
      [chat('hi', { tools: [{ type: 'function' }] }), 'tools[0].function'],
      [chat('hi', { tools: [{ type: 'custom', custom: { name: 'x' } }] }), 'tools[0].type'],
      [{ messages: [{ role: 'user', content: 'hi' }] }, 'model'],
      [chat('   '), 'messages[0].content'],
    ];
    for (const [body, param] of cases) {
      const response = await post(gateway, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error).toMatchObject({ type: 'invalid_request_error', param });
    }
    const broken = await gateway.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { 'content-type': 'application/json' },
      payload: '{"model":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error).toMatchObject({
      message: 'the body is not valid JSON',
      type: 'invalid_request_error',
    });
  });

  it('answers 404 for an unknown feature and 400 naming a bad attributes header', async () => {
    const gateway = await gatewayFor([coachFeature]);
    const missing = await post(gateway, { ...chat(), model: 'switchyard/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ param: 'model', code: 'model_not_found' });
    for (const value of ['{not json', '["a"]']) {
      const response = await post(gateway, chat(), { 'x-switchyard-attributes': value });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.param).toBe('x-switchyard-attributes');
    }
  });

  it('answers 429 insufficient_quota over budget and 502 when every variant fails', async () => {
    const gateway = await gatewayFor([
      coachWith('tight', 'fake', 'gpt-4o-mini', { budget: { dailyUsd: 0.000001 } }),
      {
        key: 'dead',
        defaultVariant: 'only',
        variants: { only: { type: 'llm', provider: 'fake', model: 'no-such-model' } },
      },
    ]);
    const budget = await post(gateway, { ...chat(), model: 'switchyard/tight' });
    expect(budget.statusCode).toBe(429);
    expect(budget.json().error).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' });
    expect(budget.headers['x-should-retry']).toBe('false');
    expect(Number(budget.headers['retry-after'])).toBeGreaterThan(0);
    const failed = await post(gateway, { ...chat(), model: 'switchyard/dead' });
    expect(failed.statusCode).toBe(502);
    expect(failed.json().error.code).toBe('all_variants_failed');
    expect(failed.json().error.message).toMatch(/only \(client_error: .*404/);
    // The upstream refused the request itself: trying it again cannot help.
    expect(failed.headers['x-should-retry']).toBe('false');
  });

  it('answers 502 that names a handler variant the gateway cannot run, and says not to retry', async () => {
    const gateway = await gatewayFor([
      { key: 'legacy-only', defaultVariant: 'legacy', variants: { legacy: { type: 'handler' } } },
    ]);
    const failed = await post(gateway, { ...chat(), model: 'switchyard/legacy-only' });
    expect(failed.statusCode).toBe(502);
    expect(failed.json().error).toMatchObject({ code: 'all_variants_failed', type: 'api_error' });
    expect(failed.json().error.message).toBe(
      'legacy-only: all variants failed: legacy (handler_missing: no handler registered for variant "legacy"). ' +
        'A handler variant is code that an SDK process registers; this gateway has none for it: give gateway ' +
        'callers an llm variant',
    );
    expect(failed.headers['x-should-retry']).toBe('false');
  });

  it('answers the authorize hook refusal in the OpenAI shape before reading the body', async () => {
    const gateway = await gatewayFor([coachFeature], {
      gateway: {
        authorize: (request) => {
          if (request.headers.authorization !== 'Bearer good') {
            throw Object.assign(new Error('send a valid token'), { statusCode: 401 });
          }
        },
      },
    });
    const refused = await post(gateway, chat());
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error).toMatchObject({
      message: 'send a valid token',
      type: 'invalid_request_error',
      code: 'invalid_api_key',
    });
    expect((await post(gateway, chat(), { authorization: 'Bearer good' })).statusCode).toBe(200);
  });

  it('ends a streamed answer that trips an output guard with an error event', async () => {
    const gateway = await gatewayFor([
      coachWith('guarded', 'fake', 'gpt-4o-mini', { output: { bannedPhrases: ['big change'] } }),
    ]);
    const response = await post(gateway, { ...chat(), model: 'switchyard/guarded', stream: true });
    expect(response.statusCode).toBe(200);
    const events = response.body.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toMatch(/^data: \{"error":\{.*"code":"guard_failed"/);
    expect(response.body).not.toContain('[DONE]');
  });
});

describe('gateway routing', () => {
  it('serves the default variant of a killed feature', async () => {
    const gateway = await gatewayFor([{ ...coachFeature, killed: true, killReason: 'incident' }]);
    const response = await post(gateway, chat());
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'x-switchyard-variant': 'v1', 'x-switchyard-reason': 'KILLED' });
    expect(response.json().choices[0].message.content).toBe('legacy: I ran today');
  });

  it('targets on the attributes header and the unit from x-switchyard-user', async () => {
    const paidOnly: FeatureConfigInput = {
      ...coachFeature,
      rules: [{ when: { tier: 'paid' }, serve: 'v2' }],
    };
    const gateway = await gatewayFor([paidOnly]);
    const free = await post(gateway, chat(), { 'x-switchyard-attributes': '{"tier":"free"}' });
    expect(free.headers['x-switchyard-variant']).toBe('v1');
    const paid = await post(gateway, chat(), {
      'x-switchyard-attributes': '{"tier":"paid"}',
      'x-switchyard-user': 'u7',
    });
    expect(paid.headers).toMatchObject({
      'x-switchyard-variant': 'v2',
      'x-switchyard-reason': 'TARGETING_MATCH',
    });
    await gateway.close();
    const { events } = await gateway.store.listEvents({
      requestId: String(paid.headers['x-switchyard-request-id']),
      limit: 10,
    });
    expect(events.find((event) => event.type === 'decision')).toMatchObject({ unitId: 'u7' });
  });

  it('returns structured output as JSON text and marks cache hits', async () => {
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
      policy: { cache: { mode: 'exact', ttlSeconds: 60 } },
    };
    const gateway = await gatewayFor([details]);
    const body = { ...chat('persona p1'), model: 'switchyard/persona-details' };
    const first = await post(gateway, body);
    expect(JSON.parse(first.json().choices[0].message.content)).toEqual({ name: expect.any(String) });
    expect(first.headers['x-switchyard-cache']).toBe('miss');
    const second = await post(gateway, { ...body, stream: true });
    expect(second.headers['x-switchyard-cache']).toBe('hit');
    expect(second.body).toContain(JSON.stringify(first.json().choices[0].message.content).slice(1, -1));
  });

  it('uses the request max_tokens only for a variant that sets none', async () => {
    const gateway = await gatewayFor([coachWith('open', 'fake', 'echo')]);
    const long = 'please answer with a long and detailed reply about many different things';
    const response = await post(gateway, {
      ...chat(long),
      model: 'switchyard/open',
      stream: true,
      max_tokens: 2,
    });
    const finish = response.body.split('\n\n').filter((event) => event.includes('"finish_reason":"length"'));
    expect(finish).toHaveLength(1);
  });

  it('joins feedback to the request by its id or its completion id', async () => {
    const gateway = await gatewayFor([coachFeature]);
    const completion = (await post(gateway, chat())).json();
    const accepted = await post(
      gateway,
      { requestId: completion.id, accepted: true, rating: 4 },
      {},
      '/v1/feedback',
    );
    expect(accepted.statusCode).toBe(202);
    expect(accepted.json()).toEqual({ ok: true });
    const typo = await post(gateway, { requestId: completion.id, acepted: true }, {}, '/v1/feedback');
    expect(typo.statusCode).toBe(400);
    const alone = await post(gateway, { requestId: completion.id, metric: 'time-ms' }, {}, '/v1/feedback');
    expect(alone.json().error).toMatchObject({ param: 'value' });
    await gateway.close();
    const requestId = completion.id.replace('chatcmpl-', '');
    const { events } = await gateway.store.listEvents({ requestId, limit: 10 });
    expect(events.find((event) => event.type === 'feedback')).toMatchObject({
      feature: 'coach-reply',
      variant: 'v2',
      accepted: true,
      rating: 4,
    });
  });
});
