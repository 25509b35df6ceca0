import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ContentPart } from '../../runtime/client/run-types.js';
import type { StreamRequest } from '../../runtime/client/stream-types.js';
import type { Switchyard } from '../../runtime/client/switchyard-client.js';
import type { ModelRoutes } from './gateway-caller.js';
import { completionBody, openAIFinishReason } from './openai-shapes.js';
import { parseChatRequest } from './parse-chat-request.js';
import { type ProviderType, providerOptionsFor } from './provider-fields.js';
import { sseCompletion } from './sse-completion.js';

/** What a served run tells the caller in `x-switchyard-*` headers. */
interface Served {
  readonly requestId: string;
  readonly variant: string;
  readonly reason: string;
  readonly cached: boolean;
  readonly fallback?: { readonly from: string };
}

/** What answering a chat completion needs: the runtime, the clock, and the kind of each provider. */
export interface ChatGateway {
  readonly runtime: Switchyard;
  /** Epoch-ms clock for `created` fields. */
  readonly clock: () => number;
  /** Each provider's kind by name (`providers.<name>.type`), for fields only some providers take. */
  readonly providerTypes?: Readonly<Record<string, ProviderType>>;
  /** Raw model names served by a feature (`*` for any other name). */
  readonly routes?: ModelRoutes;
}

/** A chat completion's answer, ready to write: its headers, and its body as JSON text or server-sent events. */
export interface ChatCompletionAnswer {
  readonly headers: Record<string, string>;
  readonly body: string | AsyncIterable<string>;
}

/**
 * Answers `POST /v1/chat/completions` through the runtime: `run()` for a plain request, `stream()` for
 * `stream: true` (server-sent events that start once the first text is ready). The answer carries the
 * request id, served variant, decision reason, cache status and the variant fallen back from in
 * `x-switchyard-*` headers. Errors are thrown for the caller to answer with `toOpenAIError`; `signal`
 * (the client went away) aborts the run. Both ways into the gateway use it: the Fastify route and the
 * `node:http` fast path (`serveChatCompletions`).
 *
 * @example
 * const answer = await answerChatCompletion({ runtime, clock: Date.now }, body, request.headers, gone.signal);
 * response.writeHead(200, answer.headers);
 */
export async function answerChatCompletion(
  gateway: ChatGateway,
  body: unknown,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  signal: AbortSignal,
): Promise<ChatCompletionAnswer> {
  const { runtime, clock } = gateway;
  const chat = parseChatRequest(body, headers, gateway.routes);
  const context = { attributes: chat.attributes };
  const runRequest: { -readonly [K in keyof StreamRequest]: StreamRequest[K] } = {
    messages: chat.messages,
    parameters: chat.parameters,
    signal,
  };
  if (chat.input !== undefined) runRequest.input = chat.input;
  if (chat.tools !== undefined) runRequest.tools = chat.tools;
  if (chat.toolChoice !== undefined) runRequest.toolChoice = chat.toolChoice;
  if (chat.responseFormat !== undefined) runRequest.responseFormat = chat.responseFormat;
  for (const _field in chat.providerFields) {
    // Only when some field is present: the feature's providers decide how each is sent, or refuse it.
    const providerOptions = providerOptionsFor(
      chat.providerFields,
      runtime.featureConfig(chat.feature),
      gateway.providerTypes,
    );
    if (providerOptions !== undefined) runRequest.providerOptions = providerOptions;
    break;
  }
  const created = Math.floor(clock() / 1_000);
  if (chat.stream) {
    const run = await runtime.stream(chat.feature, context, runRequest);
    const model = run.model ?? handlerModel(chat.feature, run.variant);
    const streamHeaders = servedHeaders(run);
    streamHeaders['content-type'] = 'text/event-stream; charset=utf-8';
    streamHeaders['cache-control'] = 'no-cache';
    streamHeaders['x-accel-buffering'] = 'no';
    return {
      headers: streamHeaders,
      body: sseCompletion(run, { id: `chatcmpl-${run.requestId}`, created, model }, chat.includeUsage),
    };
  }
  const result = await runtime.run(chat.feature, context, runRequest);
  const identity = {
    id: `chatcmpl-${result.requestId}`,
    created,
    model: result.model ?? handlerModel(chat.feature, result.variant),
  };
  const answerHeaders = servedHeaders(result);
  answerHeaders['content-type'] = 'application/json; charset=utf-8';
  const text = result.toolCalls.length > 0 ? textParts(result.content) : textOf(result.value);
  return {
    headers: answerHeaders,
    body: JSON.stringify(
      completionBody(identity, text, result.toolCalls, openAIFinishReason(result.finishReason), result.usage),
    ),
  };
}

/** The `x-request-id` of a failed answer: the run's request id when a run had started, else a new one. */
export function failureRequestId(error: unknown): string {
  const id = (error as { requestId?: unknown } | null)?.requestId;
  return typeof id === 'string' ? id : randomUUID();
}

/** A signal that aborts when the client goes away before its answer was written whole. */
export function goneSignal(response: ServerResponse): AbortSignal {
  const gone = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) gone.abort();
  });
  return gone.signal;
}

/** The `x-request-id` and `x-switchyard-*` headers of a served run. */
export function servedHeaders(served: Served): Record<string, string> {
  return {
    'x-request-id': served.requestId,
    'x-switchyard-request-id': served.requestId,
    'x-switchyard-variant': served.variant,
    'x-switchyard-reason': served.reason,
    'x-switchyard-cache': served.cached ? 'hit' : 'miss',
    'x-switchyard-fallback': served.fallback?.from ?? 'none',
  };
}

/** What names a handler variant's answer in the `model` field: `switchyard/<feature>:<variant>`. */
export function handlerModel(feature: string, variant: string): string {
  return `switchyard/${feature}:${variant}`;
}

/** The text parts of an answer, joined: the content beside its tool calls. */
function textParts(content: readonly ContentPart[]): string {
  let text = '';
  for (const part of content) if (part.type === 'text') text += part.text;
  return text;
}

/** A value as message content: text as it is, anything else (structured output) as JSON text. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value) ?? '';
}
