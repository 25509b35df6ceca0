import type { FastifyInstance } from 'fastify';
import { changeRamp, RAMP_COMMANDS } from '../../control/ramps/feature-ramp.js';
import { defineRoute } from '../define-route.js';
import { changeOf } from '../http/change-of.js';
import { parseInput } from '../http/parse-input.js';
import { rampBodySchema } from '../schemas/alert-schemas.js';
import { featureKeyParamsSchema } from '../schemas/request-schemas.js';
import { storedFeatureSchema } from '../schemas/response-schemas.js';
import type { ServerContext } from '../server-context.js';

const DESCRIPTIONS: Record<(typeof RAMP_COMMANDS)[number], string> = {
  pause: 'Holds a running ramp at its step; the monitor no longer advances it.',
  resume:
    'Lets a paused or halted ramp go on from its step (the step starts again), or restarts a rolled-back ramp ' +
    'from its first step. It does not lift the kill of a rollback: `enable` does.',
};

/** Registers `POST /api/features/:key/ramp/pause` and `.../resume`. */
export function registerRampRoutes(app: FastifyInstance, context: ServerContext): void {
  for (const command of RAMP_COMMANDS) {
    defineRoute(app, context, {
      method: 'POST',
      url: `/api/features/:key/ramp/${command}`,
      permission: 'write',
      summary: `${command === 'pause' ? 'Pause' : 'Resume'} a feature's ramp`,
      description: `${DESCRIPTIONS[command]} Audited as \`ramp.${command}\`; 409 when the ramp's state does not allow it.`,
      params: featureKeyParamsSchema,
      body: rampBodySchema,
      bodyOptional: true,
      response: { schema: storedFeatureSchema },
      errors: [400, 404, 409, 422],
      handler: async (request) => {
        const { key } = parseInput(featureKeyParamsSchema, request.params, 'params');
        const body = parseInput(rampBodySchema, request.body ?? {}, 'body');
        const feature = await changeRamp(context.store, key, command, {
          ...changeOf(request, body.reason),
          now: context.clock(),
        });
        await context.featuresChanged();
        return feature;
      },
    });
  }
}
