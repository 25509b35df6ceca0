import type {
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3FinishReason,
  LanguageModelV3FunctionTool,
  LanguageModelV3Message,
  LanguageModelV3ProviderTool,
  LanguageModelV3ToolChoice,
  SharedV3ProviderOptions,
} from '@ai-sdk/provider';

/** One message of a conversation as plain text: `{ role, content }`, the shape most callers have. */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/**
 * A message of a run's conversation: the AI SDK's typed message (LanguageModelV3: text, image and file,
 * tool call, tool result and reasoning parts), or a plain `{ role, content: string }`.
 */
export type RunMessage = LanguageModelV3Message | ChatMessage;

/** A tool a model may call: a function with a JSON Schema for its input, or a provider's own tool. */
export type ModelTool = LanguageModelV3FunctionTool | LanguageModelV3ProviderTool;

/** Which tool the model must, may or must not call. */
export type ModelToolChoice = LanguageModelV3ToolChoice;

/** The form of the reply: text, or JSON (with a JSON Schema it must satisfy). */
export type ResponseFormat = NonNullable<LanguageModelV3CallOptions['responseFormat']>;

/** Options for one provider, by provider name (`{ openai: { reasoningEffort: 'low' } }`). */
export type ProviderOptions = SharedV3ProviderOptions;

/** Every sampling setting of the language-model spec. */
export interface ModelSettings {
  readonly maxOutputTokens?: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly topK?: number;
  readonly stopSequences?: readonly string[];
  readonly seed?: number;
  readonly presencePenalty?: number;
  readonly frequencyPenalty?: number;
}

/** Why an answer ended, as the spec unifies it across providers. */
export type FinishReason = LanguageModelV3FinishReason['unified'];

/** Token usage of a call or run; cached and reasoning tokens are 0 when the provider reports none. */
export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Input tokens read from the provider's prompt cache (part of `inputTokens`). */
  readonly cachedInputTokens: number;
  /** Output tokens spent on reasoning (part of `outputTokens`). */
  readonly reasoningTokens: number;
}

/** A tool call of an answer, its input parsed from JSON and checked against the tool's input schema. */
export interface ToolCall {
  readonly toolCallId: string;
  readonly toolName: string;
  readonly input: unknown;
}

/** The content of an answer: the spec's parts (text, reasoning, tool calls, files, sources). */
export type ContentPart = LanguageModelV3Content;

/** No tokens at all. */
export const NO_USAGE: Usage = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  reasoningTokens: 0,
});

/** The sum of two usages. */
export function addUsage(left: Usage, right: Usage): Usage {
  return {
    inputTokens: left.inputTokens + right.inputTokens,
    outputTokens: left.outputTokens + right.outputTokens,
    cachedInputTokens: left.cachedInputTokens + right.cachedInputTokens,
    reasoningTokens: left.reasoningTokens + right.reasoningTokens,
  };
}
