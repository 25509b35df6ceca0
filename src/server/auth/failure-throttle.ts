import { LRUCache } from 'lru-cache';

/** Options for `createFailureThrottle`. */
export interface FailureThrottleOptions {
  /** Failures a key may have in one window before it is throttled. */
  readonly limit: number;
  /** Window length in milliseconds; a throttled key is free again when its window ends. */
  readonly windowMs: number;
  /** Keys remembered at most (least recently failed forgotten first). */
  readonly maxKeys: number;
  readonly clock: () => number;
}

/** Counts failures per key in fixed windows. */
export interface FailureThrottle {
  /** Milliseconds until `key` may try again, or 0 when it is not throttled. */
  retryAfterMs(key: string): number;
  /** Counts one failure of `key`. */
  fail(key: string): void;
}

interface Window {
  startedAt: number;
  failures: number;
}

/**
 * A fixed-window failure counter: once a key has `limit` failures within `windowMs` of its first one, it is
 * throttled until that window ends. Memory is bounded by `maxKeys`.
 */
export function createFailureThrottle(options: FailureThrottleOptions): FailureThrottle {
  const { limit, windowMs, clock } = options;
  const windows = new LRUCache<string, Window>({ max: options.maxKeys });
  return {
    retryAfterMs(key) {
      const window = windows.get(key);
      if (window === undefined || window.failures < limit) return 0;
      return Math.max(0, window.startedAt + windowMs - clock());
    },
    fail(key) {
      const now = clock();
      const window = windows.get(key);
      if (window === undefined || now >= window.startedAt + windowMs) {
        windows.set(key, { startedAt: now, failures: 1 });
      } else {
        window.failures += 1;
      }
    },
  };
}
