import type { CompiledFeature } from '../../core/compile-feature.js';
import type { Attributes, Decision, DecisionReason } from '../../core/decision.js';
import type { VariantFailure } from '../../core/errors.js';
import type { ErrorClass } from '../../core/event-schema.js';

/** A chat message as the runtime passes it to models and handlers. */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** What a handler variant receives. */
export interface HandlerContext {
  readonly feature: string;
  readonly variant: string;
  readonly payload: unknown;
  readonly input: unknown;
  readonly messages: readonly ChatMessage[];
  readonly attributes: Attributes;
  readonly decision: Decision;
  readonly requestId: string;
  /** Aborted when the variant's timeout passes or the caller's signal aborts. */
  readonly signal: AbortSignal;
}

/** Code the application registers for a handler variant (`legacy`). */
export type VariantHandler = (context: HandlerContext) => unknown;

/** Sampling settings a request may carry; an LLM variant's own settings always win over them. */
export interface ModelParameters {
  readonly temperature?: number;
  readonly maxTokens?: number;
}

/** One request to run a feature. */
export interface RunRequest {
  /** The input: text, or an object (derived cache keys read its fields). */
  readonly input?: unknown;
  /** Chat history; when absent, a string input becomes one user message. */
  readonly messages?: readonly ChatMessage[];
  /** Handlers for this call, by variant key; they take precedence over the client's handlers. */
  readonly handlers?: Readonly<Record<string, VariantHandler>>;
  /** Aborts the run. */
  readonly signal?: AbortSignal;
  /** Sampling defaults for LLM variants that set none themselves (a gateway client's `temperature`). */
  readonly parameters?: ModelParameters;
}

/** Token usage of a run or variant. */
export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** What `run()` returns. */
export interface RunResult<T = unknown> {
  readonly requestId: string;
  readonly value: T;
  /** The variant that produced the value. */
  readonly variant: string;
  /** Why the decision chose the variant it chose. */
  readonly reason: DecisionReason;
  readonly decision: Decision;
  /** Present when the decided variant failed and a later one in its chain served the value. */
  readonly fallback?: { readonly from: string; readonly causes: readonly VariantFailure[] };
  readonly cached: boolean;
  readonly latencyMs: number;
  readonly usage: Usage;
  readonly costUsd: number;
  /** Calls made, retries included, across every variant tried. */
  readonly attempts: number;
}

/** One variant's outcome in `runAll()`: its value, or the error that stopped it. */
export interface VariantRunResult<T = unknown> {
  readonly variant: string;
  readonly value?: T;
  readonly error?: { readonly code: string; readonly errorClass: ErrorClass; readonly message: string };
  readonly cached: boolean;
  readonly latencyMs: number;
  readonly usage: Usage;
  readonly costUsd: number;
  readonly attempts: number;
}

/** What `runAll()` returns: one request id for the group, one entry per requested variant, in order. */
export interface RunAllResult<T = unknown> {
  readonly requestId: string;
  readonly latencyMs: number;
  readonly results: ReadonlyArray<VariantRunResult<T>>;
}

/** Feedback joined to a run by its request id. */
export interface FeedbackInput {
  readonly accepted?: boolean;
  readonly selectedVariant?: string;
  readonly rating?: number;
  /** A named numeric outcome (`time-to-approval-ms`), with `value`. */
  readonly metric?: string;
  readonly value?: number;
  /** The feature, when the client no longer remembers the request (feedback long after the run). */
  readonly feature?: string;
}

/** A run in progress: the decided feature, its request and the unit it is for. */
export interface RunPlan {
  readonly feature: CompiledFeature;
  readonly decision: Decision;
  readonly request: RunRequest;
  readonly attributes: Attributes;
  readonly requestId: string;
  /** Monotonic start time (ms) for the run's latency. */
  readonly started: number;
}
