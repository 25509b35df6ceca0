import type { FastifyInstance } from 'fastify';
import type { EvaluationContext } from '../../core/decision.js';
import { FeatureNotFoundError } from '../../core/errors.js';
import { defineRoute } from '../define-route.js';
import { parseInput } from '../http/parse-input.js';
import { decideBodySchema } from '../schemas/request-schemas.js';
import { decisionSchema } from '../schemas/response-schemas.js';
import type { ServerContext } from '../server-context.js';

/** Registers `POST /api/decide`: a Decision from the server's runtime client, recorded as an exposure. */
export function registerDecideRoutes(app: FastifyInstance, context: ServerContext): void {
  defineRoute(app, context, {
    method: 'POST',
    url: '/api/decide',
    permission: 'decide',
    summary: 'Decide a feature for a context',
    description:
      'Evaluates the feature for `context` (`attributes` and `overrides` only, as the CLI takes them) and ' +
      'records the exposure; a unit in a running experiment keeps its stored arm. A context the rules cannot use yields the default variant with reason ERROR.',
    body: decideBodySchema,
    response: { schema: decisionSchema },
    errors: [400, 404, 413],
    handler: async (request) => {
      const { feature, context: evaluationContext } = parseInput(decideBodySchema, request.body, 'body');
      const decision = await context.switchyard.decideAsync(
        feature,
        (evaluationContext ?? {}) as EvaluationContext,
      );
      // The SDK answers an unknown feature with reason ERROR; a REST resource that does not exist is a 404.
      if (decision.variant === null) throw new FeatureNotFoundError(feature);
      return decision;
    },
  });
}
