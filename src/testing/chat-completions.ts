import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseChatRequest } from './chat-request.js';
import type { FakeModelBehaviour } from './fake-upstream-options.js';
import { drawFault, type FaultKind } from './fault-plan.js';
import { sampleLatency } from './latency.js';
import { type CompletionIdentity, completionBody, errorBody, injectedErrorBody } from './openai-shapes.js';
import { planReply, type ReplyPlan, wantsStructuredOutput } from './reply-plan.js';
import type { RandomSource } from './seeded-random.js';
import { streamCompletion } from './sse.js';

/** One served model: its current behaviour, its own random stream and its counters. */
export interface ModelSlot {
  behaviour: FakeModelBehaviour;
  random: RandomSource;
  requests: number;
  faults: Partial<Record<FaultKind, number>>;
}

/** What answering one chat-completions request needs from the server around it. */
export interface ChatCompletionContext {
  slots: ReadonlyMap<string, ModelSlot>;
  /** A fresh id and timestamp for the completion about to be sent. */
  identify(model: string): CompletionIdentity;
  /** Aborted when the client goes away or the server closes. */
  signal: AbortSignal;
}

/** Pause per token of the slow-stream fault when the behaviour does not set one. */
const defaultSlowStreamDelayMs = 1000;

/**
 * Answers one decoded chat-completions body: validation errors, unknown models, injected faults,
 * latency, then a plain or streamed completion.
 *
 * @example
 * await answerChatCompletion(JSON.parse(text), response, context);
 */
export async function answerChatCompletion(
  body: unknown,
  response: ServerResponse,
  context: ChatCompletionContext,
): Promise<void> {
  const parsed = parseChatRequest(body);
  if (!parsed.ok) {
    const { message, param } = parsed.problem;
    sendJson(response, 400, errorBody(message, 'invalid_request_error', param));
    return;
  }
  const request = parsed.request;
  const slot = context.slots.get(request.model);
  if (slot === undefined) {
    const message = `The model \`${request.model}\` does not exist or you do not have access to it.`;
    sendJson(response, 404, errorBody(message, 'invalid_request_error', 'model', 'model_not_found'));
    return;
  }
  const behaviour = slot.behaviour;
  slot.requests += 1;
  // Both draws happen on every request, so each request consumes the same share of the random stream.
  let fault = drawFault(behaviour.faults, slot.random);
  const latencyMs = sampleLatency(behaviour.latencyMs, slot.random);
  if (fault === 'schemaInvalid' && !wantsStructuredOutput(request)) fault = undefined;
  if (fault !== undefined) slot.faults[fault] = (slot.faults[fault] ?? 0) + 1;
  // A timed-out request is accepted and left hanging; close() or the client ends it.
  if (fault === 'timeout') return;
  if (latencyMs > 0) await sleep(latencyMs, undefined, { signal: context.signal });
  if (fault === 'reset') {
    response.socket?.destroy();
    return;
  }
  if (fault === 'error') {
    const status = behaviour.faults?.status ?? 500;
    const retryAfter = behaviour.faults?.retryAfterSeconds;
    const headers: Record<string, string> =
      (status === 429 || status === 503) && retryAfter !== undefined
        ? { 'retry-after': String(retryAfter) }
        : {};
    sendJson(response, status, injectedErrorBody(status), headers);
    return;
  }
  let plan: ReplyPlan;
  try {
    plan = planReply(request, request.model, behaviour, fault === 'schemaInvalid');
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    sendJson(response, 500, errorBody(`The fake model's reply function threw: ${reason}`, 'server_error'));
    return;
  }
  const tokenDelayMs =
    fault === 'slowStream'
      ? (behaviour.faults?.slowStreamDelayMs ?? defaultSlowStreamDelayMs)
      : behaviour.tokensPerSecond !== undefined
        ? 1000 / behaviour.tokensPerSecond
        : 0;
  const identity = context.identify(request.model);
  if (request.stream === true) {
    const includeUsage = request.stream_options?.include_usage === true;
    const malformed = fault === 'malformed';
    await streamCompletion(response, identity, plan, {
      includeUsage,
      tokenDelayMs,
      malformed,
      signal: context.signal,
    });
    return;
  }
  // A plain answer arrives once the whole reply would have been generated at the stream's pace.
  const generationMs = tokenDelayMs * plan.tokens.length;
  if (generationMs > 0) await sleep(generationMs, undefined, { signal: context.signal });
  const text = JSON.stringify(
    completionBody(identity, plan.content, plan.finishReason, plan.usage, plan.toolCalls),
  );
  // A strict prefix of a JSON object never parses: the client sees a 200 it cannot decode.
  sendText(response, 200, fault === 'malformed' ? text.slice(0, Math.floor(text.length / 2)) : text);
}

/** Sends a JSON body with its status, unless the connection is already gone. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendText(response, status, JSON.stringify(body), headers);
}

function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}
