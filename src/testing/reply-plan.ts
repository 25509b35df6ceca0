import {
  type ChatCompletionRequest,
  completionTokenLimit,
  messageText,
  promptTokenCount,
} from './chat-request.js';
import type { FakeModelBehaviour } from './fake-upstream-options.js';
import { jsonSchemaInstance } from './json-schema-instance.js';
import { jsonSchemaViolation } from './json-schema-violation.js';
import type { ChatToolCall, ChatUsage, FinishReason } from './openai-shapes.js';
import { splitIntoTokens } from './token-estimate.js';

/** What a fake model will answer to one request, worked out before any byte is sent. */
export interface ReplyPlan {
  /** The reply content, already cut to the token cap. */
  content: string;
  /** The content as estimated tokens: one stream chunk each. */
  tokens: string[];
  finishReason: FinishReason;
  usage: ChatUsage;
  /** The tools the reply calls (then `content` is empty and the finish reason `tool_calls`). */
  toolCalls: ChatToolCall[];
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
  const promptTokens = promptTokenCount(request);
  const toolCalls = plannedToolCalls(request);
  if (toolCalls.length > 0) {
    const completionTokens = toolCalls.reduce(
      (sum, call) => sum + splitIntoTokens(call.function.arguments).length,
      0,
    );
    return {
      content: '',
      tokens: [],
      finishReason: 'tool_calls',
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
      toolCalls,
    };
  }
  const fullText = replyText(request, model, behaviour, violateSchema);
  let tokens = splitIntoTokens(fullText);
  const limit = completionTokenLimit(request);
  const truncated = limit !== undefined && tokens.length > limit;
  if (truncated) tokens = tokens.slice(0, limit);
  return {
    toolCalls: [],
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

/** A function tool as a request offers it. */
interface OfferedTool {
  type?: unknown;
  function?: { name?: unknown; parameters?: unknown };
}

/**
 * The tool calls a request gets: when it offers tools, does not say `tool_choice: "none"`, and its last
 * message is not a tool result, one call of the tool `tool_choice` names (else the first tool) with
 * arguments valid for its parameters schema; otherwise none (a model that has its tool results answers).
 */
function plannedToolCalls(request: ChatCompletionRequest): ChatToolCall[] {
  const tools = Array.isArray(request.tools) ? (request.tools as OfferedTool[]) : [];
  if (tools.length === 0 || request.tool_choice === 'none') return [];
  const last = request.messages.at(-1);
  if (last?.role === 'tool' || last?.role === 'function') return [];
  const choice = request.tool_choice as { function?: { name?: unknown } } | undefined;
  const named = typeof choice === 'object' && choice !== null ? choice.function?.name : undefined;
  const tool = tools.find((offered) => named === undefined || offered.function?.name === named) ?? tools[0];
  const name = String(tool?.function?.name ?? 'tool');
  const schema = tool?.function?.parameters ?? { type: 'object', properties: {} };
  const index = request.messages.length;
  return [
    {
      id: `call_fake${String(index).padStart(4, '0')}`,
      type: 'function',
      function: { name, arguments: JSON.stringify(jsonSchemaInstance(schema)) },
    },
  ];
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
