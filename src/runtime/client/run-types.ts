import type { LanguageModelV3Message } from '@ai-sdk/provider';
import type { CompiledFeature } from '../../core/compile-feature.js';
import type { Attributes, Decision, DecisionReason } from '../../core/decision.js';
import type { VariantFailure } from '../../core/errors.js';
import type { ErrorClass } from '../../core/event-schema.js';
import type {
  ChatMessage,
  ContentPart,
  FinishReason,
  ModelSettings,
  ModelTool,
  ModelToolChoice,
  ProviderOptions,
  ResponseFormat,
  RunMessage,
  ToolCall,
  Usage,
} from '../model-call/model-request.js';

export type {
  ChatMessage,
  ContentPart,
  FinishReason,
  ModelSettings,
  ModelTool,
  ModelToolChoice,
  ProviderOptions,
  ResponseFormat,
  RunMessage,
  ToolCall,
  Usage,
};

/** What a handler variant receives. */
export interface HandlerContext {
  readonly feature: string;
  readonly variant: string;
  readonly payload: unknown;
  readonly input: unknown;
  /** The conversation as the caller gave it (or its input as one user message). */
  readonly messages: readonly RunMessage[];
  readonly attributes: Attributes;
  readonly decision: Decision;
  readonly requestId: string;
  /** Aborted when the variant's timeout passes or the caller's signal aborts. */
  readonly signal: AbortSignal;
}

/** Code the application registers for a handler variant (`legacy`). */
export type VariantHandler = (context: HandlerContext) => unknown;

/**
 * Sampling settings a request may carry: every setting of the spec, as defaults that an LLM variant's own
 * settings override. `maxTokens` is the older name of `maxOutputTokens`.
 */
export interface ModelParameters extends ModelSettings {
  readonly maxTokens?: number;
}

/** One request to run a feature. */
export interface RunRequest {
  /** The input: text, or an object (derived cache keys read its fields). */
  readonly input?: unknown;
  /**
   * The conversation: plain `{ role, content }` messages or the AI SDK's typed messages (text, image and
   * file, tool call, tool result and reasoning parts); when absent, a string input is one user message.
   */
  readonly messages?: readonly RunMessage[];
  /** Tools the model may call; a reply that calls one comes back as `toolCalls`, checked against its schema. */
  readonly tools?: readonly ModelTool[];
  /** Whether the model must (`required`), may (`auto`) or must not (`none`) call a tool, or which one. */
  readonly toolChoice?: ModelToolChoice;
  /** Text, or JSON (with a JSON Schema the reply must satisfy); a variant's `output` schema wins. */
  readonly responseFormat?: ResponseFormat;
  /** Options per provider (`{ openai: { reasoningEffort: 'low' } }`); a variant's own win, key by key. */
  readonly providerOptions?: ProviderOptions;
  /** Sampling defaults for LLM variants that set none themselves (a gateway client's `temperature`). */
  readonly parameters?: ModelParameters;
  /** Handlers for this call, by variant key; they take precedence over the client's handlers. */
  readonly handlers?: Readonly<Record<string, VariantHandler>>;
  /**
   * Cancels the run: the call in flight is aborted, no retry or fallback starts, the budget is settled at
   * what was spent, the run is recorded as `cancelled`, and it rejects with a CancelledError (code CANCELLED).
   */
  readonly signal?: AbortSignal;
}

/** What a run answered, beside the decision: the value, its parts and how it ended. */
export interface RunAnswer<T = unknown> {
  /** The text, the parsed object of a structured variant, or a handler's value. */
  readonly value: T;
  /** The answer as the spec's content parts: text, reasoning and tool calls (a handler's value as text). */
  readonly content: readonly ContentPart[];
  /** The tool calls of the answer, inputs parsed and checked against each tool's schema. */
  readonly toolCalls: readonly ToolCall[];
  /** The answer as an assistant message: append it to `messages`, then the tool results, for the next run. */
  readonly responseMessage: Extract<LanguageModelV3Message, { role: 'assistant' }>;
  /** Why the answer ended: `stop`, `length`, `content-filter`, `tool-calls`, `error` or `other`. */
  readonly finishReason: FinishReason;
  /** Provider and model of the variant that answered; null for a handler. */
  readonly provider: string | null;
  readonly model: string | null;
}

/** What `run()` returns. */
export interface RunResult<T = unknown> extends RunAnswer<T> {
  readonly requestId: string;
  /** The variant that produced the value. */
  readonly variant: string;
  /** Why the decision chose the variant it chose. */
  readonly reason: DecisionReason;
  readonly decision: Decision;
  /** Present when the decided variant failed and a later one in its chain served the value. */
  readonly fallback?: { readonly from: string; readonly causes: readonly VariantFailure[] };
  readonly cached: boolean;
  readonly latencyMs: number;
  /** Tokens of every call the run made, cached and reasoning tokens included. */
  readonly usage: Usage;
  readonly costUsd: number;
  /** Calls made, retries included, across every variant tried. */
  readonly attempts: number;
}

/** One variant's outcome in `runAll()`: its value, or the error that stopped it. */
export interface VariantRunResult<T = unknown> {
  readonly variant: string;
  readonly value?: T;
  /** The answer's parts, tool calls and finish reason, when the variant answered. */
  readonly answer?: RunAnswer<T>;
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
  /** For a `rank()` request: the item `accepted` judges. */
  readonly itemId?: string;
  /** For a `rank()` request: the item the unit chose; items served above it count as passed over. */
  readonly selectedItem?: string;
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
