import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../server.test-helper.js';

/** What a client sees of an answer, with the per-request id and time taken out. */
interface Seen {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

const COMPARED_HEADERS = [
  'content-type',
  'www-authenticate',
  'retry-after',
  'x-switchyard-variant',
  'x-switchyard-reason',
  'x-switchyard-cache',
  'x-switchyard-fallback',
];

let test: TestServer;
let url: URL;

beforeAll(async () => {
  test = await startTestServer({
    features: [
      {
        key: 'echo',
        defaultVariant: 'v1',
        variants: { v1: { type: 'handler' } },
        policy: { rateLimit: { defaultTier: 'free', tiers: { free: { limit: 2 } } } },
      },
    ],
    handlers: { v1: ({ input }) => `echo: ${JSON.stringify(input)}` },
  });
  url = new URL(`${await test.server.listen()}/v1/chat/completions`);
});

afterAll(async () => {
  await test.close();
});

const normalized = (body: string) =>
  body
    .replace(/chatcmpl-[0-9a-f-]+/g, 'chatcmpl-ID')
    .replace(/"created":\d+/g, '"created":0')
    .replace(/"(?:id|requestId)":"[0-9a-f-]{36}"/g, '"id":"ID"');

const picked = (headers: Record<string, unknown>) =>
  Object.fromEntries(COMPARED_HEADERS.map((name) => [name, headers[name] as string | undefined]));

/** Through Fastify's route (`inject` does not pass the server's fast path). */
async function viaFastify(headers: Record<string, string>, body: string): Promise<Seen> {
  const answer = await test.server.app.inject({ method: 'POST', url: url.pathname, headers, payload: body });
  return { status: answer.statusCode, headers: picked(answer.headers), body: normalized(answer.body) };
}

/** Over HTTP, where createServer answers before Fastify; `declaredLength` lies about the body's size. */
function viaHttp(headers: Record<string, string>, body: string, declaredLength?: number): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(declaredLength ?? Buffer.byteLength(body)) },
    });
    outgoing.on('error', reject);
    outgoing.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: picked(response.headers),
          body: normalized(text),
        }),
      );
    });
    if (declaredLength === undefined) outgoing.end(body);
    else outgoing.write(body.slice(0, 10));
  });
}

const json = { 'content-type': 'application/json' };
const chat = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: 'switchyard/echo', messages: [{ role: 'user', content: 'hi' }], ...extra });

describe('serveChatCompletions (the gateway route, answered before Fastify)', () => {
  it.each([
    ['no token', { token: 'none' }, chat(), 401],
    ['a viewer token', { token: 'viewer' }, chat(), 403],
    ['a plain-text body', { type: 'text/plain' }, chat(), 400],
    ['a body of another media type', { type: 'application/xml' }, '<chat/>', 415],
    ['a body that is not JSON', {}, '{"model":', 400],
    ['an empty JSON body', {}, '', 400],
    ['a prototype-poisoning body', {}, '{"__proto__":{"polluted":true},"model":"switchyard/echo"}', 400],
    ['a body the schema refuses', {}, JSON.stringify({ model: 'switchyard/echo', messages: 'hi' }), 400],
    ['an unknown feature', {}, chat({ model: 'switchyard/nope' }), 404],
    ['a good request', {}, chat({ user: 'parity-a' }), 200],
    ['a streamed request', {}, chat({ user: 'parity-b', stream: true }), 200],
  ])('answers %s as the Fastify route does', async (_what, how, body, status) => {
    const { token = 'sdk', type = 'application/json' } = how as {
      token?: 'none' | 'viewer' | 'sdk';
      type?: string;
    };
    const headers: Record<string, string> = { 'content-type': type };
    if (token !== 'none') headers.authorization = `Bearer ${test.tokens[token]}`;
    const fast = await viaHttp(headers, body);
    const routed = await viaFastify(headers, body);
    expect(fast.status).toBe(status);
    expect(fast).toEqual(routed);
  });

  it('refuses a body over the limit by its declared length, and closes that connection', async () => {
    const headers = { ...json, authorization: `Bearer ${test.tokens.sdk}` };
    const answer = await viaHttp(headers, chat(), 9 * 1_048_576);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.message).toBe('the body is too large');
  });

  it('answers a rate-limited unit with 429 and retry-after, and counts every answer in /metrics', async () => {
    const headers = { ...json, authorization: `Bearer ${test.tokens.sdk}`, 'x-switchyard-user': 'busy' };
    const statuses = [];
    for (let index = 0; index < 3; index++) statuses.push((await viaHttp(headers, chat())).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await viaHttp(headers, chat());
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(JSON.parse(limited.body).error.code).toBe('rate_limit_exceeded');

    const metrics = await test.call('GET', '/metrics');
    const count = (status: number) =>
      Number(
        new RegExp(
          `switchyard_http_requests_total\\{method="POST",route="/v1/chat/completions",status="${status}"\\} (\\d+)`,
        ).exec(metrics.body)?.[1] ?? 0,
      );
    expect(count(429)).toBeGreaterThanOrEqual(2);
    expect(count(200)).toBeGreaterThanOrEqual(2);
  });
});
