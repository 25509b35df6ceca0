import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureConfigInput } from '../../core/feature-config.js';
import { openStore } from '../../store/open-store.js';
import { postgresTestDatabase } from '../../store/testing/postgres-test-database.js';
import { type FakeUpstream, startFakeUpstream } from '../../testing/index.js';
import { redisTestServer } from '../testing/redis-test-server.js';
import { createSwitchyard } from './create-switchyard.js';

const redis = await redisTestServer('client');

const coach: FeatureConfigInput = {
  key: 'coach-reply',
  defaultVariant: 'v2',
  variants: { v2: { type: 'llm', provider: 'fake', model: 'coach-model', maxTokens: 64 } },
  policy: {
    cache: { mode: 'exact', ttlSeconds: 60 },
    rateLimit: { defaultTier: 'free', tiers: { free: { limit: 3 } } },
    telemetry: { storePrompts: true, storeOutputs: true, redactPII: true },
  },
};

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream({
    models: { 'coach-model': { reply: 'Write to ana@example.com today.' } },
  });
});
afterAll(async () => {
  await upstream.close();
  await redis?.cleanup();
});

describe.skipIf(redis === undefined)('two clients sharing Redis', () => {
  it('share the cache and the rate limit, as one', async () => {
    // Both clients use the same key prefix on the same Redis, as two app processes would.
    const url = redis?.url as string;
    const prefix = redis?.keyPrefix() as string;
    const open = () =>
      createSwitchyard({
        store: 'sqlite::memory:',
        redis: url,
        redisKeyPrefix: prefix,
        providers: { fake: { type: 'openai-compatible', baseURL: upstream.url } },
        features: [coach],
        telemetry: { flushOnSignals: false },
      });
    const [first, second] = await Promise.all([open(), open()]);
    try {
      const context = { attributes: { userId: 'shared-user' } };
      const a = await first.run('coach-reply', context, { input: 'what now?' });
      const b = await second.run('coach-reply', context, { input: 'what now?' });
      expect(a.cached).toBe(false);
      expect(b).toMatchObject({ cached: true, value: a.value });
      expect(upstream.stats().byModel['coach-model']?.requests).toBe(1);

      await first.run('coach-reply', context, { input: 'third' });
      await expect(second.run('coach-reply', context, { input: 'fourth' })).rejects.toMatchObject({
        code: 'RATE_LIMITED',
      });
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});

describe('telemetry of prompts and outputs', () => {
  it('stores them only when the feature asks, with PII redacted', async () => {
    const store = await openStore('sqlite::memory:');
    const sy = await createSwitchyard({
      store,
      providers: { fake: { type: 'openai-compatible', baseURL: upstream.url } },
      features: [coach, { ...coach, key: 'quiet', policy: {} }],
      telemetry: { flushOnSignals: false },
    });
    const kept = await sy.run('coach-reply', {}, { input: 'call me on +44 20 7946 0958' });
    const quiet = await sy.run('quiet', {}, { input: 'call me on +44 20 7946 0958' });
    await sy.close();
    const runOf = async (requestId: string) =>
      (await store.listEvents({ requestId })).events.find(
        (event) => event.type === 'call' && event.scope === 'run',
      );
    const keptRun = await runOf(kept.requestId);
    expect(keptRun).toMatchObject({
      prompt: expect.stringContaining('[PHONE]'),
      output: expect.stringContaining('[EMAIL]'),
    });
    expect(JSON.stringify(keptRun)).not.toContain('7946');
    expect(JSON.stringify(keptRun)).not.toContain('ana@example.com');
    const quietRun = await runOf(quiet.requestId);
    expect(quietRun?.type === 'call' ? quietRun.prompt : 'missing').toBeUndefined();
    await store.close();
  });
});

const postgres = await postgresTestDatabase('client-bootstrap');

describe.skipIf(postgres === undefined)('clients starting together on one PostgreSQL', () => {
  afterAll(async () => {
    await postgres?.cleanup();
  });

  it('both start when they bootstrap the same features at the same moment', async () => {
    const url = postgres?.schemaUrl() as string;
    await openStore(url).then((store) => store.close());
    const open = () =>
      createSwitchyard({
        store: url,
        providers: { fake: { type: 'openai-compatible', baseURL: upstream.url } },
        features: [coach, { ...coach, key: 'second' }],
        telemetry: { flushOnSignals: false },
      });
    const clients = await Promise.all([open(), open(), open()]);
    try {
      for (const client of clients) expect(client.features()).toEqual(['coach-reply', 'second']);
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });
});
