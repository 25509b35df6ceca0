import { z } from 'zod';
import type { Attributes } from '../../core/decision.js';
import type { ChatMessage } from '../../runtime/client/run-types.js';
import type { ModelParameters } from '../../runtime/client/stream-types.js';
import { gatewayCaller } from './gateway-caller.js';
import { invalidBody } from './invalid-body.js';

const textPartSchema = z.looseObject({ type: z.literal('text'), text: z.string() });

const messageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant'], {
    error: 'must be "system", "developer", "user" or "assistant" (tool messages are not supported)',
  }),
  content: z.union([z.string(), z.array(textPartSchema)], {
    error: 'must be a string or a list of text parts',
  }),
});

/**
 * The chat-completions body the gateway accepts, compiled once. Unknown fields are ignored (clients send
 * many); fields that would change the answer in a way the gateway cannot honour are refused.
 */
const chatBodySchema = z.looseObject({
  model: z.string().min(1).max(200).optional(),
  messages: z.array(messageSchema).min(1, 'must hold at least one message'),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  max_tokens: z.int().min(1).nullish(),
  max_completion_tokens: z.int().min(1).nullish(),
  user: z.string().max(256).nullish(),
  n: z.literal(1, 'only 1 choice is supported').nullish(),
  response_format: z.looseObject({ type: z.enum(['text', 'json_object', 'json_schema']) }).nullish(),
  tools: z.array(z.unknown()).max(0, 'tool calls are not supported by the gateway').nullish(),
});

/** A chat-completions request turned into what a run needs. */
export interface ChatRequest {
  readonly feature: string;
  readonly attributes: Attributes;
  readonly messages: readonly ChatMessage[];
  /** The last user message's text: what a handler variant reads as `input`. */
  readonly input: string | undefined;
  readonly parameters: ModelParameters;
  readonly stream: boolean;
  readonly includeUsage: boolean;
}

/**
 * Reads a chat-completions request: the feature from the `x-switchyard-feature` header or from
 * `model: "switchyard/<feature>"` (the header wins), the unit (`userId`) from `x-switchyard-user` or the
 * body's `user`, other attributes from `x-switchyard-attributes` (a JSON object), and the messages and
 * sampling settings from the body. Throws InvalidInputError naming the field or header at fault.
 *
 * @example
 * parseChatRequest({ model: 'switchyard/coach-reply', messages: [{ role: 'user', content: 'Hi' }] }, {});
 * // { feature: 'coach-reply', messages: [...], input: 'Hi', stream: false, ... }
 */
export function parseChatRequest(
  body: unknown,
  headers: Readonly<Record<string, string | string[] | undefined>>,
): ChatRequest {
  const parsed = chatBodySchema.safeParse(body);
  if (!parsed.success) throw invalidBody(parsed.error);
  const request = parsed.data;
  const { feature, attributes } = gatewayCaller(request.model, request.user ?? undefined, headers);

  const messages = request.messages.map(
    (message): ChatMessage => ({
      role: message.role === 'developer' ? 'system' : message.role,
      content:
        typeof message.content === 'string'
          ? message.content
          : message.content.map((part) => part.text).join('\n'),
    }),
  );
  let input: string | undefined;
  for (let index = messages.length - 1; index >= 0 && input === undefined; index--) {
    if (messages[index]?.role === 'user') input = messages[index]?.content;
  }
  const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  const temperature = request.temperature ?? undefined;
  const parameters: { temperature?: number; maxTokens?: number } = {};
  if (temperature !== undefined) parameters.temperature = temperature;
  if (maxTokens !== undefined) parameters.maxTokens = maxTokens;
  return {
    feature,
    attributes,
    messages,
    input,
    parameters,
    stream: request.stream === true,
    includeUsage: request.stream_options?.include_usage === true,
  };
}
