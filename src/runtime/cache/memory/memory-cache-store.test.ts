import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../../../core/errors.js';
import { cacheStoreContract } from '../cache-store.case.js';
import { createMemoryCacheStore } from './memory-cache-store.js';

describe('memory cache store', () => {
  let now = 1_000;
  const clock = () => now;
  cacheStoreContract('memory', async () => createMemoryCacheStore({ clock }), {
    kind: 'memory',
    elapse: async (ms) => {
      now += ms;
    },
  });

  it('keeps a value for exactly its TTL on the injected clock', async () => {
    let time = 0;
    const store = createMemoryCacheStore({ clock: () => time });
    await store.set('reply', 'value', 100);
    time = 100;
    expect(await store.get('reply')).toBe('value');
    time = 101;
    expect(await store.get('reply')).toBeUndefined();
  });

  it('evicts the least recently used value beyond maxEntries', async () => {
    const store = createMemoryCacheStore({ maxEntries: 2, clock });
    await store.set('a', '1', 60_000);
    await store.set('b', '2', 60_000);
    expect(await store.get('a')).toBe('1');
    await store.set('c', '3', 60_000);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBe('1');
    expect(await store.get('c')).toBe('3');
  });

  it('evicts by size beyond maxBytes and drops a value too large on its own', async () => {
    // Each entry below weighs 2 bytes per code unit of key and value: 2 * (1 + 9) = 20.
    const store = createMemoryCacheStore({ maxBytes: 50, clock });
    await store.set('a', 'x'.repeat(9), 60_000);
    await store.set('b', 'y'.repeat(9), 60_000);
    await store.set('c', 'z'.repeat(9), 60_000);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('c')).toBe('z'.repeat(9));
    await store.set('c', 'w'.repeat(100), 60_000);
    expect(await store.get('c')).toBeUndefined();
    expect(await store.get('b')).toBe('y'.repeat(9));
  });

  it('rejects bad options, naming the field', () => {
    for (const [field, options] of [
      ['maxEntries', { maxEntries: 0 }],
      ['maxEntries', { maxEntries: 2.5 }],
      ['maxBytes', { maxBytes: -1 }],
      ['clock', { clock: 5 as unknown as () => number }],
    ] as const) {
      const attempt = () => createMemoryCacheStore(options);
      expect(attempt).toThrow(InvalidConfigError);
      try {
        attempt();
      } catch (error) {
        expect((error as InvalidConfigError).path).toBe(field);
      }
    }
  });

  it('keeps separate stores apart', async () => {
    const first = createMemoryCacheStore({ clock });
    const second = createMemoryCacheStore({ clock });
    await first.set('reply', 'value', 60_000);
    expect(await first.acquireLock('job', 60_000)).toBe(true);
    expect(await second.get('reply')).toBeUndefined();
    expect(await second.acquireLock('job', 60_000)).toBe(true);
  });
});
