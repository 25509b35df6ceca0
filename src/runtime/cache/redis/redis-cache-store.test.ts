import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../../../core/errors.js';
import { redisTestServer } from '../../testing/redis-test-server.js';
import { cacheStoreContract } from '../cache-store.case.js';
import { createRedisCacheStore } from './redis-cache-store.js';

const redis = await redisTestServer('redis-cache-store');

// Redis expires keys on its own clock; a few ms on top of the TTL absorb timer rounding.
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe.skipIf(redis === undefined)('Redis cache store', () => {
  afterAll(() => redis?.cleanup());

  cacheStoreContract(
    'redis',
    async () => createRedisCacheStore({ url: redis!.url, keyPrefix: redis!.keyPrefix() }),
    { kind: 'redis', elapse: (ms) => wait(ms + 10) },
  );

  async function withClient(use: (client: Redis) => Promise<void>): Promise<void> {
    const client = new Redis(redis!.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await use(client);
    } finally {
      client.disconnect();
    }
  }

  it('writes under its key prefix with the TTL it was given, and locks beside the values', async () => {
    const keyPrefix = redis!.keyPrefix();
    const store = createRedisCacheStore({ url: redis!.url, keyPrefix });
    try {
      await store.set('reply', 'value', 60_000);
      await store.acquireLock('reply', 60_000);
      await withClient(async (client) => {
        expect(await client.get(`${keyPrefix}reply`)).toBe('value');
        const ttl = await client.pttl(`${keyPrefix}reply`);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(60_000);
        expect(await client.exists(`${keyPrefix}lock:reply`)).toBe(1);
        expect(await client.get('reply')).toBeNull();
      });
    } finally {
      await store.close();
    }
  });

  it('shares values and locks between stores on the same prefix, and isolates other prefixes', async () => {
    const keyPrefix = redis!.keyPrefix();
    const first = createRedisCacheStore({ url: redis!.url, keyPrefix });
    const second = createRedisCacheStore({ url: redis!.url, keyPrefix });
    const elsewhere = createRedisCacheStore({ url: redis!.url, keyPrefix: redis!.keyPrefix() });
    try {
      await first.set('reply', 'shared', 60_000);
      expect(await second.get('reply')).toBe('shared');
      expect(await elsewhere.get('reply')).toBeUndefined();
      expect(await first.acquireLock('job', 60_000)).toBe(true);
      expect(await second.acquireLock('job', 60_000)).toBe(false);
      expect(await elsewhere.acquireLock('job', 60_000)).toBe(true);
    } finally {
      await Promise.all([first.close(), second.close(), elsewhere.close()]);
    }
  });

  it('releases only its own lock, also after the lock expired and changed hands', async () => {
    const keyPrefix = redis!.keyPrefix();
    const first = createRedisCacheStore({ url: redis!.url, keyPrefix });
    const second = createRedisCacheStore({ url: redis!.url, keyPrefix });
    try {
      expect(await first.acquireLock('job', 100)).toBe(true);
      await second.releaseLock('job');
      expect(await second.acquireLock('job', 60_000)).toBe(false);
      await wait(110);
      expect(await second.acquireLock('job', 60_000)).toBe(true);
      // The first holder finishing late must not free the lock the second one now holds.
      await first.releaseLock('job');
      expect(await first.acquireLock('job', 60_000)).toBe(false);
      await second.releaseLock('job');
      expect(await first.acquireLock('job', 60_000)).toBe(true);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('uses a client it is given without closing it', async () => {
    await withClient(async (client) => {
      const store = createRedisCacheStore({ client, keyPrefix: redis!.keyPrefix() });
      await store.set('reply', 'value', 60_000);
      await store.close();
      await expect(store.get('reply')).rejects.toThrow(/closed/);
      expect(await client.ping()).toBe('PONG');
    });
  });

  it('fails its calls, without hanging, when Redis cannot be reached', async () => {
    // Port 1 on the loopback refuses connections at once.
    const store = createRedisCacheStore({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 500 });
    try {
      await expect(store.get('reply')).rejects.toThrow();
      await expect(store.ping()).rejects.toThrow();
    } finally {
      await store.close();
    }
  });

  it('rejects bad options, naming the field', () => {
    const cases = [
      ['url', {}],
      ['url', { url: 'http://127.0.0.1:6379' }],
      ['commandTimeoutMs', { url: redis!.url, commandTimeoutMs: 0 }],
      ['keyPrefix', { url: redis!.url, keyPrefix: 5 as unknown as string }],
    ] as const;
    for (const [field, options] of cases) {
      let caught: unknown;
      try {
        createRedisCacheStore(options);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidConfigError);
      expect((caught as InvalidConfigError).path).toBe(field);
    }
  });
});
