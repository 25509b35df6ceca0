import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { InvalidConfigError } from '../../../core/errors.js';
import type { CacheStore } from '../cache-store.js';
import {
  closedStoreError,
  requireCacheKey,
  requireCacheValue,
  requirePositiveIntegerOption,
  requireTtlMs,
} from '../cache-store-input.js';

/** Options for `createRedisCacheStore`: give a `url` (the store owns that connection) or a `client`. */
export interface RedisCacheStoreOptions {
  /** `redis://host:port/db`; the store opens this connection lazily and closes it on `close()`. */
  url?: string;
  /** A connection the application owns; the store uses it and never closes it. */
  client?: Redis;
  /** Put before every key and lock, so several installations or tests can share one Redis. */
  keyPrefix?: string;
  /**
   * How long one command on the store's own connection may take before it fails, in ms (default
   * 1000): a slow or unreachable Redis turns into a quick cache miss instead of a slow request.
   */
  commandTimeoutMs?: number;
  /** Makes the token that proves a lock is ours; default `randomUUID`. */
  createLockToken?: () => string;
}

const SUBJECT = 'invalid Redis cache store options';

// Deletes the lock only while it still carries our token: a lock that expired and was taken by
// another process must not be freed by the first holder finishing late.
const RELEASE_LOCK_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0`;

/**
 * A `CacheStore` in Redis, shared by every process that uses the same Redis and key prefix: values
 * are `SET key value PX ttl`, locks `SET lock:key token NX PX ttl`, released by a token-checking script.
 *
 * @example
 * ```ts
 * const store = createRedisCacheStore({ url: 'redis://127.0.0.1:6379', keyPrefix: 'app:' });
 * await store.set('sy:cache:v1:coach-reply:v2:ab12…', '{"text":"Hi"}', 60_000);
 * await store.close();
 * ```
 */
export function createRedisCacheStore(options: RedisCacheStoreOptions): CacheStore {
  const keyPrefix = options.keyPrefix ?? '';
  if (typeof keyPrefix !== 'string') {
    throw new InvalidConfigError(SUBJECT, [{ path: 'keyPrefix', message: 'must be a string' }]);
  }
  const { client, ownsClient } = connect(options);
  const createLockToken = options.createLockToken ?? randomUUID;
  // The token of each lock this instance holds, so release can prove ownership.
  const lockTokens = new Map<string, string>();
  let closing: Promise<void> | undefined;

  function requireOpen(): void {
    if (closing !== undefined) throw closedStoreError('Redis');
  }
  const valueKey = (key: string) => `${keyPrefix}${requireCacheKey(key)}`;
  const lockKey = (key: string) => `${keyPrefix}lock:${requireCacheKey(key)}`;

  return {
    specificationVersion: 1,
    kind: 'redis',
    async get(key) {
      requireOpen();
      const value = await client.get(valueKey(key));
      return value ?? undefined;
    },
    async set(key, value, ttlMs) {
      requireOpen();
      await client.set(valueKey(key), requireCacheValue(value), 'PX', requireTtlMs(ttlMs));
    },
    async delete(key) {
      requireOpen();
      await client.del(valueKey(key));
    },
    async acquireLock(key, ttlMs) {
      requireOpen();
      const name = lockKey(key);
      requireTtlMs(ttlMs);
      const token = createLockToken();
      const reply = await client.set(name, token, 'PX', ttlMs, 'NX');
      if (reply !== 'OK') return false;
      lockTokens.set(name, token);
      return true;
    },
    async releaseLock(key) {
      requireOpen();
      const name = lockKey(key);
      const token = lockTokens.get(name);
      if (token === undefined) return;
      lockTokens.delete(name);
      await client.eval(RELEASE_LOCK_SCRIPT, 1, name, token);
    },
    async ping() {
      requireOpen();
      await client.ping();
    },
    close() {
      closing ??= closeClient(client, ownsClient).finally(() => lockTokens.clear());
      return closing;
    },
  };
}

function connect(options: RedisCacheStoreOptions): { client: Redis; ownsClient: boolean } {
  if (options.client !== undefined && options.url !== undefined) {
    throw new InvalidConfigError(SUBJECT, [{ path: 'url', message: 'give either url or client, not both' }]);
  }
  if (options.client !== undefined) return { client: options.client, ownsClient: false };
  if (typeof options.url !== 'string' || !/^rediss?:\/\//.test(options.url)) {
    throw new InvalidConfigError(SUBJECT, [
      { path: 'url', message: 'must be a redis:// or rediss:// URL (or give a client)' },
    ]);
  }
  const commandTimeout = requirePositiveIntegerOption(
    SUBJECT,
    'commandTimeoutMs',
    options.commandTimeoutMs,
    1_000,
  );
  const client = new Redis(options.url, {
    // Connecting on first use keeps creation synchronous and lets an app start while Redis is down.
    lazyConnect: true,
    connectTimeout: 2_000,
    commandTimeout,
    // Fail queued commands after one reconnect attempt: the cache treats a failure as a miss.
    maxRetriesPerRequest: 1,
  });
  // Every failure also rejects the command that met it, and the cache reports those; without a
  // listener ioredis would print each reconnect error to stderr.
  client.on('error', () => {});
  return { client, ownsClient: true };
}

async function closeClient(client: Redis, ownsClient: boolean): Promise<void> {
  if (!ownsClient) return;
  // QUIT lets replies in flight arrive; on a connection that is not up it would connect first.
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // The connection failed while quitting; dropping it below is all that is left to do.
    }
  }
  client.disconnect();
}
