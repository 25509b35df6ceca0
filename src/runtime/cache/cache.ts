import { InvalidInputError } from '../../core/errors.js';
import type { CacheStore } from './cache-store.js';
import { requireCacheKey, requirePositiveIntegerOption, requireTtlMs } from './cache-store-input.js';

/** The store call (or the JSON step) that failed, as reported to `onError`. */
export type CacheOperation = 'get' | 'set' | 'delete' | 'acquireLock' | 'releaseLock' | 'parse' | 'serialize';

/** What `onError` learns besides the error itself. */
export interface CacheErrorContext {
  operation: CacheOperation;
  key: string;
}

/** Options for `createCache`. */
export interface CacheOptions {
  /** Milliseconds from any fixed origin, for the deadline of a wait on another loader; default `performance.now`. */
  clock?: () => number;
  /** Waits between polls of a value another process is loading; default a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** How long a loader holds the cross-process lock, and so the longest a waiter waits (default 30 000 ms). */
  lockTtlMs?: number;
  /** Pause between two polls of the store while another process loads (default 50 ms). */
  waitStepMs?: number;
  /** Hears about every store failure the cache absorbed (default: ignore them). */
  onError?: (error: unknown, context: CacheErrorContext) => void;
}

/** What the loader of a missing value returns: the value, and whether it may be kept. */
export interface LoadResult<T> {
  value: T;
  /** False for results that must not be reused (a fallback answer, a refusal, a partial reply). */
  cacheable: boolean;
}

/** The value of a `getOrLoad` call and where it came from. */
export interface CacheOutcome<T> {
  value: T;
  /** True when the value was read from the store rather than loaded by this call. */
  cached: boolean;
  /** True when this call did not run its own `load`: it waited for a load another caller started. */
  shared: boolean;
}

/** JSON values over a `CacheStore`, with single-flight loading; store failures never reach the caller. */
export interface Cache {
  /**
   * Returns the cached value of `key`, or runs `load` once however many callers ask at the same time
   * (in this process by sharing one promise, across processes through the store's lock) and stores
   * its value for `ttlMs` when `cacheable`. Cached values come back as `JSON.parse` returns them.
   */
  getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<LoadResult<T>>): Promise<CacheOutcome<T>>;
  /** The cached value of `key`, or undefined when it is missing or the store failed. */
  get<T>(key: string): Promise<T | undefined>;
  /** Stores `value` as JSON for `ttlMs`; a store failure is reported to `onError`, not thrown. */
  set<T>(key: string, value: T, ttlMs: number): Promise<void>;
  /** Removes the value of `key`; a store failure is reported to `onError`, not thrown. */
  delete(key: string): Promise<void>;
}

type ReadResult<T> = { status: 'hit'; value: T } | { status: 'miss' } | { status: 'failed' };

const SUBJECT = 'invalid cache options';

/**
 * Wraps a `CacheStore` with JSON values and single-flight loading. A store that fails (Redis down)
 * turns every lookup into a miss that still calls `load`, and the failure goes to `onError`.
 *
 * @example
 * ```ts
 * const cache = createCache(createRedisCacheStore({ url: process.env.REDIS_URL }), { onError: log });
 * const { value, cached } = await cache.getOrLoad(key, 3_600_000, async () => {
 *   const reply = await generatePersona(input);
 *   return { value: reply, cacheable: reply.source === 'llm' };
 * });
 * ```
 */
export function createCache(store: CacheStore, options: CacheOptions = {}): Cache {
  const lockTtlMs = requirePositiveIntegerOption(SUBJECT, 'lockTtlMs', options.lockTtlMs, 30_000);
  const waitStepMs = requirePositiveIntegerOption(SUBJECT, 'waitStepMs', options.waitStepMs, 50);
  const clock = options.clock ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const onError = options.onError ?? (() => {});
  // Loads running in this process, by key: concurrent misses share one instead of starting their own.
  const inFlight = new Map<string, Promise<CacheOutcome<unknown>>>();

  function report(error: unknown, operation: CacheOperation, key: string): void {
    try {
      onError(error, { operation, key });
    } catch {
      // A broken error handler must not turn an absorbed store failure into a failed request.
    }
  }

  /** Reads and parses `key`; `recheck` marks a repeated read whose parse failure was reported already. */
  async function read<T>(key: string, recheck = false): Promise<ReadResult<T>> {
    let raw: string | undefined;
    try {
      raw = await store.get(key);
    } catch (error) {
      report(error, 'get', key);
      return { status: 'failed' };
    }
    if (raw === undefined) return { status: 'miss' };
    try {
      return { status: 'hit', value: JSON.parse(raw) as T };
    } catch (error) {
      // Unreadable data (written by another version, or corrupted) is a miss that the load overwrites.
      if (!recheck) report(error, 'parse', key);
      return { status: 'miss' };
    }
  }

  async function write(key: string, value: unknown, ttlMs: number): Promise<void> {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (error) {
      report(error, 'serialize', key);
      return;
    }
    if (text === undefined) {
      report(new InvalidInputError('value', 'must be JSON-serialisable to be cached'), 'serialize', key);
      return;
    }
    try {
      await store.set(key, text, ttlMs);
    } catch (error) {
      report(error, 'set', key);
    }
  }

  /** True when we hold the lock, false when someone else does, undefined when the store failed. */
  async function tryLock(key: string): Promise<boolean | undefined> {
    try {
      return await store.acquireLock(key, lockTtlMs);
    } catch (error) {
      report(error, 'acquireLock', key);
      return undefined;
    }
  }

  async function unlock(key: string): Promise<void> {
    try {
      await store.releaseLock(key);
    } catch (error) {
      report(error, 'releaseLock', key);
    }
  }

  async function loadAndStore<T>(
    key: string,
    ttlMs: number,
    load: () => Promise<LoadResult<T>>,
    holdsLock: boolean,
  ): Promise<CacheOutcome<T>> {
    try {
      if (holdsLock) {
        // Another process may have stored the value between our miss and our lock.
        const found = await read<T>(key, true);
        if (found.status === 'hit') return { value: found.value, cached: true, shared: true };
      }
      const result = await load();
      if (result.cacheable) await write(key, result.value, ttlMs);
      return { value: result.value, cached: false, shared: false };
    } finally {
      if (holdsLock) await unlock(key);
    }
  }

  async function loadOnly<T>(load: () => Promise<LoadResult<T>>): Promise<CacheOutcome<T>> {
    const result = await load();
    return { value: result.value, cached: false, shared: false };
  }

  /** Another process holds the lock: poll until its value appears, its lock frees, or it would have expired. */
  async function waitForOther<T>(
    key: string,
    ttlMs: number,
    load: () => Promise<LoadResult<T>>,
  ): Promise<CacheOutcome<T>> {
    const deadline = clock() + lockTtlMs;
    // The step count bounds the wait even when the clock does not move (a manual clock in tests).
    const maxSteps = Math.ceil(lockTtlMs / waitStepMs);
    for (let step = 0; step < maxSteps && clock() < deadline; step++) {
      await sleep(waitStepMs);
      const found = await read<T>(key, true);
      if (found.status === 'hit') return { value: found.value, cached: true, shared: true };
      if (found.status === 'failed') return loadOnly(load);
      // A freed lock without a value means the holder failed or its result was not cacheable.
      const locked = await tryLock(key);
      if (locked !== false) return loadAndStore(key, ttlMs, load, locked === true);
    }
    return loadAndStore(key, ttlMs, load, false);
  }

  async function lookUp<T>(
    key: string,
    ttlMs: number,
    load: () => Promise<LoadResult<T>>,
  ): Promise<CacheOutcome<T>> {
    const found = await read<T>(key);
    if (found.status === 'hit') return { value: found.value, cached: true, shared: false };
    // A store that cannot answer a read will not hold a lock or keep a value either: just load.
    if (found.status === 'failed') return loadOnly(load);
    const locked = await tryLock(key);
    if (locked === false) return waitForOther(key, ttlMs, load);
    return loadAndStore(key, ttlMs, load, locked === true);
  }

  return {
    async getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<LoadResult<T>>) {
      requireCacheKey(key);
      requireTtlMs(ttlMs);
      if (typeof load !== 'function') throw new InvalidInputError('load', 'must be a function');
      const running = inFlight.get(key) as Promise<CacheOutcome<T>> | undefined;
      if (running !== undefined) return Object.assign({}, await running, { shared: true });
      const started = lookUp(key, ttlMs, load).finally(() => {
        if (inFlight.get(key) === started) inFlight.delete(key);
      });
      inFlight.set(key, started);
      return started;
    },

    async get<T>(key: string) {
      requireCacheKey(key);
      const found = await read<T>(key);
      return found.status === 'hit' ? found.value : undefined;
    },

    async set<T>(key: string, value: T, ttlMs: number) {
      requireCacheKey(key);
      requireTtlMs(ttlMs);
      let text: string | undefined;
      try {
        text = JSON.stringify(value);
      } catch (error) {
        throw new InvalidInputError('value', `must be JSON-serialisable (${String(error)})`);
      }
      if (text === undefined) throw new InvalidInputError('value', 'must be JSON-serialisable');
      try {
        await store.set(key, text, ttlMs);
      } catch (error) {
        report(error, 'set', key);
      }
    },

    async delete(key: string) {
      requireCacheKey(key);
      try {
        await store.delete(key);
      } catch (error) {
        report(error, 'delete', key);
      }
    },
  };
}
