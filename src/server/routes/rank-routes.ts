import type { FastifyInstance } from 'fastify';
import type { EvaluationContext } from '../../core/decision.js';
import { FeatureNotFoundError } from '../../core/errors.js';
import { defineRoute } from '../define-route.js';
import { parseInput } from '../http/parse-input.js';
import {
  feedbackAcceptedSchema,
  feedbackBodySchema,
  rankBodySchema,
  rankResultSchema,
} from '../schemas/rank-schemas.js';
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
}
