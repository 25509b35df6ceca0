import { describe, expect, it } from 'vitest';
import { InvalidConfigError, InvalidInputError } from '../../core/errors.js';
import { type CacheErrorContext, createCache, type LoadResult } from './cache.js';
import { brokenStore, countingLoad, HOUR_MS } from './cache.test-helper.js';
import { createMemoryCacheStore } from './memory/memory-cache-store.js';
import { createRedisCacheStore } from './redis/redis-cache-store.js';

describe('createCache: a failing store never fails the caller', () => {
  it('loads on every call and reports each failure when every store call fails', async () => {
    const errors: CacheErrorContext[] = [];
    const cache = createCache(brokenStore(), { onError: (_error, context) => errors.push(context) });
    const load = countingLoad((call) => ({ value: `fresh ${call}`, cacheable: true }));
    expect(await cache.getOrLoad('reply', HOUR_MS, load)).toEqual({
      value: 'fresh 1',
      cached: false,
      shared: false,
    });
    expect((await cache.getOrLoad('reply', HOUR_MS, load)).value).toBe('fresh 2');
    expect(await cache.get('reply')).toBeUndefined();
    await expect(cache.set('reply', 'value', HOUR_MS)).resolves.toBeUndefined();
    await expect(cache.delete('reply')).resolves.toBeUndefined();
    expect(errors.map((context) => context.operation)).toEqual(['get', 'get', 'get', 'set', 'delete']);
    expect(errors.every((context) => context.key === 'reply')).toBe(true);
  });

  it('still shares one load between concurrent callers while the store is down', async () => {
    const cache = createCache(brokenStore());
    const load = countingLoad(() => ({ value: 'fresh', cacheable: true }));
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => cache.getOrLoad('reply', 1_000, load)),
    );
    expect(load.calls).toBe(1);
    expect(outcomes.every((outcome) => outcome.value === 'fresh')).toBe(true);
  });

  it('degrades to loading when Redis cannot be reached', async () => {
    const store = createRedisCacheStore({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 500 });
    const operations: string[] = [];
    try {
      const cache = createCache(store, { onError: (_error, context) => operations.push(context.operation) });
      const outcome = await cache.getOrLoad('reply', HOUR_MS, async () => ({
        value: 'fresh',
        cacheable: true,
      }));
      expect(outcome).toEqual({ value: 'fresh', cached: false, shared: false });
      expect(operations).toEqual(['get']);
    } finally {
      await store.close();
    }
  });

  it('loads and stores without single-flight when only the lock fails', async () => {
    const store = createMemoryCacheStore();
    const errors: string[] = [];
    const cache = createCache(
      {
        ...store,
        acquireLock: async () => {
          throw new Error('NOSCRIPT');
        },
      },
      { onError: (_error, context) => errors.push(context.operation) },
    );
    expect(
      (await cache.getOrLoad('reply', HOUR_MS, async () => ({ value: 'fresh', cacheable: true }))).value,
    ).toBe('fresh');
    expect(await store.get('reply')).toBe('"fresh"');
    expect(errors).toEqual(['acquireLock']);
  });

  it('treats unreadable cached data as a miss and replaces it', async () => {
    const store = createMemoryCacheStore();
    await store.set('reply', '{not json', HOUR_MS);
    const errors: string[] = [];
    const cache = createCache(store, { onError: (_error, context) => errors.push(context.operation) });
    const outcome = await cache.getOrLoad('reply', HOUR_MS, async () => ({
      value: 'fresh',
      cacheable: true,
    }));
    expect(outcome).toEqual({ value: 'fresh', cached: false, shared: false });
    expect(errors).toEqual(['parse']);
    expect(await store.get('reply')).toBe('"fresh"');
  });

  it('returns a value that cannot be serialised without storing it', async () => {
    const store = createMemoryCacheStore();
    const errors: string[] = [];
    const cache = createCache(store, { onError: (_error, context) => errors.push(context.operation) });
    const outcome = await cache.getOrLoad('reply', HOUR_MS, async () => ({ value: 10n, cacheable: true }));
    expect(outcome.value).toBe(10n);
    expect(errors).toEqual(['serialize']);
    expect(await store.get('reply')).toBeUndefined();
  });

  it('survives an error handler that throws', async () => {
    const cache = createCache(brokenStore(), {
      onError: () => {
        throw new Error('logger down');
      },
    });
    expect((await cache.getOrLoad('reply', HOUR_MS, async () => ({ value: 1, cacheable: true }))).value).toBe(
      1,
    );
  });
});

describe('createCache: input checks', () => {
  it('rejects a bad key, TTL or load before loading, naming the field', async () => {
    const cache = createCache(createMemoryCacheStore());
    const load = countingLoad(() => ({ value: 1, cacheable: true }));
    await expect(cache.getOrLoad('reply', 0, load)).rejects.toMatchObject({ field: 'ttlMs' });
    await expect(cache.getOrLoad('reply', 1.5, load)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(cache.getOrLoad('', HOUR_MS, load)).rejects.toMatchObject({ field: 'key' });
    await expect(
      cache.getOrLoad('reply', HOUR_MS, 'load' as unknown as () => Promise<LoadResult<number>>),
    ).rejects.toMatchObject({ field: 'load' });
    await expect(cache.set('reply', undefined, HOUR_MS)).rejects.toMatchObject({ field: 'value' });
    await expect(cache.set('reply', 1, -5)).rejects.toMatchObject({ field: 'ttlMs' });
    expect(load.calls).toBe(0);
  });

  it('rejects bad options, naming the field', () => {
    for (const [field, options] of [
      ['lockTtlMs', { lockTtlMs: 0 }],
      ['waitStepMs', { waitStepMs: 2.5 }],
    ] as const) {
      let caught: unknown;
      try {
        createCache(createMemoryCacheStore(), options);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidConfigError);
      expect((caught as InvalidConfigError).path).toBe(field);
    }
  });
});
