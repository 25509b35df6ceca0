import type { FastifyInstance } from 'fastify';
import { ExperimentNotFoundError, InvalidInputError } from '../../core/errors.js';
import { checkPermission } from '../auth/require-permission.js';
import { defineRoute } from '../define-route.js';
import { ApiError } from '../http/api-error.js';
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
      'the unit has one already, and answers the one that holds (first write wins). Storing needs the ' +
      '`assign` permission (`sdk`, `editor`, `admin`; a viewer may only look up), a running experiment ' +
      '(404 when unknown, 409 `EXPERIMENT_NOT_RUNNING` otherwise) and one of its arms (400 on `variant`).',
    body: assignmentBodySchema,
    response: { schema: assignmentResultSchema },
    errors: [400, 404, 409, 413],
    handler: async (request) => {
      const body = parseInput(assignmentBodySchema, request.body, 'body');
      if (body.variant === undefined || body.seed === undefined) {
        return { assignment: (await context.store.findAssignment(body.experiment, body.unitId)) ?? null };
      }
      checkPermission(request.principal, 'assign');
      const experiment = await context.store.getExperiment(body.experiment);
      if (experiment === undefined) {
        throw new ExperimentNotFoundError(body.experiment);
      }
      if (experiment.status !== 'running') {
        throw new ApiError(
          409,
          'EXPERIMENT_NOT_RUNNING',
          `experiment "${experiment.key}" is ${experiment.status}: arms are stored only while it runs`,
          { path: 'experiment' },
        );
      }
      const arms = experiment.config.arms ?? [];
      if (!arms.includes(body.variant)) {
        throw new InvalidInputError(
          'variant',
          `"${body.variant}" is not an arm of experiment "${experiment.key}" (arms: ${arms.join(', ')})`,
        );
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
