import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import {
  BudgetExceededError,
  type ConfigProblem,
  InvalidConfigError,
  InvalidInputError,
  RateLimitedError,
  SwitchyardError,
  type SwitchyardErrorCode,
} from '../../core/errors.js';
import { unreachable } from '../../core/unreachable.js';
import { ApiError } from './api-error.js';
import { isStoreUnavailable, storeUnavailable } from './store-unavailable.js';

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: { code: string; message: string; path?: string; problems?: readonly ConfigProblem[] };
}

/** The HTTP status of each error code; a new code fails to compile here until it has one. */
export function statusOfCode(code: SwitchyardErrorCode): number {
  switch (code) {
    case 'INVALID_CONFIG':
      return 422;
    case 'INVALID_INPUT':
      return 400;
    case 'FEATURE_NOT_FOUND':
    case 'EXPERIMENT_NOT_FOUND':
      return 404;
    case 'INVALID_TRANSITION':
    case 'VERSION_CONFLICT':
    case 'ALREADY_EXISTS':
      return 409;
    case 'RATE_LIMITED':
    case 'BUDGET_EXCEEDED':
      return 429;
    // The client closed the request (nginx's convention); nobody is left to read the answer.
    case 'CANCELLED':
      return 499;
    case 'ALL_VARIANTS_FAILED':
    case 'MODEL_CALL_FAILED':
    case 'REMOTE_REQUEST_FAILED':
      return 502;
    default:
      return unreachable(code, 'error code');
  }
}

/** Fastify's own request errors, by code: body limit, content type, malformed JSON. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'send JSON (content-type: application/json)',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'BAD_REQUEST',
    message: 'content-length does not match the body',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'BAD_REQUEST',
    message: 'body is empty but content-type is JSON',
  },
  // Also raised for "__proto__" and "constructor.prototype" keys, which the parser refuses.
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'BAD_REQUEST', message: 'body is not valid JSON' },
};

/**
 * Installs the one error handler and the not-found handler: SwitchyardError codes and Fastify's request
 * errors become their 4xx with `{ error: { code, message, path? } }`; anything else is logged and answered
 * as a bare 500 without a message or stack.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request, reply) => {
    const answer = toAnswer(error);
    if (answer === undefined) {
      request.log.error({ err: error }, 'request failed');
      return sendError(reply, 500, { code: 'INTERNAL', message: 'internal error' });
    }
    for (const [name, value] of Object.entries(answer.headers)) reply.header(name, value);
    return sendError(reply, answer.status, answer.body);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, {
      code: 'NOT_FOUND',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
    }),
  );
}

interface Answer {
  status: number;
  body: ErrorBody['error'];
  headers: Record<string, string>;
}

function toAnswer(caught: unknown): Answer | undefined {
  const error = isStoreUnavailable(caught) ? storeUnavailable() : caught;
  if (error instanceof ApiError) {
    return {
      status: error.statusCode,
      body: withDetails({ code: error.code, message: error.message }, error.path, error.problems),
      headers: { ...error.headers },
    };
  }
  if (error instanceof SwitchyardError) {
    const status = statusOfCode(error.code);
    const headers: Record<string, string> = {};
    if (error instanceof RateLimitedError || error instanceof BudgetExceededError) {
      headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
    }
    const path =
      error instanceof InvalidConfigError
        ? error.path
        : error instanceof InvalidInputError
          ? error.field
          : undefined;
    const problems = error instanceof InvalidConfigError ? error.problems : undefined;
    return {
      status,
      body: withDetails({ code: error.code, message: error.message }, path, problems),
      headers,
    };
  }
  const fastifyError = error as Partial<FastifyError> | undefined;
  const known = fastifyError?.code === undefined ? undefined : FASTIFY_ERRORS[fastifyError.code];
  if (known !== undefined) {
    return { status: known.status, body: { code: known.code, message: known.message }, headers: {} };
  }
  const status = fastifyError?.statusCode;
  // Any other client error Fastify raises while reading the request (prototype poisoning, bad encoding).
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return {
      status,
      body: { code: 'BAD_REQUEST', message: fastifyError?.message ?? 'bad request' },
      headers: {},
    };
  }
  return undefined;
}

function withDetails(
  body: ErrorBody['error'],
  path: string | undefined,
  problems: readonly ConfigProblem[] | undefined,
): ErrorBody['error'] {
  return {
    ...body,
    ...(path ? { path } : {}),
    ...(problems && problems.length > 0 ? { problems } : {}),
  };
}

/** Sends one error answer; every error the server produces goes through here. */
export function sendError(reply: FastifyReply, status: number, error: ErrorBody['error']): FastifyReply {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ error } satisfies ErrorBody);
}
