/** LLM output caching: the `CacheStore` seam, its memory and Redis adapters, single-flight and keys. */
export {
  type Cache,
  type CacheErrorContext,
  type CacheOperation,
  type CacheOptions,
  type CacheOutcome,
  createCache,
  type LoadResult,
} from './cache.js';
export {
  CACHE_KEY_PREFIX,
  type DerivedCacheKeyInput,
  derivedCacheKey,
  type ExactCacheKeyInput,
  exactCacheKey,
} from './cache-key.js';
export type { CacheStore, CacheStoreKind } from './cache-store.js';
export {
  createMemoryCacheStore,
  DEFAULT_MEMORY_CACHE_MAX_BYTES,
  type MemoryCacheStoreOptions,
} from './memory/memory-cache-store.js';
export { createRedisCacheStore, type RedisCacheStoreOptions } from './redis/redis-cache-store.js';
