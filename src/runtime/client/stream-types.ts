import type { Decision, DecisionReason } from '../../core/decision.js';
import type { VariantFailure } from '../../core/errors.js';
import type { ModelParameters, RunRequest, RunResult } from './run-types.js';

export type { ModelParameters };

/** One request to stream a feature: the same shape as a run request. */
export type StreamRequest = RunRequest;

/** Why the answer ended: `stop` (complete), `length` (token cap), `content-filter`, or `other`. */
export type StreamFinishReason = 'stop' | 'length' | 'content-filter' | 'other';

/** What a stream's `result` resolves to once the last chunk is out: a run result plus the finish reason. */
export interface StreamResult<T = unknown> extends RunResult<T> {
  readonly finishReason: StreamFinishReason;
}

/** What `stream()` resolves to as soon as the first text is ready. */
export interface StreamRun<T = unknown> {
  readonly requestId: string;
  readonly decision: Decision;
  /** The variant that is serving the text. */
  readonly variant: string;
  /** Why the decision chose the variant it chose. */
  readonly reason: DecisionReason;
  /** Present when the decided variant failed before its first chunk and a later one serves the text. */
  readonly fallback?: { readonly from: string; readonly causes: readonly VariantFailure[] };
  readonly cached: boolean;
  /** Provider and model of the serving variant; null for a handler variant. */
  readonly provider: string | null;
  readonly model: string | null;
  /**
   * The answer as text chunks (a structured value as its JSON text); readable once. It throws a
   * ModelCallError when the answer fails after its first chunk or trips an output guard at the end.
   */
  readonly textStream: AsyncIterable<string>;
  /** Settles when the stream ends: usage, cost, latency and attempts, or the error that ended it. */
  readonly result: Promise<StreamResult<T>>;
}
