import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../core/errors.js';
import type { CacheStore, CacheStoreKind } from './cache-store.js';

/** What the suite needs besides a way to open a store. */
export interface CacheStoreContractOptions {
  kind: CacheStoreKind;
  /** Lets `ms` milliseconds pass for the stores `open` returns: moves their manual clock, or waits. */
  elapse(ms: number): Promise<void>;
}

/** A TTL short enough for a real Redis test to wait out, long enough to survive the round trips. */
const SHORT_TTL_MS = 120;
const LONG_TTL_MS = 600_000;

/**
 * The contract every `CacheStore` adapter must pass. `open` must return a new, empty store on each
 * call; the suite closes it after each test.
 */
export function cacheStoreContract(
  name: string,
  open: () => Promise<CacheStore>,
  options: CacheStoreContractOptions,
): void {
  describe(`CacheStore contract: ${name}`, () => {
    let store: CacheStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('identifies itself and answers a ping', async () => {
      expect(store.specificationVersion).toBe(1);
      expect(store.kind).toBe(options.kind);
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('gets what was set, nothing for unknown keys, and nothing after delete', async () => {
      expect(await store.get('missing')).toBeUndefined();
      await store.set('reply', '{"text":"hello"}', LONG_TTL_MS);
      expect(await store.get('reply')).toBe('{"text":"hello"}');
      await store.delete('reply');
      expect(await store.get('reply')).toBeUndefined();
      await expect(store.delete('reply')).resolves.toBeUndefined();
    });

    it('keeps keys apart that differ only in case, spaces or separators', async () => {
      const keys = ['a', 'A', 'a ', ' a', 'a:b', 'a:b:', 'lock:a', 'ключ', '🔑'];
      for (const [index, key] of keys.entries()) await store.set(key, `value-${index}`, LONG_TTL_MS);
      for (const [index, key] of keys.entries()) expect(await store.get(key)).toBe(`value-${index}`);
    });

    it('overwrites a value and its TTL', async () => {
      await store.set('reply', 'first', SHORT_TTL_MS);
      await store.set('reply', 'second', LONG_TTL_MS);
      expect(await store.get('reply')).toBe('second');
      await options.elapse(SHORT_TTL_MS + 1);
      expect(await store.get('reply')).toBe('second');
    });

    it('expires each value after its own TTL', async () => {
      await store.set('short', 'gone soon', SHORT_TTL_MS);
      await store.set('long', 'stays', LONG_TTL_MS);
      expect(await store.get('short')).toBe('gone soon');
      await options.elapse(SHORT_TTL_MS + 1);
      expect(await store.get('short')).toBeUndefined();
      expect(await store.get('long')).toBe('stays');
    });

    it('stores unicode, empty and 1 MB values exactly', async () => {
      const unicode =
        'Coach 🧭 日本語 עברית e\u0301 family 👩‍👩‍👧 line\u2028break nul\u0000 "quoted" \\ back';
      // Mixed 1-, 2-, 3- and 4-byte UTF-8 characters: 1.1 MB as UTF-8.
      const large = 'aé€😀 '.repeat(100_000);
      await store.set('unicode', unicode, LONG_TTL_MS);
      await store.set('empty', '', LONG_TTL_MS);
      await store.set('large', large, LONG_TTL_MS);
      expect(await store.get('unicode')).toBe(unicode);
      expect(await store.get('empty')).toBe('');
      const read = await store.get('large');
      expect(read?.length).toBe(large.length);
      expect(read === large).toBe(true);
    });

    it('rejects a TTL that is not a positive integer, naming the field', async () => {
      for (const ttlMs of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expect(store.set('key', 'value', ttlMs)).rejects.toMatchObject({ field: 'ttlMs' });
        await expect(store.acquireLock('key', ttlMs)).rejects.toMatchObject({ field: 'ttlMs' });
      }
      expect(await store.get('key')).toBeUndefined();
      await expect(store.set('key', 'value', 0)).rejects.toBeInstanceOf(InvalidInputError);
    });

    it('rejects empty keys and values that are not well-formed strings', async () => {
      await expect(store.get('')).rejects.toMatchObject({ field: 'key' });
      await expect(store.set('', 'value', LONG_TTL_MS)).rejects.toMatchObject({ field: 'key' });
      await expect(store.set('key', 'lone \ud800', LONG_TTL_MS)).rejects.toMatchObject({ field: 'value' });
      await expect(store.set('key', 42 as unknown as string, LONG_TTL_MS)).rejects.toMatchObject({
        field: 'value',
      });
    });

    it('hands a lock to one taker until it is released', async () => {
      expect(await store.acquireLock('job', LONG_TTL_MS)).toBe(true);
      expect(await store.acquireLock('job', LONG_TTL_MS)).toBe(false);
      expect(await store.acquireLock('other-job', LONG_TTL_MS)).toBe(true);
      await store.releaseLock('job');
      expect(await store.acquireLock('job', LONG_TTL_MS)).toBe(true);
      await expect(store.releaseLock('never-taken')).resolves.toBeUndefined();
    });

    it('keeps locks and values apart', async () => {
      expect(await store.acquireLock('reply', LONG_TTL_MS)).toBe(true);
      expect(await store.get('reply')).toBeUndefined();
      await store.set('reply', 'value', LONG_TTL_MS);
      await store.delete('reply');
      expect(await store.acquireLock('reply', LONG_TTL_MS)).toBe(false);
    });

    it('frees a lock when its TTL runs out', async () => {
      expect(await store.acquireLock('job', SHORT_TTL_MS)).toBe(true);
      expect(await store.acquireLock('job', SHORT_TTL_MS)).toBe(false);
      await options.elapse(SHORT_TTL_MS + 1);
      expect(await store.acquireLock('job', SHORT_TTL_MS)).toBe(true);
    });

    it('closes idempotently and refuses calls once closed', async () => {
      await store.set('reply', 'value', LONG_TTL_MS);
      await store.close();
      await expect(store.close()).resolves.toBeUndefined();
      await expect(store.get('reply')).rejects.toThrow(/closed/);
      await expect(store.set('reply', 'value', LONG_TTL_MS)).rejects.toThrow(/closed/);
      await expect(store.acquireLock('job', LONG_TTL_MS)).rejects.toThrow(/closed/);
      await expect(store.ping()).rejects.toThrow(/closed/);
    });
  });
}
