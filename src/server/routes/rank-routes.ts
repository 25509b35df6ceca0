import type { FastifyInstance } from 'fastify';
import type { EvaluationContext } from '../../core/decision.js';
import { FeatureNotFoundError, InvalidInputError } from '../../core/errors.js';
import { rankerLearning } from '../../core/validate-feature.js';
import { decayEvidence } from '../../stats/preferences/preference-evidence.js';
import { defineRoute } from '../define-route.js';
import { parseInput } from '../http/parse-input.js';
import {
  feedbackAcceptedSchema,
  feedbackBodySchema,
  profileQuerySchema,
  profileSchema,
  rankBodySchema,
  rankResultSchema,
} from '../schemas/rank-schemas.js';
import { featureKeyParamsSchema } from '../schemas/request-schemas.js';
import type { ServerContext } from '../server-context.js';

/** Registers `POST /api/rank` and `POST /api/feedback`: ranking features over HTTP, with the server's client. */
export function registerRankRoutes(app: FastifyInstance, context: ServerContext): void {
  defineRoute(app, context, {
    method: 'POST',
    url: '/api/rank',
    permission: 'decide',
    summary: 'Order items for a unit with a ranking feature',
    description:
      "Decides the feature for `context` (a sticky split between rankers is the holdback), orders `items` by the decided ranker (`original` keeps the caller's order, `personalized` sorts by the unit's learned affinities, shrunk toward its groups' and the global profile) and records the exposure and the run. Feedback naming an item (`POST /api/feedback` with `itemId` or `selectedItem`) teaches the profiles. 400 names the field; a feature without rankers is a 400 on `feature`.",
    body: rankBodySchema,
    response: { schema: rankResultSchema },
    errors: [400, 404, 413],
    handler: async (request) => {
      const {
        feature,
        context: evaluationContext,
        items,
        limit,
      } = parseInput(rankBodySchema, request.body, 'body');
      return context.switchyard.rank(feature, (evaluationContext ?? {}) as EvaluationContext, {
        items,
        ...(limit === undefined ? {} : { limit }),
      });
    },
  });

  defineRoute(app, context, {
    method: 'POST',
    url: '/api/feedback',
    permission: 'ingest',
    summary: 'Record feedback on a run or a ranking',
    description:
      "What `sy.feedback()` records: `accepted`, `selectedVariant`, `rating`, `metric` with `value`, and for a ranking `itemId` (with `accepted`) or `selectedItem`, which update the unit's preference profiles when this server ranked the request. 202 once queued for the store.",
    body: feedbackBodySchema,
    response: { status: 202, schema: feedbackAcceptedSchema },
    errors: [400, 404, 413],
    handler: async (request, reply) => {
      const { requestId, ...feedback } = parseInput(feedbackBodySchema, request.body, 'body');
      if (feedback.feature !== undefined && !context.switchyard.features().includes(feedback.feature)) {
        throw new FeatureNotFoundError(feedback.feature);
      }
      context.switchyard.feedback(requestId, feedback);
      reply.code(202);
      return { requestId };
    },
  });

  defineRoute(app, context, {
    method: 'GET',
    url: '/api/profiles/:key',
    permission: 'read',
    summary: "A preference profile of a ranking feature: a unit's, a group's or the global one",
    description:
      "`?unit=<id>` reads the profile of the feature's unit attribute (the first of `learn.by`), `?tenant=acme` the profile kept by that `by` attribute, no query the global profile. Each entry is an item attribute value with its weights decayed to now and the affinity they alone give (before shrinkage). Profiles hold attribute values and numbers only. 400 for an attribute the feature does not learn by; 404 for an unknown feature or one that learns nothing.",
    params: featureKeyParamsSchema,
    query: profileQuerySchema,
    response: { schema: profileSchema },
    errors: [400, 404],
    handler: async (request) => {
      const { key } = parseInput(featureKeyParamsSchema, request.params, 'params');
      const query = parseInput(profileQuerySchema, request.query, 'query');
      const stored = await context.store.getFeature(key);
      const learn = stored === undefined ? undefined : rankerLearning(stored.config);
      if (stored === undefined || learn === undefined) throw new FeatureNotFoundError(key);
      const named = Object.entries(query).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      );
      if (named.length > 1)
        throw new InvalidInputError('query', 'name one profile: unit or one `by` attribute');
      const [name, value] = named[0] ?? ['*', '*'];
      const scope = name === 'unit' ? (learn.by[0] as string) : name;
      if (scope !== '*' && !learn.by.includes(scope)) {
        throw new InvalidInputError(
          name,
          `must be unit or one of the attributes ${key} learns by: ${learn.by.join(', ')}`,
        );
      }
      const at = context.clock();
      const halfLifeMs = learn.halfLifeDays * 86_400_000;
      const entries = await context.store.listPreferences({
        feature: key,
        profiles: [{ scope, profile: value }],
      });
      return {
        feature: key,
        scope,
        profile: value,
        at,
        entries: entries.map((entry) => {
          const decayed = decayEvidence(
            { successes: entry.successes, failures: entry.failures, at: entry.updatedAt },
            at,
            halfLifeMs,
          );
          return {
            attribute: entry.attribute,
            value: entry.value,
            successes: decayed.successes,
            failures: decayed.failures,
            affinity: (1 + decayed.successes) / (2 + decayed.successes + decayed.failures),
            updatedAt: entry.updatedAt,
          };
        }),
      };
    },
  });
}
