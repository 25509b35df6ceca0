import { InvalidConfigError, InvalidInputError } from '../../core/errors.js';

/** Checks a time to live given to a call: a positive integer number of milliseconds. */
export function requireTtlMs(ttlMs: unknown, field = 'ttlMs'): number {
  if (typeof ttlMs !== 'number' || !Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new InvalidInputError(field, 'must be a positive integer number of milliseconds');
  }
  return ttlMs;
}

// With the `u` flag a surrogate pair reads as one code point, so only lone surrogates match.
const LONE_SURROGATE = /\p{Cs}/u;

/** Checks a cache or lock key: a non-empty, well-formed Unicode string. */
export function requireCacheKey(key: unknown): string {
  if (typeof key !== 'string' || key === '') {
    throw new InvalidInputError('key', 'must be a non-empty string');
  }
  if (LONE_SURROGATE.test(key)) {
    throw new InvalidInputError('key', 'must be well-formed Unicode (it contains a lone surrogate)');
  }
  return key;
}

/**
 * Checks a value to store: a well-formed Unicode string. Redis stores UTF-8, where a lone surrogate
 * cannot survive, so accepting one would make the adapters disagree; `JSON.stringify` never emits one.
 */
export function requireCacheValue(value: unknown): string {
  if (typeof value !== 'string') {
    throw new InvalidInputError('value', 'must be a string');
  }
  if (LONE_SURROGATE.test(value)) {
    throw new InvalidInputError('value', 'must be well-formed Unicode (it contains a lone surrogate)');
  }
  return value;
}

/** Checks an optional positive integer option, naming it in the error; returns the fallback when absent. */
export function requirePositiveIntegerOption(
  subject: string,
  field: string,
  value: unknown,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidConfigError(subject, [{ path: field, message: 'must be a positive integer' }]);
  }
  return value;
}

/** The error every call on a closed store rejects with. */
export function closedStoreError(kind: string): Error {
  return new Error(`${kind} cache store is closed`);
}
