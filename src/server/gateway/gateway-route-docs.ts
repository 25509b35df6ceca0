import { z } from 'zod';
import { describeRoute, type RouteDocs } from '../openapi/route-docs.js';

const chatMessage = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z
    .union([
      z.string(),
      z.array(z.object({ type: z.enum(['text', 'refusal', 'image_url', 'input_audio', 'file']) })),
    ])
    .nullable()
    .optional(),
  tool_calls: z
    .array(
      z.object({
        id: z.string(),
        type: z.literal('function'),
        function: z.object({ name: z.string(), arguments: z.string() }),
      }),
    )
    .optional(),
  tool_call_id: z.string().optional().describe('on a `tool` message: the call it answers'),
});

/** The request body of `POST /v1/chat/completions`, as documented (the route validates it in full). */
const chatCompletionBody = z.object({
  model: z.string().describe('`switchyard/<feature>`, or any name when `x-switchyard-feature` is set'),
  messages: z.array(chatMessage),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).optional(),
  user: z.string().optional().describe('the unit (user id) when `x-switchyard-user` is absent'),
  temperature: z.number().optional(),
  top_p: z.number().optional(),
  seed: z.number().int().optional(),
  stop: z.union([z.string(), z.array(z.string())]).optional(),
  presence_penalty: z.number().optional(),
  frequency_penalty: z.number().optional(),
  max_tokens: z.number().int().optional(),
  max_completion_tokens: z.number().int().optional(),
  tools: z
    .array(
      z.object({
        type: z.literal('function'),
        function: z.object({
          name: z.string(),
          description: z.string().optional(),
          parameters: z.record(z.string(), z.unknown()).optional(),
          strict: z.boolean().optional(),
        }),
      }),
    )
    .optional(),
  tool_choice: z
    .union([
      z.enum(['none', 'auto', 'required']),
      z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
    ])
    .optional(),
  parallel_tool_calls: z.boolean().optional().describe('translated per provider, or refused naming it'),
  response_format: z
    .object({
      type: z.enum(['text', 'json_object', 'json_schema']),
      json_schema: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  reasoning_effort: z.string().optional().describe('translated per provider, or refused naming it'),
  logit_bias: z
    .record(z.string(), z.number())
    .optional()
    .describe('translated per provider, or refused naming it'),
  n: z.literal(1).optional().describe('only 1: a variant answers one choice'),
});

/** The request body of `POST /v1/responses`, as documented (the route validates it in full). */
const responsesBody = z.object({
  model: z.string().describe('`switchyard/<feature>`, or any name when `x-switchyard-feature` is set'),
  input: z
    .union([z.string(), z.array(z.record(z.string(), z.unknown()))])
    .describe(
      'text, or items: messages (input_text, input_image, input_file, output_text parts), function_call, ' +
        'function_call_output, reasoning, item_reference (to an output item of a stored response)',
    ),
  instructions: z.string().optional().describe('a system message before the input'),
  tools: z.array(z.record(z.string(), z.unknown())).optional().describe('function tools only'),
  tool_choice: z.unknown().optional().describe('`auto`, `none`, `required` or `{type: "function", name}`'),
  text: z
    .object({ format: z.record(z.string(), z.unknown()).optional() })
    .optional()
    .describe('`format`: text, json_object or json_schema (the reply is checked against the schema)'),
  temperature: z.number().optional(),
  top_p: z.number().optional(),
  max_output_tokens: z.number().int().optional(),
  reasoning: z.object({ effort: z.string().optional(), summary: z.string().optional() }).optional(),
  stream: z.boolean().optional(),
  store: z
    .boolean()
    .optional()
    .describe(
      'default true: the response is kept 1 hour for this token (previous_response_id, item_reference)',
    ),
  previous_response_id: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional().describe('echoed in the response'),
  user: z.string().optional().describe('the unit (user id) when `x-switchyard-user` is absent'),
});

const feedbackBody = z.object({
  requestId: z
    .string()
    .describe('`x-switchyard-request-id`, or the id `chatcmpl-<requestId>` or `resp_<requestId>`'),
  accepted: z.boolean().optional(),
  selectedVariant: z.string().optional(),
  rating: z.number().optional(),
  metric: z.string().optional(),
  value: z.number().optional(),
});

const gatewayHeaders = {
  'api-key': 'the sdk token, as Azure-style clients send it (instead of `Authorization: Bearer`)',
  'x-api-key': 'the sdk token, as Anthropic clients send it (instead of `Authorization: Bearer`)',
  'x-switchyard-feature': 'the feature to run (overrides `model`)',
  'x-switchyard-user': 'the unit id (overrides the body `user`)',
  'x-switchyard-attributes': 'JSON object of targeting attributes',
};

/** Adds the gateway's routes to the server's OpenAPI document. */
export function describeGatewayRoutes(context: { readonly routeDocs: RouteDocs }): void {
  describeRoute(context, {
    method: 'POST',
    url: '/v1/chat/completions',
    tag: 'gateway',
    permission: 'gateway',
    summary: 'OpenAI-compatible chat completion through a feature (plain or streamed)',
    description:
      'Runs the whole pipeline; the variant decides provider and model, its own settings win over the ' +
      "request's, and its system prompt goes first (the feature's `system: prepend | replace` says whether " +
      "the caller's system messages follow or are left out). Every field is forwarded, translated per " +
      'provider or refused with a 400 naming it (`n` > 1, `logprobs`, `metadata`, `store: true`, unknown ' +
      'fields). Answers carry the real `finish_reason`, `tool_calls` (streamed as `delta.tool_calls`) and ' +
      'usage details, and ' +
      '`x-request-id`, `x-switchyard-request-id`, `-variant`, `-reason`, `-cache` and `-fallback` headers. ' +
      "Refusals are OpenAI's errors with OpenAI's codes: 400 `invalid_request_error`, 401 `invalid_api_key`, " +
      "404 `model_not_found`, 429 `rate_limit_exceeded` (a rate limit, or the provider's 429 with its " +
      'Retry-After), 429 `insufficient_quota` over budget, 502 `all_variants_failed`; `x-should-retry: false` ' +
      'on failures a retry cannot cure.',
    headers: gatewayHeaders,
    body: chatCompletionBody,
    errors: [400, 401, 404, 429, 502],
  });
  describeRoute(context, {
    method: 'POST',
    url: '/v1/responses',
    tag: 'gateway',
    permission: 'gateway',
    summary: "OpenAI's Responses API through a feature (plain or streamed)",
    description:
      'Stateless use of the Responses API: input text or items, instructions, function tools, text.format ' +
      "(json_schema), sampling settings; streamed with OpenAI's event types (`response.created`, " +
      '`response.output_item.added`, `response.output_text.delta`, `response.function_call_arguments.delta`, ' +
      '`response.completed` …). Output items: `message` (output_text), `function_call`, `reasoning`. Unless ' +
      "`store: false`, the response is kept in the server's memory for 1 hour, per token, for " +
      '`previous_response_id` and `item_reference` (a restarted or other server answers 400 naming the id). ' +
      'Refused by name with a 400: built-in tools, `conversation`, `prompt`, `background: true`, ' +
      '`top_logprobs`, `max_tool_calls`, `include`, `truncation: auto`, file ids. Errors as on chat completions.',
    headers: gatewayHeaders,
    body: responsesBody,
    errors: [400, 401, 404, 429, 502],
  });
  describeRoute(context, {
    method: 'OPTIONS',
    url: '/v1/*',
    tag: 'gateway',
    permission: 'public',
    summary: "A browser's CORS preflight, answered without a token for the origins in `cors.origins`",
    description: 'None are allowed by default; a preflight from an origin not on the list gets 403.',
    response: { status: 204 },
    errors: [403],
  });
  describeRoute(context, {
    method: 'GET',
    url: '/v1/models',
    tag: 'gateway',
    permission: 'gateway',
    summary: 'The features, as models named `switchyard/<feature>`',
  });
  describeRoute(context, {
    method: 'GET',
    url: '/v1/models/*',
    tag: 'gateway',
    permission: 'gateway',
    summary: 'One feature as a model',
    errors: [404],
  });
  describeRoute(context, {
    method: 'POST',
    url: '/v1/feedback',
    tag: 'gateway',
    permission: 'gateway',
    summary: 'Feedback on a gateway answer, joined by request id',
    body: feedbackBody,
    response: { status: 202 },
    errors: [400],
  });
}
