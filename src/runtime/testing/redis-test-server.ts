import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** Where tests look for Redis unless `SWITCHYARD_TEST_REDIS_URL` says otherwise. */
export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** A reachable Redis for one test file: a unique key prefix per use, all removed by `cleanup`. */
export interface RedisTestServer {
  readonly url: string;
  /** A fresh key prefix such as `sy_test_cache_1a2b3c4d_1:`. */
  keyPrefix(): string;
  /** Deletes every key under the prefixes this object handed out. */
  cleanup(): Promise<void>;
}

/**
 * Probes the test Redis. When it is unreachable: throws under `CI=true` (CI must run the suite),
 * otherwise prints one line and resolves undefined so the caller can skip its Redis suite.
 *
 * @example
 * const redis = await redisTestServer('cache');
 * describe.skipIf(redis === undefined)('Redis cache', () => { ... });
 */
export async function redisTestServer(
  suite: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RedisTestServer | undefined> {
  const url = env.SWITCHYARD_TEST_REDIS_URL ?? DEFAULT_TEST_REDIS_URL;
  const problem = await probe(url);
  if (problem !== undefined) {
    const line = `Redis not reachable at ${url} (${problem}): set SWITCHYARD_TEST_REDIS_URL or start Redis to run the Redis suite`;
    if (env.CI === 'true') throw new Error(line);
    console.warn(line);
    return undefined;
  }
  const base = `sy_test_${suite
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  const prefixes: string[] = [];
  return {
    url,
    keyPrefix() {
      const prefix = `${base}_${prefixes.length + 1}:`;
      prefixes.push(prefix);
      return prefix;
    },
    async cleanup() {
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await client.connect();
      try {
        for (const prefix of prefixes.splice(0)) {
          let cursor = '0';
          do {
            const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
            cursor = next;
            if (keys.length > 0) await client.del(...keys);
          } while (cursor !== '0');
        }
      } finally {
        client.disconnect();
      }
    },
  };
}

async function probe(url: string): Promise<string | undefined> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    client.disconnect();
  }
}
