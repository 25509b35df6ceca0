import type { ErrorClass } from '../../core/event-schema.js';
import { ModelCallError } from './model-call-error.js';
import type { ModelCall } from './model-call-options.js';
import type { ContentPart, ToolCall } from './model-request.js';
import { schemaValidator } from './schema-validator.js';

/** Why a reply cannot be used as it is, and what to tell the model in the repair request. */
export interface ReplyProblem {
  readonly errorClass: Extract<ErrorClass, 'parse_error' | 'schema_invalid'>;
  /** `the reply could not be parsed`, `the call of tool "weather" did not match its input schema`. */
  readonly summary: string;
  readonly detail: string;
  readonly repairRequest: string;
}

/** A reply read: its text, tool calls and parsed object, or the first problem found. */
export interface ReadReply {
  readonly text: string;
  readonly toolCalls: ToolCall[];
  readonly object?: unknown;
  readonly problem?: ReplyProblem;
}

/**
 * Reads a reply's content against the request it answers. Tool calls are checked as tool calls: the tool
 * must be one the request offered, and its input must be JSON (an empty input is `{}`) that satisfies the
 * tool's input schema; a provider-executed call passes as the provider ran it. A reply without tool calls to
 * a request for JSON must parse, and satisfy the response format's schema when there is one.
 *
 * @example
 * readReply([{ type: 'text', text: '{"name":"Ada"}' }], { responseFormat: { type: 'json', schema } });
 * // { text: '{"name":"Ada"}', toolCalls: [], object: { name: 'Ada' } }
 */
export function readReply(
  content: readonly ContentPart[],
  call: Pick<ModelCall, 'tools' | 'responseFormat'>,
): ReadReply {
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const part of content) {
    if (part.type === 'text') {
      text += part.text;
    } else if (part.type === 'tool-call') {
      const read = readToolCall(part, call);
      if ('problem' in read) return { text, toolCalls, problem: read.problem };
      toolCalls.push(read.toolCall);
    }
  }
  const format = call.responseFormat;
  if (toolCalls.length > 0 || format?.type !== 'json') return { text, toolCalls };
  let object: unknown;
  try {
    object = JSON.parse(text);
  } catch (error) {
    const detail = text === '' ? 'the reply was empty' : messageOf(error);
    return {
      text,
      toolCalls,
      problem: jsonProblem('parse_error', 'the reply could not be parsed', detail, format.schema),
    };
  }
  if (format.schema === undefined) return { text, toolCalls, object };
  const checked = schemaValidator(format.schema)(object);
  if (!checked.ok) {
    return {
      text,
      toolCalls,
      problem: jsonProblem(
        'schema_invalid',
        'the reply did not match the schema',
        checked.detail,
        format.schema,
      ),
    };
  }
  return { text, toolCalls, object: checked.value };
}

/**
 * Compiles the schemas a reply will be checked against (the JSON response format's, each function tool's
 * input schema) before anything is sent, so a schema the validator cannot use fails the call as the
 * caller's mistake (`client_error`, not retryable) rather than after the provider was paid.
 */
export function prepareReplyChecks(call: Pick<ModelCall, 'tools' | 'responseFormat'>): void {
  const compile = (schema: unknown, what: string) => {
    try {
      schemaValidator(schema as Record<string, unknown>);
    } catch (error) {
      throw new ModelCallError(`${what} is not supported: ${messageOf(error)}`, {
        errorClass: 'client_error',
        retryable: false,
        cause: error,
      });
    }
  };
  const format = call.responseFormat;
  if (format?.type === 'json' && format.schema !== undefined) compile(format.schema, 'output.schema');
  call.tools?.forEach((tool, index) => {
    if (tool.type === 'function') compile(tool.inputSchema, `tools[${index}].inputSchema`);
  });
}

function readToolCall(
  part: Extract<ContentPart, { type: 'tool-call' }>,
  call: Pick<ModelCall, 'tools'>,
): { toolCall: ToolCall } | { problem: ReplyProblem } {
  const tool = call.tools?.find((candidate) => candidate.name === part.toolName);
  if (tool === undefined && part.providerExecuted !== true) {
    const offered = (call.tools ?? []).map((candidate) => `"${candidate.name}"`).join(', ') || 'none';
    return {
      problem: toolProblem('schema_invalid', part.toolName, `no such tool was offered (offered: ${offered})`),
    };
  }
  let input: unknown;
  try {
    input = part.input.trim() === '' ? {} : JSON.parse(part.input);
  } catch (error) {
    return {
      problem: toolProblem('parse_error', part.toolName, `its input is not JSON: ${messageOf(error)}`),
    };
  }
  if (tool?.type === 'function' && part.providerExecuted !== true) {
    const checked = schemaValidator(tool.inputSchema as Record<string, unknown>)(input);
    if (!checked.ok) {
      return {
        problem: toolProblem(
          'schema_invalid',
          part.toolName,
          `its input did not match the schema: ${checked.detail}`,
        ),
      };
    }
    input = checked.value;
  }
  return { toolCall: { toolCallId: part.toolCallId, toolName: part.toolName, input } };
}

function jsonProblem(
  errorClass: ReplyProblem['errorClass'],
  summary: string,
  detail: string,
  schema: unknown,
): ReplyProblem {
  const what = errorClass === 'parse_error' ? 'was not valid JSON' : 'did not match the required JSON Schema';
  const target =
    schema === undefined
      ? 'Reply again with only a JSON document, and no other text.'
      : `Reply again with only a JSON document that satisfies this JSON Schema, and no other text:\n${JSON.stringify(schema)}`;
  return {
    errorClass,
    summary,
    detail,
    repairRequest: `Your previous reply ${what}:\n${detail}\n\n${target}`,
  };
}

function toolProblem(errorClass: ReplyProblem['errorClass'], toolName: string, detail: string): ReplyProblem {
  return {
    errorClass,
    summary: `the call of tool "${toolName}" was unusable`,
    detail,
    repairRequest: `Your previous call of tool "${toolName}" was unusable: ${detail}\n\nCall the tool again with input that satisfies its input schema, or answer without it.`,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
