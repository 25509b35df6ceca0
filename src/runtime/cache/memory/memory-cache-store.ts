import { LRUCache } from 'lru-cache';
import { InvalidConfigError } from '../../../core/errors.js';
import type { CacheStore } from '../cache-store.js';
import {
  closedStoreError,
  requireCacheKey,
  requireCacheValue,
  requirePositiveIntegerOption,
  requireTtlMs,
} from '../cache-store-input.js';

/** Options for `createMemoryCacheStore`. */
export interface MemoryCacheStoreOptions {
  /** Most values held at once; the least recently used go first. Default 10 000. */
  maxEntries?: number;
  /**
   * Most memory the keys and values may take, counted as 2 bytes per UTF-16 code unit (how V8 holds
   * them at worst). Default 128 MiB. A value larger than this on its own is not stored.
   */
  maxBytes?: number;
  /** Milliseconds from any fixed origin, read for every TTL check; default `performance.now`. */
  clock?: () => number;
}

/** The default byte budget: enough for thousands of LLM replies, small enough for any server. */
export const DEFAULT_MEMORY_CACHE_MAX_BYTES = 128 * 1024 * 1024;

const SUBJECT = 'invalid memory cache store options';

/**
 * A `CacheStore` in this process's memory, on lru-cache with a TTL per entry: fast, and private to
 * the process (use the Redis store to share a cache between processes).
 *
 * @example
 * ```ts
 * const store = createMemoryCacheStore({ maxEntries: 5_000 });
 * await store.set('sy:cache:v1:coach-reply:v2:ab12…', '{"text":"Hi"}', 60_000);
 * ```
 */
export function createMemoryCacheStore(options: MemoryCacheStoreOptions = {}): CacheStore {
  const maxEntries = requirePositiveIntegerOption(SUBJECT, 'maxEntries', options.maxEntries, 10_000);
  const maxBytes = requirePositiveIntegerOption(
    SUBJECT,
    'maxBytes',
    options.maxBytes,
    DEFAULT_MEMORY_CACHE_MAX_BYTES,
  );
  const clock = options.clock ?? (() => performance.now());
  if (typeof clock !== 'function') {
    throw new InvalidConfigError(SUBJECT, [{ path: 'clock', message: 'must be a function' }]);
  }
  // lru-cache reads a start time of 0 as "no TTL", so time is counted from 1 at creation. And it
  // otherwise reuses one clock reading for up to 1 ms of real time, hiding a manual clock's jumps.
  const origin = clock();
  const timing = { perf: { now: () => clock() - origin + 1 }, ttlResolution: 0 };
  const values = new LRUCache<string, string>({
    max: maxEntries,
    maxSize: maxBytes,
    sizeCalculation: (value, key) => 2 * (key.length + value.length),
    ...timing,
  });
  const locks = new LRUCache<string, true>({ max: maxEntries, ...timing });
  let closed = false;

  function requireOpen(): void {
    if (closed) throw closedStoreError('memory');
  }

  return {
    specificationVersion: 1,
    kind: 'memory',
    async get(key) {
      requireOpen();
      return values.get(requireCacheKey(key));
    },
    async set(key, value, ttlMs) {
      requireOpen();
      // An oversized value is dropped by lru-cache, old value included, as if it expired at once.
      values.set(requireCacheKey(key), requireCacheValue(value), { ttl: requireTtlMs(ttlMs) });
    },
    async delete(key) {
      requireOpen();
      values.delete(requireCacheKey(key));
    },
    async acquireLock(key, ttlMs) {
      requireOpen();
      requireCacheKey(key);
      requireTtlMs(ttlMs);
      if (locks.has(key)) return false;
      locks.set(key, true, { ttl: ttlMs });
      return true;
    },
    async releaseLock(key) {
      requireOpen();
      locks.delete(requireCacheKey(key));
    },
    async ping() {
      requireOpen();
    },
    async close() {
      if (closed) return;
      closed = true;
      values.clear();
      locks.clear();
    },
  };
}
