import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../core/errors.js';
import { redisTestServer } from '../../testing/redis-test-server.js';
import { countersContract } from '../counters.case.js';
import { COUNTER_EXPIRY_MARGIN_MS } from '../counters.js';
import { createRedisCounters } from './redis-counters.js';

const redis = await redisTestServer('counters');

describe.skipIf(redis === undefined)('Redis counters', () => {
  afterAll(() => redis?.cleanup());
  countersContract('redis', () => createRedisCounters({ url: redis!.url, keyPrefix: redis!.keyPrefix() }));

  const minute = { ms: 60_000 };

  it('expires a counter at its window end plus the margin, on the caller clock', async () => {
    const keyPrefix = redis!.keyPrefix();
    const counters = createRedisCounters({ url: redis!.url, keyPrefix });
    const client = new Redis(redis!.url);
    try {
      const windowStart = Date.UTC(2030, 0, 1, 12, 0);
      await counters.hit('ttl', 5, minute, windowStart + 15_000);
      const ttl = await client.pttl(`${keyPrefix}ttl:60000:${windowStart}`);
      expect(ttl).toBeGreaterThan(45_000 + COUNTER_EXPIRY_MARGIN_MS - 5_000);
      expect(ttl).toBeLessThanOrEqual(45_000 + COUNTER_EXPIRY_MARGIN_MS);
    } finally {
      await counters.close();
      await client.quit();
    }
  });

  it('uses a given client, shares its counters with another instance, and leaves it open on close', async () => {
    const keyPrefix = redis!.keyPrefix();
    const client = new Redis(redis!.url);
    const borrowed = createRedisCounters({ client, keyPrefix });
    const owned = createRedisCounters({ url: redis!.url, keyPrefix });
    try {
      await borrowed.hit('shared', 2, minute, 0);
      expect(await owned.hit('shared', 2, minute, 0)).toMatchObject({ allowed: true, count: 2 });
      expect(await borrowed.hit('shared', 2, minute, 0)).toMatchObject({ allowed: false, count: 2 });
      await borrowed.close();
      expect(await client.ping()).toBe('PONG');
      await owned.close();
      await expect(owned.ping()).rejects.toThrow();
    } finally {
      await client.quit();
    }
  });

  it('needs a URL or a client', () => {
    expect(() => createRedisCounters({})).toThrow(InvalidInputError);
  });
});
