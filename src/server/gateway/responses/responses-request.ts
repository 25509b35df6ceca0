import type { JSONSchema7, LanguageModelV3Message } from '@ai-sdk/provider';
import { z } from 'zod';
import { InvalidInputError } from '../../../core/errors.js';
import type { ModelParameters } from '../../../runtime/client/stream-types.js';
import type {
  ModelTool,
  ModelToolChoice,
  ProviderOptions,
  ResponseFormat,
} from '../../../runtime/model-call/model-request.js';
import { type GatewayCaller, gatewayCaller, type RequestHeaders } from '../gateway-caller.js';
import { invalidBody } from '../invalid-body.js';
import type { ResponseItem, StoredResponse } from './response-store.js';
import { itemSchema, lastUserText, toMessages } from './responses-items.js';

const functionToolSchema = z.looseObject({
  type: z.literal('function', {
    error:
      'only function tools are supported: built-in tools (web_search, file_search, computer_use …) run inside OpenAI',
  }),
  name: z.string().min(1).max(64),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

const formatSchema = z.discriminatedUnion(
  'type',
  [
    z.looseObject({ type: z.literal('text') }),
    z.looseObject({ type: z.literal('json_object') }),
    z.looseObject({
      type: z.literal('json_schema'),
      name: z.string().min(1).max(64),
      schema: z.record(z.string(), z.unknown()),
      description: z.string().nullish(),
      strict: z.boolean().nullish(),
    }),
  ],
  { error: 'must be text, json_object or json_schema' },
);

const refused = (why: string) => z.never({ error: why }).optional();

/**
 * The Responses API body the gateway serves, compiled once. Every field OpenAI documents is either used or
 * refused here by name; unknown fields are ignored as OpenAI's own clients add new ones over time.
 */
const responsesBodySchema = z.looseObject({
  model: z.string().min(1).max(200).optional(),
  input: z.union([z.string(), z.array(itemSchema)], { error: 'must be a string or a list of input items' }),
  instructions: z.string().nullish(),
  tools: z.array(functionToolSchema).nullish(),
  tool_choice: z
    .union([
      z.enum(['auto', 'none', 'required']),
      z.looseObject({ type: z.literal('function'), name: z.string().min(1) }),
    ])
    .nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z
    .looseObject({ format: formatSchema.nullish(), verbosity: z.enum(['low', 'medium', 'high']).nullish() })
    .nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_output_tokens: z.int().min(1).nullish(),
  reasoning: z
    .looseObject({
      effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullish(),
      summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
    })
    .nullish(),
  metadata: z.record(z.string().max(64), z.string().max(512)).nullish(),
  user: z.string().max(256).nullish(),
  safety_identifier: z.string().max(256).nullish(),
  prompt_cache_key: z.string().max(256).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_obfuscation: z.boolean().nullish() }).nullish(),
  store: z.boolean().nullish(),
  previous_response_id: z.string().min(1).nullish(),
  truncation: z
    .enum(['disabled'], { error: 'only "disabled" is supported: the gateway never drops input' })
    .nullish(),
  service_tier: z
    .enum(['auto', 'default'], { error: 'only "auto" or "default" (the variant picks its provider)' })
    .nullish(),
  include: z.array(z.string()).max(0, 'no extra output data is available from the gateway').nullish(),
  background: z
    .literal(false, 'background responses are not supported: the gateway answers at once')
    .nullish(),
  conversation: refused(
    'conversations need OpenAI conversation storage: send the items, or previous_response_id',
  ),
  prompt: refused('stored prompt templates live in OpenAI: send instructions and input'),
  top_logprobs: refused('log probabilities are not available through the gateway'),
  max_tool_calls: refused('built-in tool calls are not supported, so there is nothing to cap'),
});

/** A Responses API request turned into what a run needs, with what the answer echoes. */
export interface ResponsesRequest extends GatewayCaller {
  readonly messages: LanguageModelV3Message[];
  /** The last user text: what a handler variant reads as `input`. */
  readonly input: string | undefined;
  readonly tools: ModelTool[] | undefined;
  readonly toolChoice: ModelToolChoice | undefined;
  readonly responseFormat: ResponseFormat | undefined;
  readonly providerOptions: ProviderOptions | undefined;
  readonly parameters: ModelParameters;
  readonly stream: boolean;
  /** Whether to keep the response for `previous_response_id` and `item_reference` (OpenAI's default: yes). */
  readonly store: boolean;
  /** The request's own input items (resolved), stored with the response for a later `previous_response_id`. */
  readonly inputItems: ResponseItem[];
  /** Fields the response object echoes back. */
  readonly echo: ResponsesEcho;
}

/** What a response object repeats of its request. */
export interface ResponsesEcho {
  readonly instructions: string | null;
  readonly previousResponseId: string | null;
  readonly metadata: Record<string, string>;
  readonly temperature: number | null;
  readonly topP: number | null;
  readonly maxOutputTokens: number | null;
  readonly parallelToolCalls: boolean;
  readonly toolChoice: unknown;
  readonly tools: unknown[];
  readonly text: { format: unknown };
  readonly user: string | null;
}

/** Finds stored responses and items for the caller (see `ResponseStore`). */
export interface StoredLookup {
  response(id: string): StoredResponse | undefined;
  item(id: string): ResponseItem | undefined;
}

/**
 * Reads a Responses API request: feature and unit as every gateway API (`gatewayCaller`), the input as
 * the spec's typed messages (text, images and files, function calls and their outputs, reasoning), with
 * `previous_response_id` and `item_reference` resolved from the caller's stored responses. Throws
 * InvalidInputError naming the field at fault.
 */
export function parseResponsesRequest(
  body: unknown,
  headers: RequestHeaders,
  stored: StoredLookup,
): ResponsesRequest {
  const parsed = responsesBodySchema.safeParse(body);
  if (!parsed.success) throw invalidBody(parsed.error);
  const request = parsed.data;
  const caller = gatewayCaller(
    request.model,
    request.user ?? request.safety_identifier ?? undefined,
    headers,
  );

  const inputItems: ResponseItem[] = [];
  const raw =
    typeof request.input === 'string' ? [{ role: 'user' as const, content: request.input }] : request.input;
  raw.forEach((item, index) => {
    if ('type' in item && item.type === 'item_reference') {
      const found = stored.item(item.id);
      if (found === undefined) {
        throw new InvalidInputError(
          `input[${index}].id`,
          `no stored item ${item.id} (items are kept 1 hour, per token)`,
        );
      }
      inputItems.push(found);
    } else {
      inputItems.push(item as ResponseItem);
    }
  });
  let history: ResponseItem[] = [];
  const previous = request.previous_response_id ?? undefined;
  if (previous !== undefined) {
    const response = stored.response(previous);
    if (response === undefined) {
      throw new InvalidInputError(
        'previous_response_id',
        `no stored response ${previous} (responses are kept 1 hour, per token, unless sent with store: false)`,
      );
    }
    history = [...response.input, ...response.output];
  }
  const messages = toMessages([...history, ...inputItems]);
  if (request.instructions) messages.unshift({ role: 'system', content: request.instructions });
  if (messages.every((message) => message.role === 'system')) {
    throw new InvalidInputError('input', 'must hold at least one message or item besides instructions');
  }

  const tools = request.tools?.map(
    (tool): ModelTool => ({
      type: 'function',
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      inputSchema: (tool.parameters ?? { type: 'object', properties: {} }) as JSONSchema7,
      ...(tool.strict === true ? { strict: true } : {}),
    }),
  );
  const choice = request.tool_choice ?? undefined;
  const toolChoice: ModelToolChoice | undefined =
    choice === undefined
      ? undefined
      : typeof choice === 'string'
        ? { type: choice }
        : { type: 'tool', toolName: choice.name };
  if (toolChoice?.type === 'tool' && !tools?.some((tool) => tool.name === toolChoice.toolName)) {
    throw new InvalidInputError('tool_choice.name', `names no function in tools: ${toolChoice.toolName}`);
  }

  const format = request.text?.format ?? undefined;
  const responseFormat: ResponseFormat | undefined =
    format === undefined || format.type === 'text'
      ? undefined
      : format.type === 'json_object'
        ? { type: 'json' }
        : {
            type: 'json',
            schema: format.schema as JSONSchema7,
            name: format.name,
            ...(format.description ? { description: format.description } : {}),
          };

  // OpenAI's own settings with no place in the spec travel as the openai provider's options; the other
  // providers have no such setting (a variant on them answers without it, as documented).
  const openai: Record<string, string | boolean> = {};
  if (request.reasoning?.effort) openai.reasoningEffort = request.reasoning.effort;
  if (request.reasoning?.summary) openai.reasoningSummary = request.reasoning.summary;
  if (request.text?.verbosity) openai.textVerbosity = request.text.verbosity;
  if (request.parallel_tool_calls === false) openai.parallelToolCalls = false;
  if (request.prompt_cache_key) openai.promptCacheKey = request.prompt_cache_key;

  const parameters: { temperature?: number; topP?: number; maxOutputTokens?: number } = {};
  if (request.temperature != null) parameters.temperature = request.temperature;
  if (request.top_p != null) parameters.topP = request.top_p;
  if (request.max_output_tokens != null) parameters.maxOutputTokens = request.max_output_tokens;

  return {
    ...caller,
    messages,
    input: lastUserText(messages),
    tools,
    toolChoice,
    responseFormat,
    providerOptions: Object.keys(openai).length === 0 ? undefined : { openai },
    parameters,
    stream: request.stream === true,
    store: request.store !== false,
    inputItems,
    echo: {
      instructions: request.instructions ?? null,
      previousResponseId: previous ?? null,
      metadata: request.metadata ?? {},
      temperature: request.temperature ?? null,
      topP: request.top_p ?? null,
      maxOutputTokens: request.max_output_tokens ?? null,
      parallelToolCalls: request.parallel_tool_calls ?? true,
      toolChoice: request.tool_choice ?? 'auto',
      tools: request.tools ?? [],
      text: { format: format ?? { type: 'text' } },
      user: request.user ?? null,
    },
  };
}
