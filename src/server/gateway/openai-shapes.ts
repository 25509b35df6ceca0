import { unreachable } from '../../core/unreachable.js';
import type { FinishReason, ToolCall, Usage } from '../../runtime/client/run-types.js';

/** What names one completion: `chatcmpl-<requestId>`, the second it was created, the model that served it. */
export interface CompletionIdentity {
  readonly id: string;
  readonly created: number;
  readonly model: string;
}

/** OpenAI's finish reasons. */
export type OpenAIFinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls';

/** OpenAI's name for an answer's finish reason; one OpenAI has no name for (`error`, `other`) is `stop`. */
export function openAIFinishReason(reason: FinishReason): OpenAIFinishReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'content-filter':
      return 'content_filter';
    case 'tool-calls':
      return 'tool_calls';
    case 'stop':
    case 'error':
    case 'other':
      return 'stop';
    default:
      return unreachable(reason, 'finish reason');
  }
}

/** OpenAI's usage object for a run's usage, with its cached and reasoning token details. */
export function usageBody(usage: Usage) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  };
}

/** An answer's tool calls as OpenAI's `tool_calls`: arguments are JSON text. */
export function toolCallsBody(calls: readonly ToolCall[]) {
  return calls.map((call) => ({
    id: call.toolCallId,
    type: 'function' as const,
    function: { name: call.toolName, arguments: JSON.stringify(call.input ?? {}) },
  }));
}

/**
 * A `chat.completion` object with one assistant message, as the OpenAI API returns it: `content` is null
 * when the answer only calls tools.
 *
 * @example
 * completionBody({ id: 'chatcmpl-1', created: 1_700_000_000, model: 'gpt-4o-mini' }, 'Hi', [], 'stop', usage);
 */
export function completionBody(
  identity: CompletionIdentity,
  content: string,
  toolCalls: readonly ToolCall[],
  finishReason: OpenAIFinishReason,
  usage: Usage,
) {
  const calls = toolCalls.length > 0;
  return {
    id: identity.id,
    object: 'chat.completion',
    created: identity.created,
    model: identity.model,
    choices: [
      {
        index: 0,
        message: calls
          ? {
              role: 'assistant',
              content: content === '' ? null : content,
              refusal: null,
              tool_calls: toolCallsBody(toolCalls),
            }
          : { role: 'assistant', content, refusal: null },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage: usageBody(usage),
    system_fingerprint: null,
  };
}
