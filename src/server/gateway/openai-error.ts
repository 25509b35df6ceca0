import {
  AllVariantsFailedError,
  BudgetExceededError,
  FeatureNotFoundError,
  InvalidInputError,
  RateLimitedError,
  SwitchyardError,
} from '../../core/errors.js';
import { ModelCallError } from '../../runtime/model-call/model-call-error.js';

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
  readonly headers: Readonly<Record<string, string>>;
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
};

/**
 * Maps an error to the OpenAI error shape `{ error: { message, type, param, code } }`: INVALID_INPUT 400
 * (param names the field), FEATURE_NOT_FOUND 404 (param `model`), RATE_LIMITED 429 and BUDGET_EXCEEDED 402
 * (both with `retry-after` in seconds), ALL_VARIANTS_FAILED 502, a stream's ModelCallError 502, HTTP
 * errors with a 4xx `statusCode` (bad JSON, body too large, 401, 403) as they are, anything else 500
 * without details.
 *
 * @example
 * const answer = toOpenAIError(new RateLimitedError({ feature: 'f', limit: 10, tier: 'free', window: 'day', retryAfterMs: 1_500 }));
 * // answer.status === 429, answer.headers['retry-after'] === '2'
 */
export function toOpenAIError(error: unknown): OpenAIErrorAnswer {
  if (error instanceof InvalidInputError) {
    return answer(400, error.message, 'invalid_request_error', error.field || null, 'invalid_input');
  }
  if (error instanceof FeatureNotFoundError) {
    return answer(404, error.message, 'invalid_request_error', 'model', 'model_not_found');
  }
  if (error instanceof RateLimitedError) {
    return answer(
      429,
      error.message,
      'rate_limit_error',
      null,
      'rate_limit_exceeded',
      retryAfter(error.retryAfterMs),
    );
  }
  if (error instanceof BudgetExceededError) {
    return answer(
      402,
      error.message,
      'insufficient_quota',
      null,
      'budget_exceeded',
      retryAfter(error.retryAfterMs),
    );
  }
  if (error instanceof AllVariantsFailedError) {
    return answer(502, error.message, 'api_error', null, 'all_variants_failed');
  }
  if (error instanceof ModelCallError) {
    return answer(502, error.message, 'api_error', null, error.errorClass);
  }
  if (error instanceof SwitchyardError) {
    return Object.assign(answer(500, error.message, 'server_error', null, error.code.toLowerCase()), {
      expected: false,
    });
  }
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = (error as { code?: unknown }).code;
    const message = (typeof code === 'string' ? REQUEST_ERRORS[code] : undefined) ?? (error as Error).message;
    const headers = (error as { headers?: unknown }).headers;
    return answer(
      status,
      message,
      status === 401 ? 'authentication_error' : status === 403 ? 'permission_error' : 'invalid_request_error',
      null,
      typeof code === 'string' ? code.toLowerCase() : null,
      typeof headers === 'object' && headers !== null ? (headers as Record<string, string>) : {},
    );
  }
  return Object.assign(answer(500, 'internal error', 'server_error', null, null), { expected: false });
}

function answer(
  status: number,
  message: string,
  type: string,
  param: string | null,
  code: string | null,
  headers: Record<string, string> = {},
): OpenAIErrorAnswer {
  return { status, headers, body: { error: { message, type, param, code } }, expected: true };
}

function retryAfter(milliseconds: number): Record<string, string> {
  return { 'retry-after': String(Math.max(1, Math.ceil(milliseconds / 1_000))) };
}
