import { isRecord } from './schema-node.js';
import { estimateTokens } from './token-estimate.js';

/** One chat message as the OpenAI API accepts it; content may be text, an array of parts, or null. */
export interface ChatMessage {
  role: string;
  content?: string | ReadonlyArray<{ type: string; text?: string }> | null;
  name?: string;
  [field: string]: unknown;
}

/** The parsed body of a chat-completions request; fields the fake does not read pass through untouched. */
export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  response_format?:
    | { type: 'text' }
    | { type: 'json_object' }
    | { type: 'json_schema'; json_schema: { name?: string; schema?: unknown; strict?: boolean | null } };
  [field: string]: unknown;
}

/** Why a request body was refused, in the terms an OpenAI 400 error uses. */
export interface RequestProblem {
  message: string;
  param: string | null;
}

/** The outcome of `parseChatRequest`: the typed request, or the first problem found. */
export type ParsedChatRequest =
  | { ok: true; request: ChatCompletionRequest }
  | { ok: false; problem: RequestProblem };

/**
 * Checks a JSON-decoded body has the shape of a chat-completions request, naming the first bad field
 * the way OpenAI's 400 errors do.
 *
 * @example
 * const parsed = parseChatRequest({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] });
 */
export function parseChatRequest(body: unknown): ParsedChatRequest {
  const problem = firstProblem(body);
  return problem === undefined
    ? { ok: true, request: body as ChatCompletionRequest }
    : { ok: false, problem };
}

function firstProblem(body: unknown): RequestProblem | undefined {
  if (!isRecord(body)) return { message: 'The request body must be a JSON object.', param: null };
  if (typeof body.model !== 'string' || body.model === '') {
    return {
      message: "you must provide a model parameter ('model' must be a non-empty string)",
      param: 'model',
    };
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return { message: "'messages' must be a non-empty array of messages.", param: 'messages' };
  }
  for (const [index, message] of body.messages.entries()) {
    if (!isRecord(message) || typeof message.role !== 'string') {
      return {
        message: `messages[${index}] must be an object with a string 'role'.`,
        param: `messages[${index}]`,
      };
    }
    const content = message.content;
    if (content !== undefined && content !== null && typeof content !== 'string' && !Array.isArray(content)) {
      return {
        message: `messages[${index}].content must be a string, an array of content parts or null.`,
        param: `messages[${index}].content`,
      };
    }
  }
  for (const field of ['max_tokens', 'max_completion_tokens'] as const) {
    const value = body[field];
    if (value !== undefined && value !== null && !(Number.isInteger(value) && (value as number) >= 1)) {
      return { message: `'${field}' must be an integer of at least 1.`, param: field };
    }
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    return { message: "'stream' must be a boolean.", param: 'stream' };
  }
  const format = body.response_format;
  if (format !== undefined && format !== null) {
    if (!isRecord(format) || !['text', 'json_object', 'json_schema'].includes(format.type as string)) {
      return {
        message: "'response_format.type' must be one of 'text', 'json_object' or 'json_schema'.",
        param: 'response_format.type',
      };
    }
    if (format.type === 'json_schema' && !isRecord(format.json_schema)) {
      return {
        message: "'response_format.json_schema' must be an object.",
        param: 'response_format.json_schema',
      };
    }
  }
  return undefined;
}

/** The text of a message's content, joining the text parts of a multi-part message. */
export function messageText(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('');
}

/**
 * Estimated prompt tokens: the text of every message plus a few tokens of framing per message and for
 * the reply, in the spirit of OpenAI's own counting recipe.
 */
export function promptTokenCount(request: ChatCompletionRequest): number {
  let total = 3;
  for (const message of request.messages) total += 3 + estimateTokens(messageText(message));
  return total;
}

/** The token cap the request asks for (`max_completion_tokens` wins over the older `max_tokens`). */
export function completionTokenLimit(request: ChatCompletionRequest): number | undefined {
  return request.max_completion_tokens ?? request.max_tokens ?? undefined;
}
