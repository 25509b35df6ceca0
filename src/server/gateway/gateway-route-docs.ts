import { z } from 'zod';
import { describeRoute, type RouteDocs } from '../openapi/route-docs.js';

const chatMessage = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() });

/** The request body of `POST /v1/chat/completions`, as documented (the route validates it in full). */
const chatCompletionBody = z.object({
  model: z.string().describe('`switchyard/<feature>`, or any name when `x-switchyard-feature` is set'),
  messages: z.array(chatMessage),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).optional(),
  user: z.string().optional().describe('the unit (user id) when `x-switchyard-user` is absent'),
  temperature: z.number().optional(),
  max_tokens: z.number().int().optional(),
});

const feedbackBody = z.object({
  requestId: z.string().describe('`x-switchyard-request-id`, or the completion id `chatcmpl-<requestId>`'),
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
      'Runs the whole pipeline; the variant decides model, parameters and system prompt. Answers carry ' +
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
