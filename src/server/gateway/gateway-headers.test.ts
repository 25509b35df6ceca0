import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureConfigInput } from '../../core/feature-config.js';
import { type FakeUpstream, startFakeUpstream } from '../../testing/index.js';
import { startTestServer, type TestServer } from '../server.test-helper.js';

const ORIGIN = 'https://app.example.com';

const limited: FeatureConfigInput = {
  key: 'limited',
  defaultVariant: 'v1',
  variants: { v1: { type: 'llm', provider: 'fake', model: 'limited' } },
  policy: { retry: { maxRetries: 0 } },
};
const refused: FeatureConfigInput = {
  key: 'refused',
  defaultVariant: 'v1',
  variants: { v1: { type: 'llm', provider: 'fake', model: 'refusing' } },
  policy: { retry: { maxRetries: 0 } },
};
const plain: FeatureConfigInput = {
  key: 'plain',
  defaultVariant: 'v1',
  variants: { v1: { type: 'llm', provider: 'fake', model: 'ok' } },
};
const capped: FeatureConfigInput = {
  key: 'capped',
  defaultVariant: 'v1',
  variants: { v1: { type: 'llm', provider: 'fake', model: 'ok' } },
  policy: { budget: { dailyUsd: 0.000_000_1 } },
};
const throttled: FeatureConfigInput = {
  key: 'throttled',
  defaultVariant: 'v1',
  variants: { v1: { type: 'llm', provider: 'fake', model: 'ok' } },
  policy: { rateLimit: { defaultTier: 'free', tiers: { free: { limit: 0, window: 'day' } } } },
};

let upstream: FakeUpstream;
let test: TestServer;
let base: string;

beforeAll(async () => {
  upstream = await startFakeUpstream({
    models: {
      ok: { reply: 'fine' },
      limited: { faults: { errorRate: 1, status: 429, retryAfterSeconds: 7 } },
      refusing: { faults: { errorRate: 1, status: 400 } },
    },
  });
  test = await startTestServer({
    features: [limited, refused, plain, capped, throttled],
    providers: { fake: { type: 'openai-compatible', baseURL: upstream.url } },
    pricing: { ok: { inputPerMTok: 100_000, outputPerMTok: 100_000 } },
    cors: { origins: [ORIGIN] },
    routes: { 'gpt-4o-mini': 'plain' },
  });
  base = await test.server.listen();
});
afterAll(async () => {
  await test?.close();
  await upstream?.close();
});

const body = (feature: string) => ({
  model: `switchyard/${feature}`,
  messages: [{ role: 'user', content: 'hi' }],
  user: 'u1',
});

/** The `error` object of an OpenAI error answer. */
async function errorOf(response: Response): Promise<Record<string, unknown>> {
  return ((await response.json()) as { error: Record<string, unknown> }).error;
}

/** Over HTTP: the chat route is answered by the node:http fast path. */
function post(path: string, payload: unknown, headers: Record<string, string>) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(payload),
  });
}

describe('gateway keys', () => {
  it('takes an sdk token as Bearer, api-key or x-api-key, on the fast path and on Fastify routes', async () => {
    const token = test.tokens.sdk;
    const ways: Array<Record<string, string>> = [
      { authorization: `Bearer ${token}` },
      { 'api-key': token },
      { 'x-api-key': token },
    ];
    for (const headers of ways) {
      const response = await post('/v1/chat/completions', body('plain'), headers);
      expect(response.status, JSON.stringify(headers)).toBe(200);
      const id = response.headers.get('x-request-id');
      expect(id).toBe(response.headers.get('x-switchyard-request-id'));
      const models = await fetch(`${base}/v1/models`, { headers });
      expect(models.status).toBe(200);
      expect(models.headers.get('x-request-id')).toMatch(/\S/);
    }
  });

  it('refuses a missing or unknown key as OpenAI does: 401 invalid_api_key, not to be retried', async () => {
    const ways: Array<Record<string, string>> = [{}, { 'x-api-key': 'sy_nope' }];
    for (const headers of ways) {
      const response = await post('/v1/chat/completions', body('plain'), headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('x-request-id')).toMatch(/\S/);
      expect(response.headers.get('x-should-retry')).toBe('false');
      expect(await errorOf(response)).toMatchObject({
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      });
      const viaFastify = await test.call('GET', '/v1/models', { token: null, headers });
      expect(viaFastify.statusCode).toBe(401);
      expect(viaFastify.json().error.code).toBe('invalid_api_key');
    }
  });

  it('does not take api-key headers outside the gateway', async () => {
    const response = await test.call('GET', '/api/features', {
      token: null,
      headers: { 'x-api-key': test.tokens.admin },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('gateway errors', () => {
  const sdk = () => ({ authorization: `Bearer ${test.tokens.sdk}` });

  it('answers an upstream 429 its retries could not absorb as a 429 with the upstream Retry-After', async () => {
    const response = await post('/v1/chat/completions', body('limited'), sdk());
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('x-should-retry')).toBeNull();
    const error = await errorOf(response);
    expect(error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
    // The run's own request id, as telemetry recorded it.
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('tells clients not to retry a failure a retry cannot cure', async () => {
    const response = await post('/v1/chat/completions', body('refused'), sdk());
    expect(response.status).toBe(502);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect((await errorOf(response)).code).toBe('all_variants_failed');
  });

  it("uses OpenAI's codes: model_not_found, rate_limit_exceeded, insufficient_quota, invalid_request_error", async () => {
    const unknown = await post('/v1/chat/completions', body('nope'), sdk());
    expect(unknown.status).toBe(404);
    expect(await errorOf(unknown)).toMatchObject({ code: 'model_not_found', param: 'model' });

    const limit = await post('/v1/chat/completions', body('throttled'), sdk());
    expect(limit.status).toBe(429);
    expect((await errorOf(limit)).code).toBe('rate_limit_exceeded');

    await post('/v1/chat/completions', body('capped'), sdk());
    const budget = await post('/v1/chat/completions', body('capped'), sdk());
    expect(budget.status).toBe(429);
    expect(budget.headers.get('x-should-retry')).toBe('false');
    expect(budget.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await errorOf(budget)).toMatchObject({
      type: 'insufficient_quota',
      code: 'insufficient_quota',
    });

    const broken = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sdk() },
      body: '{"model":',
    });
    expect(broken.status).toBe(400);
    expect(await errorOf(broken)).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_request_error',
    });
    const field = await post('/v1/chat/completions', { ...body('plain'), temperature: 9 }, sdk());
    expect(await errorOf(field)).toMatchObject({ code: 'invalid_request_error', param: 'temperature' });
  });
});

describe('gateway model routes', () => {
  const sdk = () => ({ authorization: `Bearer ${test.tokens.sdk}` });

  it('serves a raw model name the routes map to a feature', async () => {
    const response = await post('/v1/chat/completions', { ...body('plain'), model: 'gpt-4o-mini' }, sdk());
    expect(response.status).toBe(200);
    expect(
      ((await response.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message
        .content,
    ).toBe('fine');
  });

  it('refuses an unmapped model name with 404 model_not_found naming it', async () => {
    const response = await post('/v1/chat/completions', { ...body('plain'), model: 'gpt-5' }, sdk());
    expect(response.status).toBe(404);
    const error = await errorOf(response);
    expect(error).toMatchObject({ code: 'model_not_found', param: 'model', type: 'invalid_request_error' });
    expect(error.message).toContain('"gpt-5"');
  });
});

describe('gateway CORS', () => {
  it('answers an allowed origin’s preflight without a token', async () => {
    const response = await fetch(`${base}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, x-stainless-os',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'authorization, content-type, x-stainless-os',
    );
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('refuses other origins’ preflights, and gives their answers no CORS headers', async () => {
    const preflight = await fetch(`${base}/v1/models`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const answer = await post('/v1/chat/completions', body('plain'), {
      authorization: `Bearer ${test.tokens.sdk}`,
      origin: 'https://evil.example',
    });
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets an allowed origin read answers and errors, from both ways in', async () => {
    const answer = await post('/v1/chat/completions', body('plain'), {
      authorization: `Bearer ${test.tokens.sdk}`,
      origin: ORIGIN,
    });
    expect(answer.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(answer.headers.get('access-control-expose-headers')).toContain('x-request-id');
    const refused = await post('/v1/chat/completions', body('plain'), { origin: ORIGIN });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const models = await fetch(`${base}/v1/models`, {
      headers: { authorization: `Bearer ${test.tokens.sdk}`, origin: ORIGIN },
    });
    expect(models.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('allows no origin by default', async () => {
    const other = await startTestServer({});
    try {
      const response = await other.call('OPTIONS', '/v1/chat/completions', {
        token: null,
        headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
      });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.message).toContain('cors.origins');
    } finally {
      await other.close();
    }
  });
});
