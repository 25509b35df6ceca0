import type { Decision, DecisionReason } from '../../core/decision.js';
import type { VariantFailure } from '../../core/errors.js';
import type { FinishReason, Usage } from '../model-call/model-request.js';
import type { ModelStreamPart } from '../model-call/model-stream-part.js';
import type { ModelParameters, RunRequest, RunResult } from './run-types.js';

export type { ModelParameters };

/** One request to stream a feature: the same shape as a run request. */
export type StreamRequest = RunRequest;

/** Why a streamed answer ended (the spec's unified finish reasons). */
export type StreamFinishReason = FinishReason;

/**
 * A part of a streamed run: the spec's stream parts (text, reasoning and tool-input deltas with their starts
 * and ends, whole tool calls), then one `finish` with the answer's finish reason and the run's usage.
 */
export type RunStreamPart =
  | ModelStreamPart
  | { readonly type: 'finish'; readonly finishReason: FinishReason; readonly usage: Usage };

/** What a stream's `result` resolves to once the last part is out: a run result. */
export type StreamResult<T = unknown> = RunResult<T>;

/** What `stream()` resolves to as soon as the first content is ready. */
export interface StreamRun<T = unknown> {
  readonly requestId: string;
  readonly decision: Decision;
  /** The variant that is serving the answer. */
  readonly variant: string;
  /** Why the decision chose the variant it chose. */
  readonly reason: DecisionReason;
  /** Present when the decided variant failed before its first content and a later one serves the answer. */
  readonly fallback?: { readonly from: string; readonly causes: readonly VariantFailure[] };
  readonly cached: boolean;
  /** Provider and model of the serving variant; null for a handler variant. */
  readonly provider: string | null;
  readonly model: string | null;
  /**
   * The answer as the spec's stream parts, then `finish`; a value produced whole (handler, structured output,
   * cache hit) comes as one text part. Readable once, and shares its reading with `textStream`: read one of
   * them. It throws a ModelCallError when the answer fails after it started, or a CancelledError when the
   * caller's signal aborts it.
   */
  readonly parts: AsyncIterable<RunStreamPart>;
  /** The text deltas alone (a structured value as its JSON text); see `parts`. */
  readonly textStream: AsyncIterable<string>;
  /** Settles when the stream ends: the whole answer with usage, cost, latency and attempts, or its error. */
  readonly result: Promise<StreamResult<T>>;
}
