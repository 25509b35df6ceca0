import { createHmac } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureConfigInput } from '../../core/feature-config.js';
import { openStore } from '../../store/open-store.js';
import { postgresTestDatabase } from '../../store/testing/postgres-test-database.js';
import { type FakeUpstream, startFakeUpstream } from '../../testing/index.js';
import { redisTestServer } from '../testing/redis-test-server.js';
import { createSwitchyard } from './create-switchyard.js';

const KEY = 'tests-unit-key-3f9a0c1b7d';
const pseudonym = (unitId: string) => createHmac('sha256', KEY).update(unitId, 'utf8').digest('hex');

const coach: FeatureConfigInput = {
  key: 'coach-reply',
  defaultVariant: 'v1',
  variants: {
    v1: { type: 'llm', provider: 'fake', model: 'coach-model', maxTokens: 16 },
    v2: { type: 'llm', provider: 'fake', model: 'coach-model', maxTokens: 16, system: 'Be brief.' },
  },
  policy: { rateLimit: { defaultTier: 'free', tiers: { free: { limit: 2 } } } },
  rules: [{ id: 'test', split: { v1: 1, v2: 1 }, experiment: { key: 'coach-test', status: 'running' } }],
};

const postgres = await postgresTestDatabase('hashed-units');
const redis = await redisTestServer('hashed-units');
let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream({ models: { 'coach-model': { reply: 'Fine.' } } });
});
afterAll(async () => {
  await upstream.close();
  await redis?.cleanup();
  await postgres?.cleanup();
});

describe.skipIf(postgres === undefined || redis === undefined)('hashed unit ids across processes', () => {
  it('keep sticky arms and limits per unit while the store and Redis hold only pseudonyms', async () => {
    const url = postgres?.schemaUrl() as string;
    const prefix = redis?.keyPrefix() as string;
    const open = (features: FeatureConfigInput[]) =>
      createSwitchyard({
        store: url,
        redis: redis?.url as string,
        redisKeyPrefix: prefix,
        providers: { fake: { type: 'openai-compatible', baseURL: upstream.url } },
        features,
        telemetry: { flushOnSignals: false },
        privacy: { unitIds: 'hashed', key: KEY },
      });
    const first = await open([coach]);
    const second = await open([]);
    const alice = { attributes: { userId: 'alice@example.com' } };
    try {
      const decided = await first.decideAsync('coach-reply', alice);
      expect(decided.reason).toBe('SPLIT');
      // The other process finds the same unit's arm by its clear id.
      await expect(second.decideAsync('coach-reply', alice)).resolves.toMatchObject({
        variant: decided.variant,
        reason: 'STICKY',
      });
      await first.run('coach-reply', alice, { input: 'one' });
      await second.run('coach-reply', alice, { input: 'two' });
      await expect(first.run('coach-reply', alice, { input: 'three' })).rejects.toMatchObject({
        code: 'RATE_LIMITED',
      });
      await expect(
        second.run('coach-reply', { attributes: { userId: 'bob' } }, { input: 'one' }),
      ).resolves.toMatchObject({ value: 'Fine.' });
    } finally {
      await Promise.all([first.close(), second.close()]);
    }

    const store = await openStore(url, { privacy: { unitIds: 'hashed', key: KEY } });
    try {
      const { events } = await store.listEvents({ limit: 100 });
      const units = new Set(events.map((event) => ('unitId' in event ? event.unitId : null)));
      expect(units).toEqual(new Set([pseudonym('alice@example.com'), pseudonym('bob')]));
      await expect(store.findAssignment('coach-test', 'alice@example.com')).resolves.toMatchObject({
        variant: expect.any(String),
      });
    } finally {
      await store.close();
    }
    const client = new Redis(redis?.url as string);
    try {
      const keys = await client.keys(`${prefix}*`);
      expect(keys.some((key) => key.includes(pseudonym('alice@example.com')))).toBe(true);
      expect(keys.join('\n')).not.toMatch(/alice|bob/);
    } finally {
      client.disconnect();
    }

    // A process without the key cannot write clear ids beside the pseudonyms.
    await expect(
      createSwitchyard({ store: url, telemetry: { flushOnSignals: false } }),
    ).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      problems: [expect.objectContaining({ path: 'privacy.unitIds' })],
    });
  });

  it('refuses an open store kept in another form than the privacy option says', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      await expect(
        createSwitchyard({
          store,
          privacy: { unitIds: 'hashed', key: KEY },
          telemetry: { flushOnSignals: false },
        }),
      ).rejects.toMatchObject({
        code: 'INVALID_CONFIG',
        problems: [expect.objectContaining({ path: 'privacy.unitIds' })],
      });
    } finally {
      await store.close();
    }
  });
});
