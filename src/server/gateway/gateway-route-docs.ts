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
      '`x-switchyard-request-id`, `-variant`, `-reason`, `-cache` and `-fallback` headers. Refusals are ' +
      'OpenAI-style errors: 429 rate limited, 402 over budget, 400 bad input, 404 unknown feature, 502 all variants failed.',
    headers: gatewayHeaders,
    body: chatCompletionBody,
    errors: [400, 402, 404, 429, 502],
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
