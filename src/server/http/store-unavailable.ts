import { ApiError } from './api-error.js';

/** Seconds a client is asked to wait before retrying while the store does not answer. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/** Socket errors and PostgreSQL SQLSTATEs that mean the store cannot be reached, not that a query is wrong. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  // admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/** What pg and better-sqlite3 say, without a code, when their connection is gone. */
const UNREACHABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /is not queryable/,
  /^Cannot use a pool after calling end/,
  /database connection is not open/,
];

/**
 * Whether an error means the store is unreachable (connection refused, reset or timed out, the server
 * shutting down, a connection class SQLSTATE `08xxx`), looking through `cause` and AggregateError's errors.
 */
export function isStoreUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (typeof message === 'string' && UNREACHABLE_MESSAGES.some((pattern) => pattern.test(message)))
    return true;
  if (error instanceof AggregateError && error.errors.some((inner) => isStoreUnavailable(inner, depth + 1))) {
    return true;
  }
  return isStoreUnavailable(cause, depth + 1);
}

/** The 503 a request gets when it needs the store and the store does not answer. */
export function storeUnavailable(): ApiError {
  return new ApiError(
    503,
    'STORE_UNAVAILABLE',
    'the store is not answering; this request needs it, retry shortly',
    { headers: { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) } },
  );
}
