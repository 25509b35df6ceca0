import {
  type ChatCompletionRequest,
  completionTokenLimit,
  messageText,
  promptTokenCount,
} from './chat-request.js';
import type { FakeModelBehaviour } from './fake-upstream-options.js';
import { jsonSchemaInstance } from './json-schema-instance.js';
import { jsonSchemaViolation } from './json-schema-violation.js';
import type { ChatUsage, FinishReason } from './openai-shapes.js';
import { splitIntoTokens } from './token-estimate.js';

/** What a fake model will answer to one request, worked out before any byte is sent. */
export interface ReplyPlan {
  /** The reply content, already cut to the token cap. */
  content: string;
  /** The content as estimated tokens: one stream chunk each. */
  tokens: string[];
  finishReason: FinishReason;
  usage: ChatUsage;
}

/** Longest slice of the user's message echoed in a default reply. */
const echoLength = 80;

/**
 * Decides the reply: an explicit `reply` wins; otherwise structured-output requests get a schema-valid
 * JSON document (or, with `violateSchema`, one the schema rejects) and plain requests a short echo.
 * The result is cut to `max_completion_tokens` / `max_tokens` with finish reason 'length'.
 *
 * @example
 * planReply(request, 'gpt-fake', {}, false).content; // 'gpt-fake reply to "Hello"'
 */
export function planReply(
  request: ChatCompletionRequest,
  model: string,
  behaviour: FakeModelBehaviour,
  violateSchema: boolean,
): ReplyPlan {
  const fullText = replyText(request, model, behaviour, violateSchema);
  let tokens = splitIntoTokens(fullText);
  const limit = completionTokenLimit(request);
  const truncated = limit !== undefined && tokens.length > limit;
  if (truncated) tokens = tokens.slice(0, limit);
  const promptTokens = promptTokenCount(request);
  return {
    content: tokens.join(''),
    tokens,
    finishReason: truncated ? 'length' : 'stop',
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: tokens.length,
      total_tokens: promptTokens + tokens.length,
    },
  };
}

/** Whether the request asks for JSON output (`json_object` or `json_schema`). */
export function wantsStructuredOutput(request: ChatCompletionRequest): boolean {
  const type = request.response_format?.type;
  return type === 'json_object' || type === 'json_schema';
}

function replyText(
  request: ChatCompletionRequest,
  model: string,
  behaviour: FakeModelBehaviour,
  violateSchema: boolean,
): string {
  const format = request.response_format;
  if (violateSchema && format !== undefined && format.type !== 'text') {
    // json_object promises only "an object", so any JSON value of another type violates it.
    const schema = format.type === 'json_schema' ? format.json_schema.schema : { type: 'object' };
    return JSON.stringify(jsonSchemaViolation(schema ?? { type: 'object' }));
  }
  if (typeof behaviour.reply === 'function') return String(behaviour.reply(request));
  if (typeof behaviour.reply === 'string') return behaviour.reply;
  if (format?.type === 'json_schema')
    return JSON.stringify(jsonSchemaInstance(format.json_schema.schema ?? {}));
  if (format?.type === 'json_object') return JSON.stringify({ reply: echoReply(request, model) });
  return echoReply(request, model);
}

/** A deterministic reply naming the model and quoting the start of the last user message. */
function echoReply(request: ChatCompletionRequest, model: string): string {
  const lastUser = [...request.messages].reverse().find((message) => message.role === 'user');
  const text = lastUser === undefined ? '' : messageText(lastUser).replace(/\s+/g, ' ').trim();
  if (text === '') return `${model} reply.`;
  const points = Array.from(text);
  const quoted = points.length > echoLength ? `${points.slice(0, echoLength).join('')}…` : text;
  return `${model} reply to "${quoted}"`;
}
