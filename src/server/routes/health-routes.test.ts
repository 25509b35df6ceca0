import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { redisTestServer } from '../../runtime/testing/redis-test-server.js';
import { openStore } from '../../store/open-store.js';
import { startTestServer, type TestServer } from '../server.test-helper.js';

const redis = await redisTestServer('server-health');
let test: TestServer | undefined;

afterEach(async () => {
  await test?.close();
  test = undefined;
});
afterAll(() => redis?.cleanup());

describe('GET /health', () => {
  it('answers without a token: 200 with a status per dependency', async () => {
    test = await startTestServer({ providers: { openai: { type: 'openai', apiKey: 'sk-test' } } });
    const response = await test.call('GET', '/health', { token: null });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ok',
      checks: {
        store: { status: 'ok', details: { kind: 'sqlite', latencyMs: expect.any(Number) } },
        redis: { status: 'disabled', message: expect.any(String) },
        providers: { status: 'ok', details: { configured: ['openai'] } },
      },
    });
  });

  it('answers 503 naming the dependency that fails, and a check added by a route file counts', async () => {
    const store = await openStore('sqlite::memory:');
    test = await startTestServer({ store });
    test.server.context.healthChecks.set('upstream', async () => ({ status: 'ok' }));
    expect((await test.call('GET', '/health', { token: null })).json().checks.upstream).toEqual({
      status: 'ok',
    });
    test.server.context.healthChecks.set('upstream', async () => {
      throw new Error('connection refused');
    });
    const failing = await test.call('GET', '/health', { token: null });
    expect(failing.statusCode).toBe(503);
    expect(failing.json()).toMatchObject({
      status: 'error',
      checks: { store: { status: 'ok' }, upstream: { status: 'error', message: 'connection refused' } },
    });
    test.server.context.healthChecks.delete('upstream');
    await store.close();
    // The server still serves from memory: degraded, not down.
    const storeDown = await test.call('GET', '/health', { token: null });
    expect(storeDown.statusCode).toBe(200);
    expect(storeDown.json()).toMatchObject({ status: 'degraded', checks: { store: { status: 'degraded' } } });
  });

  it.skipIf(redis === undefined)('pings the configured Redis', async () => {
    test = await startTestServer({ redis: redis!.url });
    const response = await test.call('GET', '/health', { token: null });
    expect(response.statusCode).toBe(200);
    expect(response.json().checks.redis).toEqual({
      status: 'ok',
      details: { latencyMs: expect.any(Number) },
    });
  });
});
