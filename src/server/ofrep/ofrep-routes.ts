import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { EvaluationContext } from '../../core/decision.js';
import type { FeatureConfig } from '../../core/feature-config.js';
import { STREAM_ACCESS_TTL_MS, signStreamAccess } from '../auth/stream-access.js';
import { defineRoute } from '../define-route.js';
import { matchesEtag } from '../http/matches-etag.js';
import { parseInput } from '../http/parse-input.js';
import type { ServerContext } from '../server-context.js';
import {
  isOfrepFailure,
  type OfrepFailure,
  type OfrepSuccess,
  statusOfFailure,
  toOfrepEvaluation,
} from './ofrep-evaluation.js';
import { openOfrepEventStream } from './ofrep-event-stream.js';
import {
  ofrepBulkQuerySchema,
  ofrepBulkSchema,
  ofrepEventsQuerySchema,
  ofrepFailureSchema,
  ofrepRequestSchema,
  ofrepSuccessSchema,
} from './ofrep-schemas.js';
import { parseOfrepRequest } from './parse-ofrep-request.js';
import { createTokenBucketLimiter, type RequestRate } from './token-bucket-limiter.js';

/** Where OFREP clients find Switchyard: their provider's base URL is the server's origin. */
export const OFREP_EVENTS_PATH = '/ofrep/v1/events';

/** Options of `registerOfrepRoutes`. */
export interface OfrepRouteOptions {
  /** Evaluation requests each token may make; unlimited when not set. */
  readonly rateLimit?: RequestRate | undefined;
}

/**
 * Registers OpenFeature's Remote Evaluation Protocol (OFREP 0.3): `POST /ofrep/v1/evaluate/flags/{key}`,
 * `POST /ofrep/v1/evaluate/flags` (bulk, ETag / If-None-Match) and the change notice stream its answer
 * points at, so any OpenFeature SDK with the OFREP provider evaluates Switchyard features. Every evaluation
 * is a `decideAsync()` of the server's client: exposures are recorded, stored experiment arms apply.
 */
export function registerOfrepRoutes(
  app: FastifyInstance,
  context: ServerContext,
  options: OfrepRouteOptions = {},
): void {
  const limiter =
    options.rateLimit === undefined ? undefined : createTokenBucketLimiter(options.rateLimit, context.clock);
  /** False (and the 429 sent) when the caller's token is over its rate. */
  const admitted = (request: FastifyRequest, reply: FastifyReply, key?: string): boolean => {
    if (limiter === undefined) return true;
    const waitMs = limiter.take(request.principal?.tokenId ?? '');
    if (waitMs === 0) return true;
    void reply
      .code(429)
      .header('retry-after', String(Math.max(1, Math.ceil(waitMs / 1_000))))
      .send({
        ...(key === undefined ? {} : { key }),
        errorCode: 'GENERAL',
        errorDetails: `rate limited: at most ${options.rateLimit?.requestsPerSecond} evaluations per second per token`,
      });
    return false;
  };

  const configOf = (key: string): FeatureConfig | undefined => {
    try {
      return context.switchyard.featureConfig(key);
    } catch {
      return undefined;
    }
  };
  const evaluate = async (key: string, evaluationContext: EvaluationContext) =>
    toOfrepEvaluation(await context.switchyard.decideAsync(key, evaluationContext), configOf(key));

  app.register(async (scope) => {
    // OFREP reports a body that is not JSON as PARSE_ERROR in its own format: the handlers parse it.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      done(null, body);
    });

    defineRoute(scope, context, {
      method: 'POST',
      url: '/ofrep/v1/evaluate/flags/:key',
      permission: 'decide',
      tag: 'ofrep',
      summary: 'Evaluate one flag (OpenFeature OFREP)',
      description:
        "OpenFeature's Remote Evaluation Protocol: the decision of `POST /api/decide` for `context` " +
        '(`targetingKey` is the unit, `userId` by default), as `{key, value, reason, variant, metadata}`. The ' +
        "value is the variant's payload, or the variant key when it has none. Reasons: TARGETING_MATCH, " +
        'SPLIT (sticky arms too), DEFAULT, STATIC (a feature without rules), DISABLED (killed or disabled); ' +
        "Switchyard's own reason, rule, bucket and version are in `metadata`. Errors are `{key, errorCode, " +
        'errorDetails}`: 404 FLAG_NOT_FOUND, 400 INVALID_CONTEXT or PARSE_ERROR, 429 with Retry-After. ' +
        'Takes `Authorization: Bearer <token>` or `X-API-Key: <token>`. Records the exposure.',
      params: z.object({ key: z.string().describe('the feature key') }),
      body: ofrepRequestSchema,
      response: { schema: ofrepSuccessSchema },
      errors: [400, 404, 429],
      errorSchema: ofrepFailureSchema,
      handler: async (request, reply) => {
        const { key } = request.params as { key: string };
        if (!admitted(request, reply, key)) return reply;
        const parsed = parseOfrepRequest(request.body as string | undefined);
        const evaluation: OfrepSuccess | OfrepFailure = parsed.ok
          ? await evaluate(key, parsed.context)
          : { key, errorCode: parsed.errorCode, errorDetails: parsed.errorDetails };
        reply.header('cache-control', 'no-store');
        if (isOfrepFailure(evaluation)) return reply.code(statusOfFailure(evaluation)).send(evaluation);
        return evaluation;
      },
    });

    defineRoute(scope, context, {
      method: 'POST',
      url: '/ofrep/v1/evaluate/flags',
      permission: 'decide',
      tag: 'ofrep',
      summary: 'Evaluate every flag for one context (OpenFeature OFREP)',
      description:
        'Every feature this server serves, evaluated for `context` as the single-flag endpoint does it (a ' +
        'failing flag is an item with `errorCode`). The strong ETag is a hash of the answer: send it back as ' +
        'If-None-Match to get 304 while nothing this context sees has changed. `eventStreams` points at ' +
        `\`GET ${OFREP_EVENTS_PATH}\`, which says when to re-fetch. Each evaluation records an exposure, a ` +
        '304 included: the client keeps serving those values to the unit. 400 INVALID_CONTEXT or ' +
        'PARSE_ERROR as `{errorCode, errorDetails}`, 429 with Retry-After.',
      query: ofrepBulkQuerySchema,
      headers: { 'If-None-Match': 'the ETag of the evaluations you hold' },
      body: ofrepRequestSchema,
      response: { schema: ofrepBulkSchema },
      errors: [304, 400, 429],
      errorSchema: ofrepFailureSchema.omit({ key: true }),
      handler: async (request, reply) => {
        if (!admitted(request, reply)) return reply;
        const query = parseInput(ofrepBulkQuerySchema, request.query, 'query');
        const parsed = parseOfrepRequest(request.body as string | undefined);
        if (!parsed.ok) {
          return reply.code(400).send({ errorCode: parsed.errorCode, errorDetails: parsed.errorDetails });
        }
        if (query.flagConfigEtag !== undefined) await catchUp(context, Number(query.flagConfigEtag));
        const keys = context.switchyard.features().sort();
        const flags = await Promise.all(keys.map((key) => evaluate(key, parsed.context)));
        const eventStreams = await eventStreamsFor(context, request.principal?.tokenId);
        const body = JSON.stringify({ flags, eventStreams });
        const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
        reply.header('etag', etag).header('cache-control', 'no-cache');
        if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
        return reply.type('application/json; charset=utf-8').send(body);
      },
    });

    defineRoute(scope, context, {
      method: 'GET',
      url: OFREP_EVENTS_PATH,
      permission: 'decide',
      streamAccess: true,
      tag: 'ofrep',
      summary: 'When to re-fetch OFREP evaluations (server-sent events)',
      description:
        'OFREP change notices (protocol ADR-0008): `event: message` with `data: {"type":"refetchEvaluation",' +
        '"etag":"<revision>"}` after every feature change this server sees, and a keep-alive comment every ' +
        "15 s. Send the etag back as the bulk request's `flagConfigEtag`. Takes a token header, or the signed " +
        '`access` credential the bulk answer puts in its address (valid 24 to 48 hours, dies with its token).',
      query: ofrepEventsQuerySchema,
      response: { type: 'text/event-stream', description: '`refetchEvaluation` notices' },
      handler: async (request, reply) => {
        parseInput(ofrepEventsQuerySchema, request.query, 'query');
        const events = openOfrepEventStream({
          poller: context.configPoller,
          beforeNotice: () => context.switchyard.refresh(),
          keepAliveIntervalMs: context.keepAliveIntervalMs,
        });
        const forget = context.onShutdown(events.end);
        events.stream.once('close', forget);
        reply
          .type('text/event-stream; charset=utf-8')
          .header('cache-control', 'no-cache')
          .header('x-accel-buffering', 'no');
        return reply.send(events.stream);
      },
    });
  });
}

/**
 * A re-fetch triggered by a notice from another server may arrive before this one has read the change:
 * read the store now, so the answer reflects at least the revision the notice named.
 */
async function catchUp(context: ServerContext, revision: number): Promise<void> {
  if (context.configPoller.snapshot().document.revision >= revision) return;
  await context.configPoller.refresh();
  await context.switchyard.refresh();
}

/**
 * The stream the bulk answer points at, as a path on the caller's OFREP base URL with a signed credential
 * for clients that cannot send headers. The expiry is rounded to a whole day, so the answer (and its ETag)
 * stays the same within a day and a client always holds a credential valid for at least 24 hours.
 */
async function eventStreamsFor(context: ServerContext, tokenId: string | undefined) {
  const day = STREAM_ACCESS_TTL_MS;
  const expiresAt = (Math.floor(context.clock() / day) + 2) * day;
  const access =
    tokenId === undefined ? undefined : await signStreamAccess(context.store, tokenId, expiresAt);
  const requestUri =
    access === undefined ? OFREP_EVENTS_PATH : `${OFREP_EVENTS_PATH}?access=${encodeURIComponent(access)}`;
  return [{ type: 'sse', endpoint: { requestUri }, inactivityDelaySec: 120 }];
}
