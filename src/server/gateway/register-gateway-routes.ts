import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { FeatureNotFoundError } from '../../core/errors.js';
import type { Switchyard } from '../../runtime/client/switchyard-client.js';
import {
  answerChatCompletion,
  type ChatGateway,
  failureRequestId,
  goneSignal,
} from './answer-chat-completion.js';
import type { ModelRoutes } from './gateway-caller.js';
import { GatewayCors } from './gateway-cors.js';
import { invalidBody } from './invalid-body.js';
import { toOpenAIError } from './openai-error.js';
import type { ProviderType } from './provider-fields.js';
import { answerResponses } from './responses/answer-responses.js';
import { ResponseStore } from './responses/response-store.js';
import { CHAT_BODY_LIMIT, CHAT_COMPLETIONS_PATH } from './serve-chat-completions.js';

/** Options of the OpenAI-compatible gateway. */
export interface GatewayOptions {
  /** The runtime client every request runs through. */
  readonly runtime: Switchyard;
  /** Runs before each gateway request is read; throw (an error with a 401 / 403 `statusCode`) to refuse it. */
  readonly authorize?: (request: FastifyRequest) => Promise<void> | void;
  /** Epoch-ms clock for `created` fields; default `Date.now`. */
  readonly clock?: () => number;
  /**
   * Origins browsers may call the gateway from (`https://app.example.com`, or `*` for any); none by
   * default. Their preflights are answered without a token; other origins' preflights get 403.
   */
  readonly corsOrigins?: readonly string[];
  /** Each provider's kind by name, for fields only some providers take; by default inferred from the name. */
  readonly providerTypes?: Readonly<Record<string, ProviderType>>;
  /** Raw model names served by a feature (`{ "gpt-4o-mini": "coach-reply" }`, `*` for any other name). */
  readonly routes?: ModelRoutes;
}

const MODEL_PREFIX = 'switchyard/';

const feedbackSchema = z.strictObject({
  requestId: z.string().min(1).max(200),
  accepted: z.boolean().optional(),
  rating: z.number().optional(),
  metric: z.string().optional(),
  value: z.number().optional(),
  selectedVariant: z.string().optional(),
  feature: z.string().optional(),
});

/**
 * Registers the OpenAI-compatible gateway in its own Fastify context, with OpenAI-style error bodies:
 * `POST /v1/chat/completions` (features as models `switchyard/<feature>`, streaming included),
 * `GET /v1/models` and `GET /v1/models/<id>`, and `POST /v1/feedback` (202). Register it without a
 * prefix: the routes carry their `/v1` paths.
 *
 * @example
 * const app = fastify();
 * registerGatewayRoutes(app, { runtime: await createSwitchyard({ store: 'sqlite:./switchyard.db' }) });
 * await app.listen({ host: '127.0.0.1', port: 4280 });
 * // new OpenAI({ baseURL: 'http://127.0.0.1:4280/v1' }).chat.completions.create({ model: 'switchyard/coach-reply', … })
 */
export function registerGatewayRoutes(app: FastifyInstance, options: GatewayOptions): void {
  const { runtime, authorize } = options;
  const clock = options.clock ?? Date.now;
  const listedAt = Math.floor(clock() / 1_000);
  const onRequest = authorize ? [authorizeHook(authorize)] : [];
  const cors = new GatewayCors(options.corsOrigins);
  const chatGateway: ChatGateway = {
    runtime,
    clock,
    ...(options.providerTypes === undefined ? {} : { providerTypes: options.providerTypes }),
    ...(options.routes === undefined ? {} : { routes: options.routes }),
  };
  const responses = new ResponseStore();
  const model = (key: string) => ({
    id: `${MODEL_PREFIX}${key}`,
    object: 'model',
    created: listedAt,
    owned_by: 'switchyard',
  });

  app.register(async (gateway) => {
    gateway.setErrorHandler((error, request, reply) => {
      const answer = toOpenAIError(error);
      if (!answer.expected) request.log.error({ err: error }, 'gateway request failed');
      answer.headers['x-request-id'] = failureRequestId(error);
      return reply.code(answer.status).headers(answer.headers).send(answer.body);
    });
    // Every answer names its request; a browser origin on the allow-list may read it.
    gateway.addHook('onSend', async (request, reply) => {
      if (!reply.hasHeader('x-request-id')) reply.header('x-request-id', randomUUID());
      const headers = cors.answerHeaders(request.headers.origin);
      if (headers !== undefined) reply.headers(headers);
    });

    // A browser's preflight carries no token: it is answered from the allow-list alone.
    gateway.options('/v1/*', { config: { public: true } }, async (request, reply) => {
      const origin = request.headers.origin;
      if (!cors.allows(origin)) {
        throw Object.assign(
          new Error(
            origin === undefined
              ? 'a preflight names its Origin'
              : `origin ${origin} may not call the gateway: list it in the server's cors.origins`,
          ),
          { statusCode: 403 },
        );
      }
      return reply
        .code(204)
        .headers(cors.preflightHeaders(origin, request.headers['access-control-request-headers']))
        .send();
    });

    // Servers made by createServer answer this route from node:http first (serveChatCompletions); this
    // one serves `inject`, apps that register the gateway themselves, and requests while the server closes.
    gateway.post(CHAT_COMPLETIONS_PATH, { onRequest, bodyLimit: CHAT_BODY_LIMIT }, async (request, reply) => {
      const answer = await answerChatCompletion(
        chatGateway,
        request.body,
        request.headers,
        goneSignal(reply.raw),
      );
      reply.headers(answer.headers);
      return reply.send(typeof answer.body === 'string' ? answer.body : Readable.from(answer.body));
    });

    gateway.post('/v1/responses', { onRequest, bodyLimit: CHAT_BODY_LIMIT }, async (request, reply) => {
      const answer = await answerResponses(
        runtime,
        clock,
        responses,
        request.principal?.tokenId ?? 'anonymous',
        request.body,
        request.headers,
        goneSignal(reply.raw),
      );
      reply.headers(answer.headers);
      return reply.send(typeof answer.body === 'string' ? answer.body : Readable.from(answer.body));
    });

    gateway.get('/v1/models', { onRequest }, async () => ({
      object: 'list',
      data: runtime.features().sort().map(model),
    }));

    gateway.get('/v1/models/*', { onRequest }, async (request) => {
      const id = (request.params as { '*': string })['*'];
      const key = id.startsWith(MODEL_PREFIX) ? id.slice(MODEL_PREFIX.length) : undefined;
      if (key === undefined || !runtime.features().includes(key)) throw new FeatureNotFoundError(key ?? id);
      return model(key);
    });

    gateway.post('/v1/feedback', { onRequest }, async (request, reply) => {
      const parsed = feedbackSchema.safeParse(request.body);
      if (!parsed.success) throw invalidBody(parsed.error);
      const { requestId, ...feedback } = parsed.data;
      // A completion id (`chatcmpl-<requestId>`) or response id (`resp_<requestId>`) names the same request.
      runtime.feedback(requestId.replace(/^(?:chatcmpl-|resp_)/, ''), feedback);
      return reply.code(202).send({ ok: true });
    });
  });
}

/** Wraps `authorize` as an onRequest hook, keeping its own properties (a permission tag stays readable). */
function authorizeHook(authorize: NonNullable<GatewayOptions['authorize']>) {
  const hook = async (request: FastifyRequest): Promise<void> => {
    await authorize(request);
  };
  return Object.assign(hook, authorize);
}
