import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureConfigInput } from '../core/feature-config.js';
import { redisTestServer } from '../runtime/testing/redis-test-server.js';
import { postgresTestDatabase } from '../store/testing/postgres-test-database.js';
import { type FakeUpstream, startFakeUpstream } from '../testing/index.js';
import { createServer, type SwitchyardServer } from './create-server.js';
import { TEST_ADMIN_TOKEN } from './server.test-helper.js';

// Under CI=true both helpers throw when their service is unreachable, so this suite cannot be skipped there.
const postgres = await postgresTestDatabase('two-servers');
const redis = await redisTestServer('two-servers');

const limited: FeatureConfigInput = {
  key: 'limited',
  defaultVariant: 'v1',
  variants: { v1: { type: 'llm', provider: 'fake', model: 'coach-model', maxTokens: 32 } },
  policy: { rateLimit: { defaultTier: 'free', tiers: { free: { limit: 3, window: 'day' } } } },
};

const coach: FeatureConfigInput = {
  key: 'coach-reply',
  defaultVariant: 'v1',
  variants: { v1: { type: 'handler' }, v2: { type: 'handler' } },
  rules: [{ id: 'rollout', split: { v1: 50, v2: 50 } }],
};

const json = (server: SwitchyardServer, method: 'GET' | 'POST', url: string, body?: unknown) =>
  server.app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });

describe.skipIf(postgres === undefined || redis === undefined)(
  'two servers on one PostgreSQL and Redis',
  () => {
    let upstream: FakeUpstream;
    let first: SwitchyardServer;
    let second: SwitchyardServer;
    let prefix: string;

    beforeAll(async () => {
      upstream = await startFakeUpstream({ models: { 'coach-model': { reply: 'One step at a time.' } } });
      prefix = redis?.keyPrefix() as string;
      const shared = {
        store: postgres?.schemaUrl() as string,
        redis: redis?.url as string,
        redisKeyPrefix: prefix,
        providers: { fake: { type: 'openai-compatible' as const, baseURL: upstream.url } },
        features: [coach, limited],
        adminToken: TEST_ADMIN_TOKEN,
        handlers: { v1: () => 'legacy', v2: () => 'new' },
      };
      // One after the other, as a rolling deploy would start them: the first creates the schema.
      first = await createServer(shared);
      second = await createServer(shared);
    });

    afterAll(async () => {
      await Promise.all([first?.close(), second?.close()]);
      await upstream?.close();
      await postgres?.cleanup();
      await redis?.cleanup();
    });

    it('serves a change made through one server from the other within 1 second', async () => {
      const decide = async () =>
        (
          await json(second, 'POST', '/api/decide', {
            feature: 'coach-reply',
            context: { attributes: { userId: 'u-1' } },
          })
        ).json();
      expect((await decide()).reason).toBe('SPLIT');
      expect(
        (await json(first, 'POST', '/api/features/coach-reply/kill', { reason: 'p95 above 8 s' })).statusCode,
      ).toBe(200);
      await expect.poll(async () => (await decide()).reason, { timeout: 1_000, interval: 10 }).toBe('KILLED');
      // The config endpoint follows the store through its own poller: it catches up within the same second.
      await expect
        .poll(async () => (await json(second, 'GET', '/api/config')).json().features, {
          timeout: 1_000,
          interval: 10,
        })
        .toContainEqual(expect.objectContaining({ key: 'coach-reply', version: 2 }));
    });

    it('holds a per-unit rate limit across both servers', async () => {
      const chat = (server: SwitchyardServer) =>
        json(server, 'POST', '/v1/chat/completions', {
          model: 'switchyard/limited',
          messages: [{ role: 'user', content: 'What should I do today?' }],
          user: 'unit-42',
        });
      const statuses = [
        (await chat(first)).statusCode,
        (await chat(first)).statusCode,
        (await chat(second)).statusCode,
      ];
      expect(statuses).toEqual([200, 200, 200]);
      const refusedByFirst = await chat(first);
      const refusedBySecond = await chat(second);
      expect([refusedByFirst.statusCode, refusedBySecond.statusCode]).toEqual([429, 429]);
      expect(refusedBySecond.headers['retry-after']).toBeDefined();
      expect(upstream.stats().byModel['coach-model']?.requests).toBe(3);
      // Another unit has its own allowance.
      const other = await json(second, 'POST', '/v1/chat/completions', {
        model: 'switchyard/limited',
        messages: [{ role: 'user', content: 'hi' }],
        user: 'unit-43',
      });
      expect(other.statusCode).toBe(200);

      // The counters live under the servers' key prefix, not the default one.
      const client = new Redis(redis?.url as string);
      try {
        expect((await client.keys(`${prefix}counters:*`)).length).toBeGreaterThan(0);
      } finally {
        client.disconnect();
      }
    });
  },
);
