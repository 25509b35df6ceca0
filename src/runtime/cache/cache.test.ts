import { afterAll, describe, expect, it } from 'vitest';
import { redisTestServer } from '../testing/redis-test-server.js';
import { createCache, type LoadResult } from './cache.js';
import { countingLoad, deferred, HOUR_MS, manualTime } from './cache.test-helper.js';
import { createMemoryCacheStore } from './memory/memory-cache-store.js';
import { createRedisCacheStore } from './redis/redis-cache-store.js';

const redis = await redisTestServer('cache');

describe('createCache: single-flight in one process', () => {
  it('makes one load for 100 concurrent identical misses and shares its value', async () => {
    const store = createMemoryCacheStore();
    const cache = createCache(store);
    const gate = deferred<void>();
    const load = countingLoad(async () => {
      await gate.promise;
      return { value: { text: 'Hi 👋' }, cacheable: true };
    });
    const calls = Array.from({ length: 100 }, () => cache.getOrLoad('reply', HOUR_MS, load));
    gate.resolve();
    const outcomes = await Promise.all(calls);
    expect(load.calls).toBe(1);
    expect(outcomes.filter((outcome) => !outcome.shared)).toHaveLength(1);
    for (const outcome of outcomes)
      expect(outcome).toMatchObject({ value: { text: 'Hi 👋' }, cached: false });
    expect(await store.get('reply')).toBe('{"text":"Hi 👋"}');

    const again = await cache.getOrLoad('reply', HOUR_MS, load);
    expect(again).toEqual({ value: { text: 'Hi 👋' }, cached: true, shared: false });
    expect(load.calls).toBe(1);
  });

  it('loads each distinct key once', async () => {
    const cache = createCache(createMemoryCacheStore());
    const loads = new Map<string, number>();
    const calls = Array.from({ length: 100 }, (_, index) => {
      const key = `key-${index % 10}`;
      return cache.getOrLoad(key, HOUR_MS, async () => {
        loads.set(key, (loads.get(key) ?? 0) + 1);
        return { value: key, cacheable: true };
      });
    });
    const outcomes = await Promise.all(calls);
    expect([...loads.values()]).toEqual(Array.from({ length: 10 }, () => 1));
    outcomes.forEach((outcome, index) => {
      expect(outcome.value).toBe(`key-${index % 10}`);
    });
  });

  it('gives every waiter the rejection of a failed load, caches nothing and frees the lock', async () => {
    const store = createMemoryCacheStore();
    const cache = createCache(store);
    const gate = deferred<void>();
    const failure = new Error('provider timed out');
    const load = countingLoad(async (call): Promise<LoadResult<string>> => {
      await gate.promise;
      if (call === 1) throw failure;
      return { value: 'second try', cacheable: true };
    });
    const calls = Array.from({ length: 10 }, () => cache.getOrLoad('reply', HOUR_MS, load));
    gate.resolve();
    const settled = await Promise.allSettled(calls);
    expect(load.calls).toBe(1);
    for (const result of settled) expect(result).toEqual({ status: 'rejected', reason: failure });
    expect(await store.get('reply')).toBeUndefined();

    expect((await cache.getOrLoad('reply', HOUR_MS, load)).value).toBe('second try');
    expect(load.calls).toBe(2);
    expect(await store.acquireLock('reply', 1_000)).toBe(true);
  });

  it('does not store results that are not cacheable', async () => {
    const store = createMemoryCacheStore();
    const cache = createCache(store);
    const load = countingLoad((call) => ({ value: `fallback ${call}`, cacheable: false }));
    expect(await cache.getOrLoad('reply', HOUR_MS, load)).toEqual({
      value: 'fallback 1',
      cached: false,
      shared: false,
    });
    expect(await store.get('reply')).toBeUndefined();
    expect((await cache.getOrLoad('reply', HOUR_MS, load)).value).toBe('fallback 2');
    expect(await store.acquireLock('reply', 1_000)).toBe(true);
  });

  it('returns cached values as JSON gives them back, a fresh copy each time', async () => {
    const cache = createCache(createMemoryCacheStore());
    const value = { persona: { name: 'Ada', tags: ['math', 'poetry'], score: 0.5, note: null } };
    await cache.getOrLoad('persona', HOUR_MS, async () => ({ value, cacheable: true }));
    const first = await cache.getOrLoad('persona', HOUR_MS, async () => ({ value: {}, cacheable: true }));
    const second = await cache.get<typeof value>('persona');
    expect(first).toEqual({ value, cached: true, shared: false });
    expect(second).toEqual(value);
    expect(second).not.toBe(first.value);
  });
});

describe('createCache: waiting on a loader in another process', () => {
  it('reads again after taking the lock, for a value stored between its miss and its lock', async () => {
    const store = createMemoryCacheStore();
    const cache = createCache({
      ...store,
      // Another process finishes its load and frees the lock just before this one takes it.
      acquireLock: async (key, ttlMs) => {
        await store.set(key, '"from elsewhere"', HOUR_MS);
        return store.acquireLock(key, ttlMs);
      },
    });
    const load = countingLoad(() => ({ value: 'mine', cacheable: true }));
    expect(await cache.getOrLoad('reply', HOUR_MS, load)).toEqual({
      value: 'from elsewhere',
      cached: true,
      shared: true,
    });
    expect(load.calls).toBe(0);
    expect(await store.acquireLock('reply', 1_000)).toBe(true);
  });

  it('takes the value the lock holder stores, without loading', async () => {
    const store = createMemoryCacheStore();
    await store.acquireLock('reply', 30_000);
    const time = manualTime(async (call) => {
      if (call === 3) await store.set('reply', '"from elsewhere"', HOUR_MS);
    });
    const cache = createCache(store, { clock: time.clock, sleep: time.sleep, waitStepMs: 50 });
    const load = countingLoad(() => ({ value: 'mine', cacheable: true }));
    expect(await cache.getOrLoad('reply', HOUR_MS, load)).toEqual({
      value: 'from elsewhere',
      cached: true,
      shared: true,
    });
    expect(load.calls).toBe(0);
    expect(time.sleeps).toBe(3);
  });

  it('loads itself as soon as the holder frees the lock without a value', async () => {
    const store = createMemoryCacheStore();
    await store.acquireLock('reply', 30_000);
    const time = manualTime(async (call) => {
      if (call === 2) await store.releaseLock('reply');
    });
    const cache = createCache(store, { clock: time.clock, sleep: time.sleep });
    const load = countingLoad(() => ({ value: 'mine', cacheable: true }));
    expect(await cache.getOrLoad('reply', HOUR_MS, load)).toEqual({
      value: 'mine',
      cached: false,
      shared: false,
    });
    expect(load.calls).toBe(1);
    expect(time.sleeps).toBe(2);
    expect(await store.get('reply')).toBe('"mine"');
  });

  it('stops waiting and loads when the lock would have expired', async () => {
    const time = manualTime();
    const store = createMemoryCacheStore({ clock: time.clock });
    // A holder that crashed: its lock is never released, only expires.
    await store.acquireLock('reply', 1_000);
    const cache = createCache(store, {
      clock: time.clock,
      sleep: time.sleep,
      lockTtlMs: 1_000,
      waitStepMs: 100,
    });
    const load = countingLoad(() => ({ value: 'mine', cacheable: true }));
    expect(await cache.getOrLoad('reply', HOUR_MS, load)).toEqual({
      value: 'mine',
      cached: false,
      shared: false,
    });
    expect(load.calls).toBe(1);
    expect(time.sleeps).toBe(10);
    expect(await store.get('reply')).toBe('"mine"');
  });

  it('bounds the wait by steps even when the clock stands still', async () => {
    const store = createMemoryCacheStore();
    await store.acquireLock('reply', 60_000);
    let sleeps = 0;
    const cache = createCache(store, {
      clock: () => 0,
      sleep: async () => {
        sleeps += 1;
      },
      lockTtlMs: 500,
      waitStepMs: 100,
    });
    expect((await cache.getOrLoad('reply', HOUR_MS, async () => ({ value: 1, cacheable: true }))).value).toBe(
      1,
    );
    expect(sleeps).toBe(5);
  });
});

describe.skipIf(redis === undefined)('createCache over Redis', () => {
  afterAll(() => redis?.cleanup());

  it('makes one load per key across two caches on separate connections', async () => {
    const keyPrefix = redis!.keyPrefix();
    const stores = [
      createRedisCacheStore({ url: redis!.url, keyPrefix }),
      createRedisCacheStore({ url: redis!.url, keyPrefix }),
    ];
    try {
      const caches = stores.map((store) => createCache(store, { waitStepMs: 5 }));
      const loads = new Map<string, number>();
      const calls = Array.from({ length: 100 }, (_, index) => {
        const key = `key-${index % 10}`;
        return caches[index % 2]!.getOrLoad(key, 60_000, async () => {
          loads.set(key, (loads.get(key) ?? 0) + 1);
          await new Promise((resolve) => setTimeout(resolve, 20));
          return { value: { key, loadedBy: index % 2 }, cacheable: true };
        });
      });
      const outcomes = await Promise.all(calls);
      expect([...loads.keys()].sort()).toEqual(Array.from({ length: 10 }, (_, index) => `key-${index}`));
      expect([...loads.values()]).toEqual(Array.from({ length: 10 }, () => 1));
      const byKey = new Map<string, unknown>();
      outcomes.forEach((outcome, index) => {
        const key = `key-${index % 10}`;
        expect(outcome.value.key).toBe(key);
        byKey.set(key, byKey.get(key) ?? outcome.value);
        expect(outcome.value).toEqual(byKey.get(key));
      });
      // Exactly one call per key ran its load; every other one was shared or read from the store.
      expect(outcomes.filter((outcome) => !outcome.shared && !outcome.cached)).toHaveLength(10);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
