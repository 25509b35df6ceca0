import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StreamRequest } from '../../runtime/client/stream-types.js';
import type { Switchyard } from '../../runtime/client/switchyard-client.js';
import { completionBody } from './openai-shapes.js';
import { parseChatRequest } from './parse-chat-request.js';
import { sseCompletion } from './sse-completion.js';

/** What a served run tells the caller in `x-switchyard-*` headers. */
interface Served {
  readonly requestId: string;
  readonly variant: string;
  readonly reason: string;
  readonly cached: boolean;
  readonly fallback?: { readonly from: string };
}

/**
 * Answers `POST /v1/chat/completions` through the runtime: `run()` for a plain request, `stream()` for
 * `stream: true` (server-sent events that start once the first text is ready). The response carries the
 * request id, served variant, decision reason, cache status and the variant fallen back from in
 * `x-switchyard-*` headers. Errors are thrown for the gateway's error handler; a client that goes away
 * aborts the run.
 */
export async function answerChatCompletion(
  runtime: Switchyard,
  clock: () => number,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<unknown> {
  const chat = parseChatRequest(request.body, request.headers);
  const gone = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) gone.abort();
  });
  const context = { attributes: chat.attributes };
  const runRequest: StreamRequest = {
    messages: chat.messages,
    ...(chat.input === undefined ? {} : { input: chat.input }),
    parameters: chat.parameters,
    signal: gone.signal,
  };
  const created = Math.floor(clock() / 1_000);
  if (chat.stream) {
    const run = await runtime.stream(chat.feature, context, runRequest);
    const model = run.model ?? handlerModel(chat.feature, run.variant);
    reply.headers(
      Object.assign(servedHeaders(run), {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
      }),
    );
    const events = sseCompletion(run, { id: `chatcmpl-${run.requestId}`, created, model }, chat.includeUsage);
    return reply.send(Readable.from(events));
  }
  const result = await runtime.run(chat.feature, context, runRequest);
  reply.headers(servedHeaders(result));
  const identity = {
    id: `chatcmpl-${result.requestId}`,
    created,
    model: servedModel(runtime, chat.feature, result.variant),
  };
  return completionBody(identity, textOf(result.value), 'stop', result.usage);
}

function servedHeaders(served: Served): Record<string, string> {
  return {
    'x-switchyard-request-id': served.requestId,
    'x-switchyard-variant': served.variant,
    'x-switchyard-reason': served.reason,
    'x-switchyard-cache': served.cached ? 'hit' : 'miss',
    'x-switchyard-fallback': served.fallback?.from ?? 'none',
  };
}

/** The model of an LLM variant, or `switchyard/<feature>:<variant>` for a handler. */
function servedModel(runtime: Switchyard, feature: string, variant: string): string {
  try {
    const config = runtime.featureConfig(feature).variants[variant];
    if (config?.type === 'llm') return config.model;
  } catch {
    // The feature was removed after the run: name the variant instead.
  }
  return handlerModel(feature, variant);
}

function handlerModel(feature: string, variant: string): string {
  return `switchyard/${feature}:${variant}`;
}

/** A value as message content: text as it is, anything else (structured output) as JSON text. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value) ?? '';
}
