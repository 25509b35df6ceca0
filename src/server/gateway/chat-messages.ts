import type {
  LanguageModelV3FilePart,
  LanguageModelV3Message,
  LanguageModelV3TextPart,
  LanguageModelV3ToolCallPart,
} from '@ai-sdk/provider';
import { InvalidInputError } from '../../core/errors.js';
import type { RunMessage } from '../../runtime/client/run-types.js';

/** A chat-completions message as the body schema admits it (fields checked there). */
export interface ApiMessage {
  readonly role: 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'function';
  readonly content?: string | readonly ApiPart[] | null | undefined;
  readonly name?: string | null | undefined;
  readonly tool_calls?:
    | ReadonlyArray<{
        readonly id: string;
        readonly function: { readonly name: string; readonly arguments: string };
      }>
    | null
    | undefined;
  readonly function_call?: { readonly name: string; readonly arguments: string } | null | undefined;
  readonly tool_call_id?: string | null | undefined;
}

/** A content part of a chat-completions message. */
export type ApiPart =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'refusal'; readonly refusal: string }
  | {
      readonly type: 'image_url';
      readonly image_url: { readonly url: string; readonly detail?: string | null };
    }
  | { readonly type: 'input_audio'; readonly input_audio: { readonly data: string; readonly format: string } }
  | {
      readonly type: 'file';
      readonly file: {
        readonly file_data?: string | null;
        readonly file_id?: string | null;
        readonly filename?: string | null;
      };
    };

const AUDIO_TYPES: Readonly<Record<string, string>> = { wav: 'audio/wav', mp3: 'audio/mpeg' };
const DATA_URL = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s;

/** The messages of a chat-completions request, and the last user message's text (a handler's `input`). */
export interface RunConversation {
  readonly messages: readonly RunMessage[];
  readonly input: string | undefined;
}

/**
 * Turns chat-completions messages into a run's messages: plain text stays `{ role, content }` (the fast
 * path), `developer` is `system`; parts become the spec's text and file parts (images by URL or data URL,
 * audio and files as base64 data); an assistant's `tool_calls` (and the older `function_call`) become
 * tool-call parts, their JSON arguments parsed; `tool` (and `function`) messages become tool results,
 * named after the call they answer. Throws InvalidInputError naming the field at fault.
 *
 * @example
 * toRunConversation([{ role: 'user', content: 'Hi' }]); // { messages: [{ role: 'user', content: 'Hi' }], input: 'Hi' }
 */
export function toRunConversation(messages: readonly ApiMessage[]): RunConversation {
  const out: RunMessage[] = [];
  /** Tool names by call id, from the assistant messages so far: a tool result names its tool. */
  const calls = new Map<string, string>();
  /** The latest call id of each function name, for the older `function` messages. */
  const functionCalls = new Map<string, string>();
  let input: string | undefined;
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index] as ApiMessage;
    const field = `messages[${index}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        out.push({ role: 'system', content: textOf(message.content, `${field}.content`) });
        break;
      case 'user': {
        const { content } = message;
        if (typeof content === 'string') {
          out.push({ role: 'user', content });
          input = content;
        } else if (content?.every((part) => part.type === 'text')) {
          // Text parts alone read as one text: the plain message the fast path and cache keys know.
          input = content.map((part) => (part as { text: string }).text).join('\n');
          out.push({ role: 'user', content: input });
        } else {
          const parts = userParts(content, `${field}.content`);
          out.push({ role: 'user', content: parts });
          const texts = parts.filter((part): part is LanguageModelV3TextPart => part.type === 'text');
          input = texts.map((part) => part.text).join('\n');
        }
        break;
      }
      case 'assistant':
        out.push(assistantMessage(message, field, calls, functionCalls, index));
        break;
      case 'tool': {
        const id = message.tool_call_id;
        if (typeof id !== 'string' || id === '') {
          throw new InvalidInputError(
            `${field}.tool_call_id`,
            'must name the tool call this message answers',
          );
        }
        const toolName = calls.get(id);
        if (toolName === undefined) {
          throw new InvalidInputError(
            `${field}.tool_call_id`,
            `"${id}" is not the id of a tool call of an earlier assistant message`,
          );
        }
        out.push(toolResult(id, toolName, textOf(message.content, `${field}.content`)));
        break;
      }
      case 'function': {
        const name = message.name;
        const id = typeof name === 'string' ? functionCalls.get(name) : undefined;
        if (name == null || id === undefined) {
          throw new InvalidInputError(
            `${field}.name`,
            'must name a function an earlier assistant message called (function_call)',
          );
        }
        out.push(toolResult(id, name, textOf(message.content, `${field}.content`)));
        break;
      }
    }
  }
  return { messages: out, input };
}

function toolResult(toolCallId: string, toolName: string, value: string): LanguageModelV3Message {
  return {
    role: 'tool',
    content: [{ type: 'tool-result', toolCallId, toolName, output: { type: 'text', value } }],
  };
}

function assistantMessage(
  message: ApiMessage,
  field: string,
  calls: Map<string, string>,
  functionCalls: Map<string, string>,
  index: number,
): RunMessage {
  const { content, tool_calls: toolCalls, function_call: functionCall } = message;
  const hasCalls = (toolCalls != null && toolCalls.length > 0) || functionCall != null;
  if (!hasCalls && typeof content === 'string') return { role: 'assistant', content };
  const parts: Array<LanguageModelV3TextPart | LanguageModelV3ToolCallPart> = [];
  if (content != null) {
    const text = textOf(content, `${field}.content`, true);
    if (text !== '') parts.push({ type: 'text', text });
  } else if (!hasCalls) {
    throw new InvalidInputError(`${field}.content`, 'may be null only when the message has tool_calls');
  }
  toolCalls?.forEach((call, position) => {
    const at = `${field}.tool_calls[${position}]`;
    parts.push({
      type: 'tool-call',
      toolCallId: call.id,
      toolName: call.function.name,
      input: parseArguments(call.function.arguments, `${at}.function.arguments`),
    });
    calls.set(call.id, call.function.name);
  });
  if (functionCall != null) {
    const id = `function-call-${index}`;
    parts.push({
      type: 'tool-call',
      toolCallId: id,
      toolName: functionCall.name,
      input: parseArguments(functionCall.arguments, `${field}.function_call.arguments`),
    });
    functionCalls.set(functionCall.name, id);
  }
  return { role: 'assistant', content: parts };
}

function parseArguments(text: string, field: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text === '' ? '{}' : text);
  } catch {
    throw new InvalidInputError(field, 'must be JSON text (the arguments object)');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(field, 'must be the JSON text of an object');
  }
  return value;
}

/** A message's text: a string, or its text parts joined (`refusal` parts too, for an assistant). */
function textOf(content: ApiMessage['content'], field: string, assistant = false): string {
  if (typeof content === 'string') return content;
  if (content == null) throw new InvalidInputError(field, 'must be a string or a list of text parts');
  const texts: string[] = [];
  content.forEach((part, index) => {
    if (part.type === 'text') texts.push(part.text);
    else if (assistant && part.type === 'refusal') texts.push(part.refusal);
    else throw new InvalidInputError(`${field}[${index}].type`, 'must be "text" in a message of this role');
  });
  return texts.join('\n');
}

function userParts(
  content: ApiMessage['content'],
  field: string,
): Array<LanguageModelV3TextPart | LanguageModelV3FilePart> {
  if (content == null || typeof content === 'string') {
    throw new InvalidInputError(field, 'must be a string or a list of parts');
  }
  return content.map((part, index): LanguageModelV3TextPart | LanguageModelV3FilePart => {
    const at = `${field}[${index}]`;
    switch (part.type) {
      case 'text':
        return { type: 'text', text: part.text };
      case 'image_url': {
        const { url, detail } = part.image_url;
        const file = fileOf(url, 'image/*', `${at}.image_url.url`);
        return detail == null ? file : { ...file, providerOptions: { openai: { imageDetail: detail } } };
      }
      case 'input_audio': {
        const mediaType = AUDIO_TYPES[part.input_audio.format];
        if (mediaType === undefined) {
          throw new InvalidInputError(`${at}.input_audio.format`, 'must be "wav" or "mp3"');
        }
        return { type: 'file', mediaType, data: part.input_audio.data };
      }
      case 'file': {
        const { file_data: data, file_id: id, filename } = part.file;
        if (id != null) {
          throw new InvalidInputError(
            `${at}.file.file_id`,
            'files uploaded to a provider cannot be named through the gateway: send file_data',
          );
        }
        if (data == null) throw new InvalidInputError(`${at}.file.file_data`, 'must be a base64 data URL');
        const file = fileOf(data, 'application/octet-stream', `${at}.file.file_data`);
        return filename == null ? file : { ...file, filename };
      }
      default:
        throw new InvalidInputError(`${at}.type`, 'must be "text", "image_url", "input_audio" or "file"');
    }
  });
}

/** A file part from a data URL (its media type and base64 data) or an http(s) URL (passed as a URL). */
function fileOf(url: string, fallbackType: string, field: string): LanguageModelV3FilePart {
  const data = DATA_URL.exec(url);
  if (data !== null) return { type: 'file', mediaType: data[1] as string, data: data[2] as string };
  if (/^https?:\/\//i.test(url)) {
    try {
      return { type: 'file', mediaType: fallbackType, data: new URL(url) };
    } catch {
      // falls through to the error below
    }
  }
  throw new InvalidInputError(field, 'must be an http(s) URL or a base64 data URL (data:<type>;base64,…)');
}
