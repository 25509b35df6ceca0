/** Token counts in the shape OpenAI reports them. */
export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** The fields every completion and chunk of one answer share. */
export interface CompletionIdentity {
  id: string;
  /** Unix seconds. */
  created: number;
  model: string;
}

/** Why generation stopped: the reply ended, or it hit the requested token cap. */
export type FinishReason = 'stop' | 'length' | 'tool_calls';

/** A tool call of an answer, as OpenAI sends it (arguments are JSON text). */
export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** Stands in for the backend configuration fingerprint OpenAI puts on every completion. */
const systemFingerprint = 'fp_switchyard_fake';

/**
 * A non-streaming chat completion exactly as OpenAI shapes it.
 *
 * @example
 * completionBody({ id: 'chatcmpl-1', created: 0, model: 'gpt' }, 'Hi', 'stop', usage);
 */
export function completionBody(
  identity: CompletionIdentity,
  content: string,
  finishReason: FinishReason,
  usage: ChatUsage,
  toolCalls: readonly ChatToolCall[] = [],
): Record<string, unknown> {
  const message =
    toolCalls.length > 0
      ? {
          role: 'assistant',
          content: content === '' ? null : content,
          refusal: null,
          annotations: [],
          tool_calls: toolCalls,
        }
      : { role: 'assistant', content, refusal: null, annotations: [] };
  return {
    id: identity.id,
    object: 'chat.completion',
    created: identity.created,
    model: identity.model,
    system_fingerprint: systemFingerprint,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage,
  };
}

/**
 * One streamed chunk with a single choice; when the client asked for usage, OpenAI sends `usage: null`
 * on every chunk but the last.
 */
export function chunkBody(
  identity: CompletionIdentity,
  delta: Record<string, unknown>,
  finishReason: FinishReason | null,
  includeUsage: boolean,
): Record<string, unknown> {
  return {
    id: identity.id,
    object: 'chat.completion.chunk',
    created: identity.created,
    model: identity.model,
    system_fingerprint: systemFingerprint,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  };
}

/** The final chunk OpenAI sends when `stream_options.include_usage` is true: no choices, only usage. */
export function usageChunkBody(identity: CompletionIdentity, usage: ChatUsage): Record<string, unknown> {
  return {
    id: identity.id,
    object: 'chat.completion.chunk',
    created: identity.created,
    model: identity.model,
    system_fingerprint: systemFingerprint,
    choices: [],
    usage,
  };
}

/** An error body in OpenAI's shape: `{ error: { message, type, param, code } }`. */
export function errorBody(
  message: string,
  type: string,
  param: string | null = null,
  code: string | null = null,
): { error: { message: string; type: string; param: string | null; code: string | null } } {
  return { error: { message, type, param, code } };
}

/** The error OpenAI would send for an HTTP status, used when a fault injects one. */
export function injectedErrorBody(status: number): ReturnType<typeof errorBody> {
  if (status === 429) {
    return errorBody(
      'Rate limit reached for requests. Please try again later.',
      'requests',
      null,
      'rate_limit_exceeded',
    );
  }
  if (status === 503) {
    return errorBody('The engine is currently overloaded, please try again later.', 'server_error');
  }
  if (status >= 500) {
    return errorBody(
      'The server had an error while processing your request. Sorry about that!',
      'server_error',
    );
  }
  return errorBody(`The request was rejected with status ${status}.`, 'invalid_request_error');
}
