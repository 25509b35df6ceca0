import {
  APICallError,
  EmptyResponseBodyError,
  InvalidArgumentError,
  InvalidPromptError,
  InvalidResponseDataError,
  JSONParseError,
  LoadAPIKeyError,
  NoContentGeneratedError,
  NoSuchModelError,
  TypeValidationError,
  UnsupportedFunctionalityError,
} from 'ai';
import { ModelCallError } from './model-call-error.js';
import { parseRetryAfterMs } from './parse-retry-after.js';

/** What `classifyError` needs besides the error. */
export interface ClassifyErrorOptions {
  /** The current time in epoch milliseconds, for Retry-After dates. Default `Date.now()`. */
  nowMs?: number;
  /** The signal the call ran with: an abort whose reason is a TimeoutError counts as our timeout. */
  abortSignal?: AbortSignal;
}

/** Network error codes of a request that never reached the provider or lost its connection. */
const connectionCodes: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ConnectionRefused',
  'ConnectionClosed',
  'FailedToOpenSocket',
]);
/** Network error codes of a socket that waited too long. */
const timeoutCodes: ReadonlySet<string> = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
// `\bterminated` (undici's "terminated") must not match a JSON parser's "Unterminated string".
const connectionMessage =
  /ECONNRESET|ECONNREFUSED|socket hang up|fetch failed|other side closed|\bterminated\b/i;

/**
 * Maps an error of the AI SDK, the network or an abort to a `ModelCallError` with its error class and
 * whether a retry may help (a `ModelCallError` passes through unchanged):
 *
 * - HTTP 429 → `rate_limited`, 5xx → `server_error`, 408 → `timeout`: retryable, with Retry-After read
 *   from `retry-after-ms` or `retry-after`; any other 4xx → `client_error`, not retryable.
 * - Connection refused or reset, `fetch failed`, `socket hang up` → `connection`, retryable.
 * - An abort whose reason is a TimeoutError, and socket timeouts → `timeout`, retryable; any other
 *   abort → `unknown`, not retryable (the caller gave up).
 * - A 2xx answer whose body is not the JSON the provider's API promises (truncated, empty, wrong
 *   shape) → `parse_error`, retryable: it is a transport fault, and a fresh request usually succeeds.
 *   (A reply whose *content* fails a structured-output schema is handled by `callModel`'s repair, and
 *   is not retryable.)
 * - Missing API key, invalid prompt or arguments, unsupported features → `client_error`, not retryable.
 * - Anything else → `unknown`, not retryable.
 *
 * @example
 * const failure = classifyError(error, { abortSignal: signal });
 * if (failure.retryable) scheduleRetry(failure.retryAfterMs);
 */
export function classifyError(error: unknown, options: ClassifyErrorOptions = {}): ModelCallError {
  if (error instanceof ModelCallError) return error;
  if (APICallError.isInstance(error)) return classifyApiCallError(error, options.nowMs ?? Date.now());
  const signal = options.abortSignal;
  if (isAbortError(error) || signal?.aborted === true) {
    if (isTimeoutError(error) || isTimeoutError(signal?.reason)) {
      return new ModelCallError('the model call timed out', {
        errorClass: 'timeout',
        retryable: true,
        cause: error,
      });
    }
    return new ModelCallError('the model call was aborted', {
      errorClass: 'unknown',
      retryable: false,
      cause: error,
    });
  }
  const network = networkFailure(error);
  if (network !== undefined) {
    return new ModelCallError(`network error: ${messageOf(error)}`, {
      errorClass: network,
      retryable: true,
      cause: error,
    });
  }
  if (
    JSONParseError.isInstance(error) ||
    TypeValidationError.isInstance(error) ||
    EmptyResponseBodyError.isInstance(error) ||
    InvalidResponseDataError.isInstance(error) ||
    NoContentGeneratedError.isInstance(error)
  ) {
    return new ModelCallError(`malformed provider response: ${messageOf(error)}`, {
      errorClass: 'parse_error',
      retryable: true,
      cause: error,
    });
  }
  if (
    LoadAPIKeyError.isInstance(error) ||
    InvalidPromptError.isInstance(error) ||
    InvalidArgumentError.isInstance(error) ||
    UnsupportedFunctionalityError.isInstance(error) ||
    NoSuchModelError.isInstance(error)
  ) {
    return new ModelCallError(messageOf(error), {
      errorClass: 'client_error',
      retryable: false,
      cause: error,
    });
  }
  return new ModelCallError(messageOf(error), { errorClass: 'unknown', retryable: false, cause: error });
}

function classifyApiCallError(error: APICallError, nowMs: number): ModelCallError {
  const status = error.statusCode;
  if (status === undefined) {
    // No answer at all: the AI SDK wraps refused, reset and timed-out connections this way.
    const network = networkFailure(error.cause) ?? 'connection';
    return new ModelCallError(`network error: ${error.message}`, {
      errorClass: network,
      retryable: true,
      cause: error,
    });
  }
  const retryAfterMs = parseRetryAfterMs(error.responseHeaders, nowMs);
  const message = `provider answered ${status}: ${error.message}`;
  if (status < 400) {
    return new ModelCallError(`malformed provider response (${status}): ${error.message}`, {
      errorClass: 'parse_error',
      retryable: true,
      status,
      cause: error,
    });
  }
  if (status === 429) {
    return new ModelCallError(message, {
      errorClass: 'rate_limited',
      retryable: true,
      status,
      retryAfterMs,
      cause: error,
    });
  }
  if (status >= 500) {
    return new ModelCallError(message, {
      errorClass: 'server_error',
      retryable: true,
      status,
      retryAfterMs,
      cause: error,
    });
  }
  if (status === 408) {
    return new ModelCallError(message, {
      errorClass: 'timeout',
      retryable: true,
      status,
      retryAfterMs,
      cause: error,
    });
  }
  return new ModelCallError(message, { errorClass: 'client_error', retryable: false, status, cause: error });
}

/** Walks the cause chain for a network error code or message; `undefined` when it is not a network error. */
function networkFailure(error: unknown): 'connection' | 'timeout' | undefined {
  const seen = new Set<unknown>();
  let current = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && timeoutCodes.has(code)) return 'timeout';
    if (typeof code === 'string' && connectionCodes.has(code)) return 'connection';
    if (connectionMessage.test(current.message)) return 'connection';
    current = current.cause;
  }
  return undefined;
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

function isTimeoutError(value: unknown): boolean {
  return value instanceof Error && value.name === 'TimeoutError';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
