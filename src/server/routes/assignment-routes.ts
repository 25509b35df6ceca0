import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../define-route.js';
import { parseInput } from '../http/parse-input.js';
import { assignmentBodySchema, assignmentResultSchema } from '../schemas/experiment-schemas.js';
import type { ServerContext } from '../server-context.js';

/** Registers `POST /api/assignments`: sticky experiment arms for remote SDKs. */
export function registerAssignmentRoutes(app: FastifyInstance, context: ServerContext): void {
  defineRoute(app, context, {
    method: 'POST',
    url: '/api/assignments',
    permission: 'decide',
    summary: "A unit's sticky experiment arm",
    description:
      "Without `variant`: the unit's stored arm, or null. With `variant` and `seed`: stores that arm unless " +
      'the unit has one already, and answers the one that holds (first write wins).',
    body: assignmentBodySchema,
    response: { schema: assignmentResultSchema },
    errors: [400, 413],
    handler: async (request) => {
      const body = parseInput(assignmentBodySchema, request.body, 'body');
      if (body.variant === undefined || body.seed === undefined) {
        return { assignment: (await context.store.findAssignment(body.experiment, body.unitId)) ?? null };
      }
      const assignment = await context.store.assignOnce({
        experiment: body.experiment,
        unitId: body.unitId,
        variant: body.variant,
        seed: body.seed,
        at: context.clock(),
      });
      return { assignment };
    },
  });
}
