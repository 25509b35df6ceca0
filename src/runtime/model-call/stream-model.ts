import {
  APICallError,
  type FinishReason,
  JSONParseError,
  type LanguageModelUsage,
  streamText,
  type TextStreamPart,
  type ToolSet,
} from 'ai';
import type { TokenUsage } from '../providers/pricing.js';
import type { LanguageModelInstance } from '../providers/provider-registry.js';
import type { ModelCallVariant } from './call-model.js';
import type { ChatMessage } from './chat-message.js';
import { classifyError } from './classify-error.js';
import { ModelCallError } from './model-call-error.js';

/** One streamed model call. */
export interface StreamModelOptions {
  model: LanguageModelInstance;
  /** Sampling settings and system prompt; an output schema is not streamed and is ignored here. */
  variant: Omit<ModelCallVariant, 'output'>;
  messages: readonly ChatMessage[];
  /** Aborts the request until the first text arrives (the attempt's timeout); ignored afterwards. */
  firstChunkSignal?: AbortSignal;
  /** Aborts the request at any point (the caller went away). */
  abortSignal?: AbortSignal;
  /** Longest silence allowed between two parts once text flows; then the stream fails as `timeout`. */
  idleTimeoutMs?: number;
  /** Epoch milliseconds now, for Retry-After dates. Default `Date.now`. */
  clock?: () => number;
}

/** How a streamed reply ended. */
export interface ModelStreamEnd {
  usage: TokenUsage;
  finishReason: FinishReason;
}

/** A reply whose first text has arrived. */
export interface ModelStream {
  /** The first non-empty text chunk; '' when the model finished without any text. */
  readonly first: string;
  /** The remaining chunks; returns usage and finish reason, throws a ModelCallError when the reply fails. */
  readonly rest: AsyncGenerator<string, ModelStreamEnd, undefined>;
  /** Stops the request; the pending or next read of `rest` then fails. */
  abort(reason?: unknown): void;
}

type Part = TextStreamPart<ToolSet>;

/**
 * Starts a streamed model call through the AI SDK's `streamText` (its own retries off) and resolves once
 * the first non-empty text chunk arrives, so a caller can retry or fall back on anything that goes wrong
 * before an answer starts: HTTP errors, refused or reset connections, malformed chunks, timeouts. Every
 * failure is a ModelCallError classified as `classifyError` does. After the first chunk, `rest` yields the
 * remaining text; a failure there (or a silence longer than `idleTimeoutMs`) ends it with a ModelCallError.
 *
 * @example
 * const stream = await streamModel({ model, variant: { maxTokens: 200 }, messages, idleTimeoutMs: 10_000 });
 * process.stdout.write(stream.first);
 * for (let step = await stream.rest.next(); !step.done; step = await stream.rest.next()) {
 *   process.stdout.write(step.value);
 * }
 */
export async function streamModel(options: StreamModelOptions): Promise<ModelStream> {
  const { model, variant, messages, firstChunkSignal, abortSignal, idleTimeoutMs } = options;
  const clock = options.clock ?? Date.now;
  const controller = new AbortController();
  const follow = (signal: AbortSignal | undefined) => {
    if (signal === undefined) return () => {};
    const abort = () => controller.abort(signal.reason);
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
    return () => signal.removeEventListener('abort', abort);
  };
  const unfollowCaller = follow(abortSignal);
  const unfollowAttempt = follow(firstChunkSignal);
  // A caller that already put the system prompt first (to count it when trimming) must not get it twice.
  const system =
    variant.system !== undefined && messages[0]?.role === 'system' && messages[0].content === variant.system
      ? undefined
      : variant.system;
  const result = streamText({
    model,
    system,
    messages: messages.map((message) => ({ role: message.role, content: message.content })),
    allowSystemInMessages: true,
    temperature: variant.temperature,
    topP: variant.topP,
    maxOutputTokens: variant.maxTokens,
    maxRetries: 0,
    abortSignal: controller.signal,
    // Errors arrive as stream parts and are classified there; the default handler would log them.
    onError: () => {},
  });
  const parts = result.fullStream[Symbol.asyncIterator]();
  const failure = (error: unknown): ModelCallError =>
    classifyStreamError(error, { nowMs: clock(), abortSignal: controller.signal });
  const stop = () => {
    unfollowCaller();
    unfollowAttempt();
    if (!controller.signal.aborted) controller.abort();
    parts.return?.().catch(() => {});
  };

  /** The next part, failing as soon as the request is aborted (timeouts included) rather than when the SDK notices. */
  const nextPart = (idleMs: number | undefined) =>
    new Promise<IteratorResult<Part>>((resolve, reject) => {
      const onAbort = () => reject(failure(controller.signal.reason));
      if (controller.signal.aborted) {
        onAbort();
        return;
      }
      const timer =
        idleMs === undefined
          ? undefined
          : setTimeout(
              () => controller.abort(new DOMException(`no chunk within ${idleMs} ms`, 'TimeoutError')),
              idleMs,
            );
      controller.signal.addEventListener('abort', onAbort, { once: true });
      parts.next().then(
        (step) => {
          clearTimeout(timer);
          controller.signal.removeEventListener('abort', onAbort);
          resolve(step);
        },
        (error: unknown) => {
          clearTimeout(timer);
          controller.signal.removeEventListener('abort', onAbort);
          reject(failure(error));
        },
      );
    });

  /** Reads to the next text or the end; `undefined` text means the reply finished. */
  const readUntilText = async (
    idleMs: number | undefined,
  ): Promise<{ text: string; end?: undefined } | { text?: undefined; end: ModelStreamEnd }> => {
    for (;;) {
      const step = await nextPart(idleMs);
      if (step.done)
        throw failure(controller.signal.reason ?? new Error('the stream ended before it finished'));
      const part = step.value;
      if (part.type === 'text-delta' && part.text !== '') return { text: part.text };
      if (part.type === 'error') throw failure(part.error);
      if (part.type === 'abort')
        throw failure(controller.signal.reason ?? new Error('the stream was aborted'));
      if (part.type === 'finish') {
        return { end: { usage: tokenUsage(part.totalUsage), finishReason: part.finishReason } };
      }
    }
  };

  let opening: Awaited<ReturnType<typeof readUntilText>>;
  try {
    opening = await readUntilText(undefined);
  } catch (error: unknown) {
    stop();
    throw error;
  }
  // The attempt is over: its timeout signal is aborted when the attempt returns, and must not end the stream.
  unfollowAttempt();

  async function* rest(): AsyncGenerator<string, ModelStreamEnd, undefined> {
    let finished = false;
    try {
      if (opening.end !== undefined) {
        finished = true;
        return opening.end;
      }
      for (;;) {
        const next = await readUntilText(idleTimeoutMs);
        if (next.end !== undefined) {
          finished = true;
          return next.end;
        }
        yield next.text;
      }
    } finally {
      if (!finished) stop();
      else unfollowCaller();
    }
  }

  return {
    first: opening.text ?? '',
    rest: rest(),
    abort: (reason?: unknown) => controller.abort(reason),
  };
}

/**
 * Classifies a stream failure. Two cases are settled here first: a chunk that is not JSON is a
 * `parse_error` (its text may hold any word, "Unterminated" included), and a 200 answer whose body
 * broke off is classified by its cause (a dropped connection, a socket timeout), not as a malformed answer.
 */
function classifyStreamError(error: unknown, options: Parameters<typeof classifyError>[1]): ModelCallError {
  if (error instanceof ModelCallError) return error;
  if (JSONParseError.isInstance(error)) {
    return new ModelCallError(`malformed stream chunk: ${error.message}`, {
      errorClass: 'parse_error',
      retryable: true,
      cause: error,
    });
  }
  if (APICallError.isInstance(error) && error.statusCode !== undefined && error.statusCode < 400) {
    const cause = classifyError(error.cause, options);
    if (cause.errorClass === 'connection' || cause.errorClass === 'timeout') {
      return new ModelCallError(`the stream broke off: ${cause.message}`, {
        errorClass: cause.errorClass,
        retryable: true,
        cause: error,
      });
    }
  }
  return classifyError(error, options);
}

function tokenUsage(usage: LanguageModelUsage | undefined): TokenUsage {
  return { inputTokens: usage?.inputTokens ?? 0, outputTokens: usage?.outputTokens ?? 0 };
}
