import type { Usage } from '../../runtime/client/run-types.js';
import type { StreamFinishReason } from '../../runtime/client/stream-types.js';

/** What names one completion: `chatcmpl-<requestId>`, the second it was created, the model that served it. */
export interface CompletionIdentity {
  readonly id: string;
  readonly created: number;
  readonly model: string;
}

/** OpenAI's finish reasons. */
export type OpenAIFinishReason = 'stop' | 'length' | 'content_filter';

/** OpenAI's name for a stream's finish reason. */
export function openAIFinishReason(reason: StreamFinishReason): OpenAIFinishReason {
  if (reason === 'length') return 'length';
  if (reason === 'content-filter') return 'content_filter';
  return 'stop';
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
