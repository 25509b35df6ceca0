import type {
  LanguageModelV3FilePart,
  LanguageModelV3Message,
  LanguageModelV3TextPart,
  LanguageModelV3ToolCallPart,
} from '@ai-sdk/provider';
import { z } from 'zod';
import { InvalidInputError } from '../../../core/errors.js';
import type { ResponseItem } from './response-store.js';

const textContentSchema = z.looseObject({ type: z.enum(['input_text', 'output_text']), text: z.string() });
const refusalContentSchema = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });
const imageContentSchema = z.looseObject({
  type: z.literal('input_image'),
  image_url: z.string().min(1, 'must be an image URL or a data: URL').optional(),
  file_id: z
    .never({ error: 'file ids need OpenAI file storage, which the gateway has not: send image_url' })
    .optional(),
  detail: z.enum(['low', 'high', 'auto']).nullish(),
});
const fileContentSchema = z.looseObject({
  type: z.literal('input_file'),
  file_data: z.string().min(1).optional(),
  file_url: z.string().min(1).optional(),
  filename: z.string().nullish(),
  file_id: z
    .never({ error: 'file ids need OpenAI file storage, which the gateway has not: send file_data' })
    .optional(),
});
const contentSchema = z.discriminatedUnion(
  'type',
  [textContentSchema, refusalContentSchema, imageContentSchema, fileContentSchema],
  {
    error:
      'must be input_text, output_text, refusal, input_image or input_file (input_audio is not supported)',
  },
);

const messageItemSchema = z.looseObject({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer'], {
    error: 'must be "user", "assistant", "system" or "developer"',
  }),
  content: z.union([z.string(), z.array(contentSchema)], {
    error: 'must be a string or a list of content parts',
  }),
});
const functionCallItemSchema = z.looseObject({
  type: z.literal('function_call'),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
});
const functionOutputItemSchema = z.looseObject({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(contentSchema)]),
});
const reasoningItemSchema = z.looseObject({
  type: z.literal('reasoning'),
  summary: z.array(z.looseObject({ text: z.string() })).default([]),
});
const referenceItemSchema = z.looseObject({ type: z.literal('item_reference'), id: z.string().min(1) });

/** One input item of the Responses API, as the gateway accepts it. */
export const itemSchema = z.union(
  [
    functionCallItemSchema,
    functionOutputItemSchema,
    reasoningItemSchema,
    referenceItemSchema,
    messageItemSchema,
  ],
  {
    error:
      'must be a message, function_call, function_call_output, reasoning or item_reference item (built-in tool items are not supported)',
  },
);

type ParsedItem = z.infer<typeof itemSchema>;

/** Items as the spec's messages: function calls join the assistant turn they follow, outputs become tool messages. */
export function toMessages(items: readonly ResponseItem[]): LanguageModelV3Message[] {
  const messages: LanguageModelV3Message[] = [];
  const toolNames = new Map<string, string>();
  const assistant = (): Extract<LanguageModelV3Message, { role: 'assistant' }> => {
    const last = messages.at(-1);
    if (last?.role === 'assistant') return last;
    const message: Extract<LanguageModelV3Message, { role: 'assistant' }> = {
      role: 'assistant',
      content: [],
    };
    messages.push(message);
    return message;
  };
  items.forEach((raw, index) => {
    const item = raw as ParsedItem;
    const at = `input[${index}]`;
    if ('type' in item && item.type === 'function_call') {
      toolNames.set(item.call_id, item.name);
      const call: LanguageModelV3ToolCallPart = {
        type: 'tool-call',
        toolCallId: item.call_id,
        toolName: item.name,
        input: parseArguments(item.arguments, `${at}.arguments`),
      };
      assistant().content.push(call);
      return;
    }
    if ('type' in item && item.type === 'function_call_output') {
      const toolName = toolNames.get(item.call_id);
      if (toolName === undefined) {
        throw new InvalidInputError(`${at}.call_id`, `answers no function_call before it: ${item.call_id}`);
      }
      const value =
        typeof item.output === 'string'
          ? item.output
          : item.output.map((part) => ('text' in part ? String(part.text) : '')).join('');
      const result = {
        type: 'tool-result' as const,
        toolCallId: item.call_id,
        toolName,
        output: { type: 'text' as const, value },
      };
      const last = messages.at(-1);
      if (last?.role === 'tool') last.content.push(result);
      else messages.push({ role: 'tool', content: [result] });
      return;
    }
    if ('type' in item && item.type === 'reasoning') {
      const text = item.summary.map((part) => part.text).join('\n');
      if (text !== '') assistant().content.push({ type: 'reasoning', text });
      return;
    }
    const message = item as z.infer<typeof messageItemSchema>;
    const parts =
      typeof message.content === 'string'
        ? [{ type: 'input_text' as const, text: message.content }]
        : message.content;
    if (message.role === 'system' || message.role === 'developer') {
      messages.push({
        role: 'system',
        content: parts.map((part, partIndex) => textOfPart(part, `${at}.content[${partIndex}]`)).join('\n'),
      });
      return;
    }
    if (message.role === 'assistant') {
      const target = assistant();
      parts.forEach((part, partIndex) => {
        target.content.push({ type: 'text', text: textOfPart(part, `${at}.content[${partIndex}]`) });
      });
      return;
    }
    messages.push({
      role: 'user',
      content: parts.map((part, partIndex) => userPart(part, `${at}.content[${partIndex}]`)),
    });
  });
  return messages;
}

function textOfPart(part: z.infer<typeof contentSchema>, field: string): string {
  if (part.type === 'input_text' || part.type === 'output_text') return part.text;
  if (part.type === 'refusal') return part.refusal;
  throw new InvalidInputError(field, `${part.type} belongs in a user message`);
}

function userPart(
  part: z.infer<typeof contentSchema>,
  field: string,
): LanguageModelV3TextPart | LanguageModelV3FilePart {
  if (part.type === 'input_text' || part.type === 'output_text') return { type: 'text', text: part.text };
  if (part.type === 'refusal') return { type: 'text', text: part.refusal };
  if (part.type === 'input_image') {
    if (part.image_url === undefined) throw new InvalidInputError(`${field}.image_url`, 'is required');
    return filePart(part.image_url, 'image/*', `${field}.image_url`, undefined);
  }
  const source = typeof part.file_data === 'string' ? part.file_data : part.file_url;
  if (typeof source !== 'string')
    throw new InvalidInputError(`${field}.file_data`, 'send file_data (a data: URL) or file_url');
  return filePart(
    source,
    'application/octet-stream',
    `${field}.file_data`,
    typeof part.filename === 'string' ? part.filename : undefined,
  );
}

const DATA_URL = /^data:([^;,]+)?(;base64)?,(.*)$/s;

function filePart(
  source: string,
  fallbackType: string,
  field: string,
  filename: string | undefined,
): LanguageModelV3FilePart {
  const data = DATA_URL.exec(source);
  if (data !== null) {
    if (data[2] === undefined)
      throw new InvalidInputError(field, 'a data: URL must be base64 (data:<type>;base64,…)');
    return {
      type: 'file',
      mediaType: data[1] ?? fallbackType,
      data: data[3] ?? '',
      ...(filename ? { filename } : {}),
    };
  }
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new InvalidInputError(field, 'must be an http(s) URL or a data: URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidInputError(field, 'must be an http(s) URL or a data: URL');
  }
  return { type: 'file', mediaType: fallbackType, data: url, ...(filename ? { filename } : {}) };
}

function parseArguments(text: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidInputError(field, 'must be JSON text');
  }
}

/** The text of the last user message: what a handler variant reads as `input`. */
export function lastUserText(messages: readonly LanguageModelV3Message[]): string | undefined {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role !== 'user') continue;
    return message.content
      .filter((part): part is LanguageModelV3TextPart => part.type === 'text')
      .map((part) => part.text)
      .join('\n');
  }
  return undefined;
}
