import {
  AllVariantsFailedError,
  BudgetExceededError,
  FeatureNotFoundError,
  InvalidInputError,
  RateLimitedError,
  SwitchyardError,
  type VariantFailure,
} from '../../core/errors.js';
import { ModelCallError } from '../../runtime/model-call/model-call-error.js';
import {
  isStoreUnavailable,
  STORE_RETRY_AFTER_SECONDS,
  storeUnavailable,
} from '../http/store-unavailable.js';

/** The error object of an OpenAI-style error body. */
export interface OpenAIErrorObject {
  readonly message: string;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;
}

/** An error as the gateway answers it: status, extra headers and the `{ error }` body. */
export interface OpenAIErrorAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: { readonly error: OpenAIErrorObject };
  /** False for failures the caller did not cause (they are logged). */
  readonly expected: boolean;
}

/** Fastify's own request errors, by code, as OpenAI clients expect them. */
const REQUEST_ERRORS: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'the body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the body is empty but the content type is JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the body is too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'send JSON (content-type: application/json)',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'content-length does not match the body',
};

/**
 * Error classes of a variant's failure that trying the same request again cannot cure: the request or
 * the feature is at fault, not a passing condition of the provider.
 */
const LASTING_FAILURES: ReadonlySet<string> = new Set([
  'client_error',
  'schema_invalid',
  'parse_error',
  'guard_failed',
  'handler_missing',
  'handler_error',
  'budget_exceeded',
  'invalid_input',
]);

/** Tells OpenAI's clients (they honour it before the status) not to retry on top of the gateway. */
const NO_RETRY = 'x-should-retry';

/**
 * Maps an error to the OpenAI error shape `{ error: { message, type, param, code } }` with OpenAI's codes:
 * INVALID_INPUT 400 `invalid_request_error` (param names the field), FEATURE_NOT_FOUND 404
 * `model_not_found`, RATE_LIMITED 429 `rate_limit_exceeded`, BUDGET_EXCEEDED 429 `insufficient_quota`
 * (both with `retry-after` in seconds), ALL_VARIANTS_FAILED 502 — or 429 `rate_limit_exceeded` with the
 * provider's Retry-After when every variant was rate limited past the gateway's own retries —, a stream's
 * ModelCallError 502, 401 `invalid_api_key`, other 4xx HTTP errors (bad JSON, body too large, 403) as
 * they are, anything else 500 without details. A failure that retrying cannot cure carries
 * `x-should-retry: false` (every 4xx but a rate limit, and a 502 whose every cause is lasting).
 *
 * @example
 * const answer = toOpenAIError(new RateLimitedError({ feature: 'f', limit: 10, tier: 'free', window: 'day', retryAfterMs: 1_500 }));
 * // answer.status === 429, answer.headers['retry-after'] === '2'
 */
export function toOpenAIError(error: unknown): OpenAIErrorAnswer {
  if (error instanceof InvalidInputError) {
    return answer(400, error.message, 'invalid_request_error', error.field || null, 'invalid_request_error');
  }
  if (error instanceof FeatureNotFoundError) {
    return answer(404, error.message, 'invalid_request_error', 'model', 'model_not_found');
  }
  if (error instanceof RateLimitedError) {
    return answer(
      429,
      error.message,
      'requests',
      null,
      'rate_limit_exceeded',
      retryAfter(error.retryAfterMs),
    );
  }
  if (error instanceof BudgetExceededError) {
    const headers = noRetry(retryAfter(error.retryAfterMs));
    return answer(429, error.message, 'insufficient_quota', null, 'insufficient_quota', headers);
  }
  if (error instanceof AllVariantsFailedError) return allFailed(error);
  if (error instanceof ModelCallError) {
    if (error.errorClass === 'rate_limited') {
      const headers = error.retryAfterMs === undefined ? {} : retryAfter(error.retryAfterMs);
      return answer(429, error.message, 'requests', null, 'rate_limit_exceeded', headers);
    }
    return answer(502, error.message, 'api_error', null, error.errorClass);
  }
  // After the provider's failures: a connection reset in a model call's cause is the provider's, not the store's.
  if (isStoreUnavailable(error)) {
    return answer(503, storeUnavailable().message, 'api_error', null, 'store_unavailable', {
      'retry-after': String(STORE_RETRY_AFTER_SECONDS),
    });
  }
  if (error instanceof SwitchyardError) {
    return Object.assign(answer(500, error.message, 'server_error', null, error.code.toLowerCase()), {
      expected: false,
    });
  }
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = (error as { code?: unknown }).code;
    const known = typeof code === 'string' ? REQUEST_ERRORS[code] : undefined;
    const message = known ?? (error as Error).message;
    const given = (error as { headers?: unknown }).headers;
    const headers: Record<string, string> =
      typeof given === 'object' && given !== null ? { ...(given as Record<string, string>) } : {};
    if (status === 401)
      return answer(401, message, 'invalid_request_error', null, 'invalid_api_key', headers);
    if (status === 403) return answer(403, message, 'permission_error', null, 'permission_denied', headers);
    if (code === 'model_not_found') {
      return answer(404, message, 'invalid_request_error', 'model', 'model_not_found', headers);
    }
    return answer(
      status,
      message,
      'invalid_request_error',
      null,
      known === undefined && typeof code === 'string' && !code.startsWith('FST_')
        ? code.toLowerCase()
        : 'invalid_request_error',
      headers,
    );
  }
  return Object.assign(answer(500, 'internal error', 'server_error', null, null), { expected: false });
}

/**
 * Every variant failed: a 429 with the longest Retry-After the providers sent when each was rate limited
 * (the gateway's retries could not absorb it, and the client may wait and try again), else a 502 that
 * says not to retry when no cause is one a later try could cure.
 */
function allFailed(error: AllVariantsFailedError): OpenAIErrorAnswer {
  const { causes } = error;
  if (causes.length > 0 && causes.every((cause) => cause.errorClass === 'rate_limited')) {
    const wait = longestWait(causes);
    return answer(
      429,
      error.message,
      'requests',
      null,
      'rate_limit_exceeded',
      wait === undefined ? {} : retryAfter(wait),
    );
  }
  const lasting = causes.length > 0 && causes.every((cause) => LASTING_FAILURES.has(cause.errorClass));
  const message = causes.some((cause) => cause.errorClass === 'handler_missing')
    ? `${error.message}. A handler variant is code that an SDK process registers; this gateway has none ` +
      'for it: give gateway callers an llm variant'
    : error.message;
  return answer(502, message, 'api_error', null, 'all_variants_failed', lasting ? noRetry({}) : {});
}

function longestWait(causes: readonly VariantFailure[]): number | undefined {
  let longest: number | undefined;
  for (const cause of causes) {
    if (cause.retryAfterMs !== undefined && (longest === undefined || cause.retryAfterMs > longest)) {
      longest = cause.retryAfterMs;
    }
  }
  return longest;
}

/** An answer; every 4xx but 408, 409 and 429 says not to retry: the same request fails the same way. */
function answer(
  status: number,
  message: string,
  type: string,
  param: string | null,
  code: string | null,
  headers: Record<string, string> = {},
): OpenAIErrorAnswer {
  if (status >= 400 && status < 500 && status !== 429 && status !== 408 && status !== 409) {
    headers[NO_RETRY] = 'false';
  }
  return { status, headers, body: { error: { message, type, param, code } }, expected: true };
}

function noRetry(headers: Record<string, string>): Record<string, string> {
  headers[NO_RETRY] = 'false';
  return headers;
}

function retryAfter(milliseconds: number): Record<string, string> {
  return { 'retry-after': String(Math.max(1, Math.ceil(milliseconds / 1_000))) };
}
