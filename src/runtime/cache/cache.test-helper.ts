import type { LoadResult } from './cache.js';
import type { CacheStore } from './cache-store.js';

/** A TTL long enough never to run out during a test. */
export const HOUR_MS = 3_600_000;

/** A promise settled from outside, to hold loads until every caller has joined. */
export function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((settle, fail) => {
    resolve = settle;
    reject = fail;
  });
  return { promise, resolve, reject };
}

/** A load that counts its calls and returns what `result` says. */
export function countingLoad<T>(result: (call: number) => Promise<LoadResult<T>> | LoadResult<T>) {
  const load = async () => {
    load.calls += 1;
    return result(load.calls);
  };
  load.calls = 0;
  return load;
}

/** A store whose every call rejects, like Redis when the server is gone. */
export function brokenStore(): CacheStore {
  const fail = async () => {
    throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
  };
  return {
    specificationVersion: 1,
    kind: 'redis',
    get: fail,
    set: fail,
    delete: fail,
    acquireLock: fail,
    releaseLock: fail,
    ping: fail,
    close: async () => {},
  };
}

/** A manual clock with a sleep that moves it, and a hook run on every sleep. */
export function manualTime(onSleep: (call: number) => Promise<void> | void = () => {}) {
  const time = {
    now: 1_000,
    sleeps: 0,
    clock: () => time.now,
    sleep: async (ms: number) => {
      time.now += ms;
      time.sleeps += 1;
      await onSleep(time.sleeps);
    },
  };
  return time;
}
