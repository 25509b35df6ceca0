import type { JSONSchema7 } from '@ai-sdk/provider';
import { z } from 'zod';
import type { Attributes } from '../../core/decision.js';
import { InvalidInputError } from '../../core/errors.js';
import type {
  ModelTool,
  ModelToolChoice,
  ResponseFormat,
  RunMessage,
} from '../../runtime/client/run-types.js';
import type { ModelParameters } from '../../runtime/client/stream-types.js';
import { type ApiMessage, toRunConversation } from './chat-messages.js';
import { gatewayCaller, type ModelRoutes } from './gateway-caller.js';
import { invalidBody } from './invalid-body.js';
import type { ProviderFields } from './provider-fields.js';

const jsonObject = z.record(z.string(), z.unknown());

const partSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('text'), text: z.string() }),
    z.strictObject({ type: z.literal('refusal'), refusal: z.string() }),
    z.strictObject({
      type: z.literal('image_url'),
      image_url: z.strictObject({
        url: z.string().min(1),
        detail: z.enum(['auto', 'low', 'high']).nullish(),
      }),
    }),
    z.strictObject({
      type: z.literal('input_audio'),
      input_audio: z.strictObject({ data: z.string().min(1), format: z.string() }),
    }),
    z.strictObject({
      type: z.literal('file'),
      file: z.strictObject({
        file_data: z.string().nullish(),
        file_id: z.string().nullish(),
        filename: z.string().nullish(),
      }),
    }),
  ],
  { error: 'must be a text, image_url, input_audio or file part' },
);

const functionCallSchema = z.strictObject({ name: z.string().min(1).max(256), arguments: z.string() });

const messageSchema = z.strictObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function'], {
    error: 'must be "system", "developer", "user", "assistant", "tool" or "function"',
  }),
  content: z
    .union([z.string(), z.array(partSchema)], { error: 'must be a string or a list of parts' })
    .nullish(),
  name: z.string().max(256).nullish(),
  tool_calls: z
    .array(
      z.strictObject({ id: z.string().min(1), type: z.literal('function'), function: functionCallSchema }),
    )
    .nullish(),
  function_call: functionCallSchema.nullish(),
  tool_call_id: z.string().nullish(),
  refusal: z.string().nullish(),
  // An assistant's earlier audio answer, by id: the gateway has no audio to refer to.
  audio: z.null({ error: 'audio answers are not supported by the gateway' }).nullish(),
});

const functionSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -'),
  description: z.string().nullish(),
  parameters: jsonObject.nullish(),
  strict: z.boolean().nullish(),
});

const toolSchema = z.strictObject({
  type: z.literal('function', { error: 'must be "function" (custom tools are not supported)' }),
  function: functionSchema,
});

const toolChoiceSchema = z.union(
  [
    z.enum(['none', 'auto', 'required']),
    z.strictObject({ type: z.literal('function'), function: z.strictObject({ name: z.string().min(1) }) }),
  ],
  { error: 'must be "none", "auto", "required" or { type: "function", function: { name } }' },
);

const responseFormatSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('text') }),
    z.strictObject({ type: z.literal('json_object') }),
    z.strictObject({
      type: z.literal('json_schema'),
      json_schema: z.strictObject({
        name: z.string().min(1).max(64),
        description: z.string().nullish(),
        schema: jsonObject.nullish(),
        strict: z.boolean().nullish(),
      }),
    }),
  ],
  { error: 'must be { type: "text" }, { type: "json_object" } or { type: "json_schema", json_schema }' },
);

const unsupported = (why: string) => z.undefined({ error: why }).nullish();

/**
 * The chat-completions body, compiled once. Every field OpenAI documents is here: forwarded (sampling,
 * tools, response format), translated (provider-specific fields, `user` as the unit, `functions` as
 * tools), or refused with a reason; an unknown field is refused by name rather than dropped.
 */
const chatBodySchema = z.strictObject({
  model: z.string().min(1).max(200).optional(),
  messages: z.array(messageSchema).min(1, 'must hold at least one message'),
  stream: z.boolean().nullish(),
  stream_options: z
    .strictObject({ include_usage: z.boolean().nullish(), include_obfuscation: z.boolean().nullish() })
    .nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  seed: z.int().nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  max_tokens: z.int().min(1).nullish(),
  max_completion_tokens: z.int().min(1).nullish(),
  user: z.string().max(256).nullish(),
  n: z.literal(1, 'must be 1: the gateway answers one choice per request').nullish(),
  response_format: responseFormatSchema.nullish(),
  tools: z.array(toolSchema).max(128).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  functions: z.array(functionSchema).max(128).nullish(),
  function_call: z
    .union([z.enum(['none', 'auto']), z.strictObject({ name: z.string().min(1) })], {
      error: 'must be "none", "auto" or { name }',
    })
    .nullish(),
  reasoning_effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullish(),
  logit_bias: z
    .record(z.string().regex(/^\d+$/, 'must be a token id'), z.number().min(-100).max(100))
    .nullish(),
  service_tier: z.enum(['auto', 'default', 'flex', 'scale', 'priority']).nullish(),
  prompt_cache_key: z.string().max(1_024).nullish(),
  safety_identifier: z.string().max(256).nullish(),
  verbosity: z.enum(['low', 'medium', 'high']).nullish(),
  modalities: z.array(z.literal('text', 'only "text" output is supported by the gateway')).nullish(),
  store: z.literal(false, 'the gateway stores no completions: leave store unset or false').nullish(),
  logprobs: z.literal(false, 'the gateway does not return log probabilities').nullish(),
  top_logprobs: unsupported('the gateway does not return log probabilities'),
  metadata: unsupported('metadata is kept only with stored completions, which the gateway does not offer'),
  audio: unsupported('audio output is not supported by the gateway'),
  prediction: unsupported('predicted outputs are not supported by the gateway'),
  web_search_options: unsupported('web search is not supported by the gateway'),
});

type ChatBody = z.output<typeof chatBodySchema>;

/** A chat-completions request turned into what a run needs. */
export interface ChatRequest {
  readonly feature: string;
  readonly attributes: Attributes;
  readonly messages: readonly RunMessage[];
  /** The last user message's text: what a handler variant reads as `input`. */
  readonly input: string | undefined;
  readonly parameters: ModelParameters;
  readonly tools?: readonly ModelTool[];
  readonly toolChoice?: ModelToolChoice;
  readonly responseFormat?: ResponseFormat;
  /** Fields only some providers take, translated once the feature's providers are known. */
  readonly providerFields: ProviderFields;
  readonly stream: boolean;
  readonly includeUsage: boolean;
}

/**
 * Reads a chat-completions request: the feature from the `x-switchyard-feature` header or from
 * `model: "switchyard/<feature>"` (the header wins), the unit (`userId`) from `x-switchyard-user` or the
 * body's `user`, other attributes from `x-switchyard-attributes` (a JSON object), and the conversation,
 * tools, response format and sampling settings from the body. Throws InvalidInputError naming the field
 * or header at fault.
 *
 * @example
 * parseChatRequest({ model: 'switchyard/coach-reply', messages: [{ role: 'user', content: 'Hi' }] }, {});
 * // { feature: 'coach-reply', messages: [...], input: 'Hi', stream: false, ... }
 */
export function parseChatRequest(
  body: unknown,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  routes?: ModelRoutes,
): ChatRequest {
  const parsed = chatBodySchema.safeParse(body);
  if (!parsed.success) throw invalidBody(parsed.error);
  const request = parsed.data;
  const { feature, attributes } = gatewayCaller(request.model, request.user ?? undefined, headers, routes);

  const { messages, input } = toRunConversation(request.messages as readonly ApiMessage[]);
  const tools = toolsOf(request);
  const toolChoice = toolChoiceOf(request, tools);
  const responseFormat = responseFormatOf(request.response_format);
  const chat: {
    -readonly [K in keyof ChatRequest]: ChatRequest[K];
  } = {
    feature,
    attributes,
    messages,
    input,
    parameters: parametersOf(request),
    providerFields: providerFieldsOf(request),
    stream: request.stream === true,
    includeUsage: request.stream_options?.include_usage === true,
  };
  if (tools !== undefined) chat.tools = tools;
  if (toolChoice !== undefined) chat.toolChoice = toolChoice;
  if (responseFormat !== undefined) chat.responseFormat = responseFormat;
  return chat;
}

function parametersOf(request: ChatBody): ModelParameters {
  const parameters: { -readonly [K in keyof ModelParameters]: ModelParameters[K] } = {};
  const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  if (maxTokens !== undefined) parameters.maxTokens = maxTokens;
  if (request.temperature != null) parameters.temperature = request.temperature;
  if (request.top_p != null) parameters.topP = request.top_p;
  if (request.frequency_penalty != null) parameters.frequencyPenalty = request.frequency_penalty;
  if (request.presence_penalty != null) parameters.presencePenalty = request.presence_penalty;
  if (request.seed != null) parameters.seed = request.seed;
  if (request.stop != null) {
    const stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
    if (stop.length > 0) parameters.stopSequences = stop;
  }
  return parameters;
}

function providerFieldsOf(request: ChatBody): ProviderFields {
  const fields: Record<string, unknown> = {};
  for (const name of [
    'reasoning_effort',
    'parallel_tool_calls',
    'logit_bias',
    'service_tier',
    'prompt_cache_key',
    'safety_identifier',
    'verbosity',
  ] as const) {
    const value = request[name];
    if (value != null) fields[name] = value;
  }
  const strict =
    request.response_format?.type === 'json_schema' ? request.response_format.json_schema.strict : null;
  if (strict === false) fields.strict_json_schema = false;
  return fields as ProviderFields;
}

function toolsOf(request: ChatBody): ModelTool[] | undefined {
  if (request.tools != null && request.functions != null) {
    throw new InvalidInputError('functions', 'send tools or the older functions, not both');
  }
  const functions = request.tools?.map((tool) => tool.function) ?? request.functions ?? undefined;
  if (functions === undefined || functions.length === 0) return undefined;
  const seen = new Set<string>();
  return functions.map((fn, index): ModelTool => {
    if (seen.has(fn.name)) {
      throw new InvalidInputError(
        request.tools != null ? `tools[${index}].function.name` : `functions[${index}].name`,
        `"${fn.name}" is offered twice`,
      );
    }
    seen.add(fn.name);
    return {
      type: 'function',
      name: fn.name,
      ...(fn.description == null ? {} : { description: fn.description }),
      inputSchema: (fn.parameters ?? { type: 'object', properties: {} }) as JSONSchema7,
      ...(fn.strict == null ? {} : { strict: fn.strict }),
    } as ModelTool;
  });
}

function toolChoiceOf(
  request: ChatBody,
  tools: readonly ModelTool[] | undefined,
): ModelToolChoice | undefined {
  if (request.tool_choice != null && request.function_call != null) {
    throw new InvalidInputError('function_call', 'send tool_choice or the older function_call, not both');
  }
  const field = request.tool_choice != null ? 'tool_choice' : 'function_call';
  const choice = request.tool_choice ?? request.function_call ?? undefined;
  if (choice === undefined) return undefined;
  if (typeof choice === 'string') {
    if (choice !== 'none' && tools === undefined) {
      throw new InvalidInputError(field, `"${choice}" needs tools to choose from`);
    }
    return { type: choice };
  }
  const name = 'function' in choice ? choice.function.name : choice.name;
  if (!tools?.some((tool) => tool.name === name)) {
    throw new InvalidInputError(field, `names "${name}", which is not among the tools`);
  }
  return { type: 'tool', toolName: name };
}

function responseFormatOf(format: ChatBody['response_format']): ResponseFormat | undefined {
  if (format == null || format.type === 'text') return format == null ? undefined : { type: 'text' };
  if (format.type === 'json_object') return { type: 'json' };
  const { name, description, schema } = format.json_schema;
  return {
    type: 'json',
    name,
    ...(description == null ? {} : { description }),
    ...(schema == null ? {} : { schema: schema as JSONSchema7 }),
  };
}
