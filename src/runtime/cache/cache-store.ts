/** Which adapter a `CacheStore` is. */
export type CacheStoreKind = 'memory' | 'redis';

/**
 * Where cached LLM outputs live: string values with a time to live, plus short exclusive locks for
 * single-flight across processes. Values are strings (the caller serialises JSON), so every adapter
 * stores exactly what it is given and all adapters behave the same.
 *
 * A lock belongs to the store instance that took it: `releaseLock` frees it only while it is still
 * that instance's lock, so a lock that expired and was taken by someone else stays theirs.
 */
export interface CacheStore {
  readonly specificationVersion: 1;
  readonly kind: CacheStoreKind;
  /** The value stored under `key`, or undefined when there is none or it expired. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key` for `ttlMs` milliseconds (a positive integer), replacing any value and TTL. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Removes the value under `key`; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Takes the lock named `key` for `ttlMs` milliseconds; false when someone holds it already. */
  acquireLock(key: string, ttlMs: number): Promise<boolean>;
  /** Frees the lock named `key` if this store instance still holds it; otherwise does nothing. */
  releaseLock(key: string): Promise<void>;
  /** Resolves when the store answers; rejects when it cannot be reached. */
  ping(): Promise<void>;
  /** Releases the store's resources; calling it again does nothing, and every other call rejects after it. */
  close(): Promise<void>;
}
