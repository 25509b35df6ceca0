import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { APICallError, JSONParseError } from 'ai';
import { classifyError } from './classify-error.js';
import { ModelCallError } from './model-call-error.js';
import { type ModelCall, modelCallOptions } from './model-call-options.js';
import type { ContentPart, FinishReason, Usage } from './model-request.js';
import type { ModelStreamPart } from './model-stream-part.js';
import { usageOf } from './usage-of.js';

/** One streamed model call. */
export interface StreamModelOptions extends ModelCall {
  /** Aborts the request until the first content arrives (the attempt's timeout); ignored afterwards. */
  firstChunkSignal?: AbortSignal;
  /** Aborts the request at any point (the caller went away). */
  abortSignal?: AbortSignal;
  /** Longest silence allowed between two parts once content flows; then the stream fails as `timeout`. */
  idleTimeoutMs?: number;
  /** Epoch milliseconds now, for Retry-After dates. Default `Date.now`. */
  clock?: () => number;
}

/** How a streamed reply ended: its whole content, usage and finish reason. */
export interface ModelStreamEnd {
  content: ContentPart[];
  usage: Usage;
  finishReason: FinishReason;
}

/** A reply whose first content has arrived. */
export interface ModelStream {
  /** The parts read up to and including the first content part (text, reasoning or tool input). */
  readonly first: readonly ModelStreamPart[];
  /** The remaining parts; returns how the reply ended, throws a ModelCallError when it fails. */
  readonly rest: AsyncGenerator<ModelStreamPart, ModelStreamEnd, undefined>;
  /** Stops the request; the pending or next read of `rest` then fails. */
  abort(reason?: unknown): void;
}

/** Part types that carry content: the stream has started once one arrives. */
const CONTENT_PARTS: ReadonlySet<string> = new Set([
  'text-delta',
  'reasoning-delta',
  'tool-input-start',
  'tool-call',
  'file',
]);

/**
 * Starts a streamed model call through the model's `doStream` (LanguageModelV3) and resolves once the first
 * content part arrives (a non-empty text or reasoning delta, a tool call starting), so a caller can retry or
 * fall back on anything that goes wrong before an answer starts: HTTP errors, refused or reset connections,
 * malformed chunks, timeouts. Every failure is a ModelCallError classified as `classifyError` does. After
 * the first content, `rest` yields the remaining parts (text, reasoning and tool-input deltas, tool calls);
 * a failure there, or a silence longer than `idleTimeoutMs`, ends it with a ModelCallError. Content is
 * gathered as it flows, so the end carries the whole answer as content parts.
 *
 * @example
 * const stream = await streamModel({ model, prompt, idleTimeoutMs: 10_000 });
 * for (const part of stream.first) show(part);
 * for (let step = await stream.rest.next(); !step.done; step = await stream.rest.next()) show(step.value);
 */
export async function streamModel(options: StreamModelOptions): Promise<ModelStream> {
  const { model, firstChunkSignal, abortSignal, idleTimeoutMs } = options;
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
  const failure = (error: unknown): ModelCallError =>
    classifyStreamError(error, { nowMs: clock(), abortSignal: controller.signal });
  let reader: ReadableStreamDefaultReader<LanguageModelV3StreamPart>;
  try {
    const result = await model.doStream(
      Object.assign(modelCallOptions(options), { abortSignal: controller.signal }),
    );
    reader = result.stream.getReader();
  } catch (error) {
    unfollowCaller();
    unfollowAttempt();
    throw failure(error);
  }
  const content = new ContentGatherer();
  const stop = () => {
    unfollowCaller();
    unfollowAttempt();
    if (!controller.signal.aborted) controller.abort();
    reader.cancel().catch(() => {});
  };

  /** The next part, failing as soon as the request is aborted (timeouts included) rather than when the provider notices. */
  const nextPart = (idleMs: number | undefined) =>
    new Promise<{ done: boolean; value?: LanguageModelV3StreamPart }>((resolve, reject) => {
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
      reader.read().then(
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

  /** Reads parts up to the next content part or the end. */
  const readOn = async (
    idleMs: number | undefined,
  ): Promise<{ parts: ModelStreamPart[]; end?: ModelStreamEnd }> => {
    const parts: ModelStreamPart[] = [];
    for (;;) {
      const step = await nextPart(idleMs);
      if (step.done)
        throw failure(controller.signal.reason ?? new Error('the stream ended before it finished'));
      const part = step.value as LanguageModelV3StreamPart;
      if (part.type === 'error') throw failure(part.error);
      if (part.type === 'finish') {
        return {
          parts,
          end: {
            content: content.parts(),
            usage: usageOf(part.usage),
            finishReason: part.finishReason.unified,
          },
        };
      }
      if (part.type === 'stream-start' || part.type === 'response-metadata' || part.type === 'raw') continue;
      // An empty delta carries nothing: the answer has not started yet.
      if ((part.type === 'text-delta' || part.type === 'reasoning-delta') && part.delta === '') continue;
      content.add(part);
      parts.push(part);
      if (CONTENT_PARTS.has(part.type)) return { parts };
    }
  };

  let opening: Awaited<ReturnType<typeof readOn>>;
  try {
    opening = await readOn(undefined);
  } catch (error: unknown) {
    stop();
    throw error;
  }
  // The attempt is over: its timeout signal is aborted when the attempt returns, and must not end the stream.
  unfollowAttempt();

  async function* rest(): AsyncGenerator<ModelStreamPart, ModelStreamEnd, undefined> {
    let finished = false;
    try {
      if (opening.end !== undefined) {
        finished = true;
        return opening.end;
      }
      for (;;) {
        const next = await readOn(idleTimeoutMs);
        for (const part of next.parts) yield part;
        if (next.end !== undefined) {
          finished = true;
          return next.end;
        }
      }
    } finally {
      if (!finished) stop();
      else unfollowCaller();
    }
  }

  return { first: opening.parts, rest: rest(), abort: (reason?: unknown) => controller.abort(reason) };
}

/** Gathers streamed parts into the content parts of the whole answer. */
class ContentGatherer {
  private readonly gathered: ContentPart[] = [];
  private readonly open = new Map<string, { type: 'text' | 'reasoning'; text: string }>();

  add(part: ModelStreamPart): void {
    switch (part.type) {
      case 'text-start':
      case 'reasoning-start': {
        const item = {
          type: part.type === 'text-start' ? ('text' as const) : ('reasoning' as const),
          text: '',
        };
        this.open.set(`${item.type}:${part.id}`, item);
        this.gathered.push(item);
        return;
      }
      case 'text-delta':
      case 'reasoning-delta': {
        const type = part.type === 'text-delta' ? 'text' : 'reasoning';
        let item = this.open.get(`${type}:${part.id}`);
        if (item === undefined) {
          // A provider that sends deltas without a start: the part begins with its first delta.
          item = { type, text: '' };
          this.open.set(`${type}:${part.id}`, item);
          this.gathered.push(item);
        }
        item.text += part.delta;
        return;
      }
      case 'tool-call':
      case 'file':
      case 'source':
      case 'tool-result':
      case 'tool-approval-request':
        this.gathered.push(part);
        return;
      default:
        return;
    }
  }

  parts(): ContentPart[] {
    return this.gathered.slice();
  }
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
