import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownPostgresCluster } from '../store/testing/own-postgres-cluster.js';
import { type FakeUpstream, startFakeUpstream } from '../testing/index.js';
import { createServer, type SwitchyardServer } from './create-server.js';
import { COACH_REPLY, coachFeature } from './gateway/gateway.test-helper.js';
import { TEST_ADMIN_TOKEN } from './server.test-helper.js';

const cluster = await ownPostgresCluster();
let upstream: FakeUpstream;
let server: SwitchyardServer;
let url: string;

beforeAll(async () => {
  if (cluster === undefined) return;
  upstream = await startFakeUpstream({ models: { 'gpt-4o-mini': { reply: COACH_REPLY } } });
  server = await createServer({
    store: cluster.url,
    port: 0,
    adminToken: TEST_ADMIN_TOKEN,
    features: [coachFeature],
    providers: { fake: { type: 'openai-compatible', baseURL: upstream.url } },
    handlers: { v1: ({ input }) => `legacy: ${String(input)}` },
    telemetry: { flushIntervalMs: 50 },
    // Shorter than the outage, so every token check must outlive its cache entry.
    tokenCacheTtlMs: 200,
  });
  url = await server.listen();
}, 120_000);
afterAll(async () => {
  await server?.close();
  await upstream?.close();
  await cluster?.cleanup();
});

const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' };

describe.skipIf(cluster === undefined)('a PostgreSQL outage', () => {
  it('keeps the gateway serving, answers store-bound routes 503 fast, and writes every run event after', async () => {
    const issued = await fetch(`${url}/api/tokens`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'app', role: 'sdk' }),
    });
    const sdk = ((await issued.json()) as { token: string }).token;
    const chat = async () => {
      const started = performance.now();
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sdk}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'switchyard/coach-reply',
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
      await response.arrayBuffer();
      return {
        status: response.status,
        ms: performance.now() - started,
        requestId: response.headers.get('x-switchyard-request-id'),
      };
    };
    expect((await chat()).status).toBe(200);

    let traffic = true;
    const answers: Array<{ status: number; ms: number; requestId: string | null }> = [];
    const workers = Array.from({ length: 4 }, async () => {
      while (traffic) answers.push(await chat());
    });

    await new Promise((resolve) => setTimeout(resolve, 300));
    await cluster!.stop();
    const outageStarted = answers.length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'degraded',
      checks: { store: { status: 'degraded' } },
    });

    for (const [method, path, body] of [
      ['GET', '/api/features', undefined],
      ['POST', '/api/features', { ...coachFeature, key: 'during-outage' }],
      ['GET', '/api/audit', undefined],
    ] as const) {
      const started = performance.now();
      const response = await fetch(`${url}${path}`, {
        method,
        headers: admin,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const elapsed = performance.now() - started;
      expect(response.status, `${method} ${path}`).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('STORE_UNAVAILABLE');
      expect(elapsed, `${method} ${path}`).toBeLessThan(1_000);
    }
    // Deciding and reading the config need no store round trip.
    const decided = await fetch(`${url}/api/decide`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sdk}`, 'content-type': 'application/json' },
      body: JSON.stringify({ feature: 'coach-reply', context: { attributes: { userId: 'u-1' } } }),
    });
    expect(decided.status).toBe(200);
    expect(await decided.json()).toMatchObject({ feature: 'coach-reply', variant: 'v2' });
    const config = await fetch(`${url}/api/config`, { headers: { authorization: `Bearer ${sdk}` } });
    expect(config.status).toBe(200);
    await config.arrayBuffer();

    // A token this server never verified cannot be checked now: 503, not 401 and not 500.
    const stranger = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer sy_0123456789abcdef_${'s'.repeat(43)}`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(stranger.status).toBe(503);
    expect(((await stranger.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const duringOutage = answers.length - outageStarted;
    await cluster!.start();
    await expect
      .poll(async () => (await fetch(`${url}/health`)).json(), { timeout: 20_000, interval: 200 })
      .toMatchObject({ status: 'ok' });
    traffic = false;
    await Promise.all(workers);

    expect(duringOutage).toBeGreaterThan(20);
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    const served = new Set(answers.map((answer) => answer.requestId));
    await expect
      .poll(
        async () => {
          // Every call event, however many the traffic made (a quiet machine serves thousands here).
          const recorded = new Set<string>();
          for await (const event of server.context.store.streamEvents({ type: 'call' })) {
            if (event.type === 'call' && event.scope === 'run') recorded.add(event.requestId);
          }
          return [...served].filter((id) => !recorded.has(id?.replace(/^chatcmpl-/, '') ?? '')).length;
        },
        { timeout: 20_000, interval: 250 },
      )
      .toBe(0);
  }, 120_000);
});
