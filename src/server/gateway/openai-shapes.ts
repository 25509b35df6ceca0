import { unreachable } from '../../core/unreachable.js';
import type { FinishReason, Usage } from '../../runtime/client/run-types.js';

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

/** OpenAI's usage object for a run's usage. */
export function usageBody(usage: Usage) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/**
 * A `chat.completion` object with one assistant message, as the OpenAI API returns it.
 *
 * @example
 * completionBody({ id: 'chatcmpl-1', created: 1_700_000_000, model: 'gpt-4o-mini' }, 'Hi', 'stop', usage);
 */
export function completionBody(
  identity: CompletionIdentity,
  content: string,
  finishReason: OpenAIFinishReason,
  usage: Usage,
) {
  return {
    id: identity.id,
    object: 'chat.completion',
    created: identity.created,
    model: identity.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage: usageBody(usage),
  };
}
