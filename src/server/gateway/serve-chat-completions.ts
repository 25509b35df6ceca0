import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorCodes } from 'fastify';
import secureJson from 'secure-json-parse';
import type { Switchyard } from '../../runtime/client/switchyard-client.js';
import {
  answerChatCompletion,
  type ChatGateway,
  failureRequestId,
  goneSignal,
} from './answer-chat-completion.js';
import type { ModelRoutes } from './gateway-caller.js';
import type { GatewayCors } from './gateway-cors.js';
import { toOpenAIError } from './openai-error.js';
import type { ProviderType } from './provider-fields.js';

/** The route the fast path answers. */
export const CHAT_COMPLETIONS_PATH = '/v1/chat/completions';
/** Chat bodies carry whole conversations: a larger limit than the control plane's JSON bodies. */
export const CHAT_BODY_LIMIT = 8 * 1_048_576;

const JSON_TYPE = /^application\/json\s*(?:;|$)/i;
const TEXT_TYPE = /^text\/plain\s*(?:;|$)/i;
const PARSE_OPTIONS = { protoAction: 'error', constructorAction: 'error' } as const;

/** Options of `serveChatCompletions`. */
export interface ServeChatCompletionsOptions {
  readonly runtime: Switchyard;
  /** Epoch-ms clock for `created` fields; default `Date.now`. */
  readonly clock?: () => number;
  /** Runs before the body is read; throw (an error with a 401 / 403 `statusCode`) to refuse the request. */
  readonly authorize?: (request: IncomingMessage) => Promise<void> | void;
  /** Told each answered request's status and duration (arrival to the last byte, or to the client leaving). */
  readonly observe?: (status: number, seconds: number) => void;
  /** Told each failure that is not the client's or the provider's (answered as a 500). */
  readonly onUnexpectedError?: (error: unknown) => void;
  readonly bodyLimit?: number;
  /** Each provider's kind by name, for fields only some providers take; by default inferred from the name. */
  readonly providerTypes?: Readonly<Record<string, ProviderType>>;
  /** Raw model names served by a feature (`{ "gpt-4o-mini": "coach-reply" }`, `*` for any other name). */
  readonly routes?: ModelRoutes;
  /** The origins browsers may call from; answers to them carry CORS headers. */
  readonly cors?: GatewayCors;
}

/**
 * The gateway's hot route, `POST /v1/chat/completions`, served straight from `node:http`: a handler that
 * answers that route and returns true, or returns false for anything else (for Fastify to route). It
 * does what the Fastify route does, in the same words: the bearer check first, then the body as Fastify
 * reads JSON (media type, size limit, content length, prototype poisoning refused, with Fastify's own
 * error codes), `answerChatCompletion`, and errors as `toOpenAIError` shapes them. On a quiet server
 * Fastify's routing, hooks, body parser and reply took 0.25-0.3 ms of a request's latency
 * (docs/decisions/0015-gateway-request-path.md); the Fastify route stays for `inject` and as the
 * fallback while the server closes (Fastify then answers 503).
 *
 * @example
 * const serve = serveChatCompletions({ runtime });
 * const server = createServer((request, response) => {
 *   if (!serve(request, response)) fastifyHandler(request, response);
 * });
 */
export function serveChatCompletions(
  options: ServeChatCompletionsOptions,
): (request: IncomingMessage, response: ServerResponse) => boolean {
  const { runtime, authorize, observe, onUnexpectedError, cors } = options;
  const gateway: ChatGateway = {
    runtime,
    clock: options.clock ?? Date.now,
    ...(options.providerTypes === undefined ? {} : { providerTypes: options.providerTypes }),
    ...(options.routes === undefined ? {} : { routes: options.routes }),
  };
  const limit = options.bodyLimit ?? CHAT_BODY_LIMIT;

  const answer = async (request: IncomingMessage, response: ServerResponse) => {
    if (observe !== undefined) {
      const started = performance.now();
      response.once('close', () => observe(response.statusCode, (performance.now() - started) / 1_000));
    }
    try {
      if (authorize !== undefined) await authorize(request);
      const body = await readBody(request, limit);
      const answered = await answerChatCompletion(gateway, body, request.headers, goneSignal(response));
      if (cors !== undefined) Object.assign(answered.headers, cors.answerHeaders(request.headers.origin));
      if (typeof answered.body === 'string') {
        answered.headers['content-length'] = String(Buffer.byteLength(answered.body));
        response.writeHead(200, answered.headers);
        response.end(answered.body);
        return;
      }
      response.writeHead(200, answered.headers);
      await writeEvents(response, answered.body);
    } catch (error: unknown) {
      if (response.headersSent) {
        onUnexpectedError?.(error);
        response.destroy();
        return;
      }
      const failure = toOpenAIError(error);
      if (!failure.expected) onUnexpectedError?.(error);
      const text = JSON.stringify(failure.body);
      const headers: Record<string, string> = Object.assign(
        {
          'content-type': 'application/json; charset=utf-8',
          'content-length': String(Buffer.byteLength(text)),
        },
        failure.headers,
        cors?.answerHeaders(request.headers.origin),
      );
      headers['x-request-id'] = failureRequestId(error);
      // A body left unread (too large, or never read after a refusal) is not drained: the connection ends.
      if (!request.complete) headers.connection = 'close';
      response.writeHead(failure.status, headers);
      response.end(text);
    }
  };

  return (request, response) => {
    if (request.method !== 'POST') return false;
    const url = request.url ?? '';
    const path = url.length === CHAT_COMPLETIONS_PATH.length ? url : url.split('?', 1)[0];
    if (path !== CHAT_COMPLETIONS_PATH) return false;
    void answer(request, response);
    return true;
  };
}

/**
 * Reads a body as Fastify's default parsers do (JSON, and plain text as a string, which the chat schema
 * then refuses), failing with Fastify's errors.
 */
function readBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const { headers } = request;
  const type = headers['content-type'];
  if (type === undefined) {
    const length = headers['content-length'];
    // No body at all: the handler sees none, as Fastify's route would.
    if (headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) {
      return Promise.resolve(undefined);
    }
  }
  const isJson = type !== undefined && JSON_TYPE.test(type);
  if (!isJson && (type === undefined || !TEXT_TYPE.test(type))) {
    return Promise.reject(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(type ?? ''));
  }
  const declared = Number(headers['content-length']);
  if (declared > limit) return Promise.reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        stop();
        reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
        return;
      }
      chunks.push(chunk);
    };
    const onError = (error: Error & { statusCode?: number }) => {
      stop();
      reject(Object.assign(error, { statusCode: (error.statusCode ?? 0) >= 400 ? error.statusCode : 400 }));
    };
    const onEnd = () => {
      stop();
      if (!Number.isNaN(declared) && received !== declared) {
        reject(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
        return;
      }
      const text =
        chunks.length === 1
          ? (chunks[0] as Buffer).toString('utf8')
          : Buffer.concat(chunks, received).toString('utf8');
      if (!isJson) {
        resolve(text);
        return;
      }
      if (received === 0) {
        reject(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY());
        return;
      }
      try {
        resolve(secureJson.parse(text, undefined, PARSE_OPTIONS));
      } catch {
        reject(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY());
      }
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}

/** Writes server-sent events as they come, waiting when the client reads slowly; stops when it leaves. */
async function writeEvents(response: ServerResponse, events: AsyncIterable<string>): Promise<void> {
  for await (const event of events) {
    if (response.destroyed) return; // leaving the loop stops the run (see sseCompletion)
    if (!response.write(event)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          response.off('drain', done);
          response.off('close', done);
          resolve();
        };
        response.on('drain', done);
        response.on('close', done);
      });
    }
  }
  response.end();
}
