import type { FastifyInstance } from 'fastify';
import { FeatureNotFoundError } from '../../core/errors.js';
import { type FeatureSwitch, switchFeature } from '../../store/feature-commands.js';
import { defineRoute } from '../define-route.js';
import { changeOf } from '../http/change-of.js';
import { expectedVersion } from '../http/expected-version.js';
import { parseInput } from '../http/parse-input.js';
import { featureKeyParamsSchema, historyQuerySchema, switchBodySchema } from '../schemas/request-schemas.js';
import { auditPageSchema, switchResultSchema } from '../schemas/response-schemas.js';
import type { ServerContext } from '../server-context.js';

const SWITCHES: ReadonlyArray<[FeatureSwitch, string, string]> = [
  [
    'kill',
    'Kill a feature',
    'Emergency stop: everyone gets the default variant at once (reason KILLED), overrides included, until ' +
      '`enable`. Re-applying a config does not lift a kill.',
  ],
  ['enable', 'Enable a feature', 'Turns the master switch on and lifts a kill.'],
  [
    'disable',
    'Disable a feature',
    'Turns the master switch off: everyone gets the default variant (reason DISABLED).',
  ],
];

/** Registers `POST /api/features/:key/{kill,enable,disable}` and `GET /api/features/:key/history`. */
export function registerFeatureActionRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store } = context;

  for (const [action, summary, description] of SWITCHES) {
    defineRoute(app, context, {
      method: 'POST',
      url: `/api/features/:key/${action}`,
      permission: 'write',
      summary,
      description: `${description} A no-op (\`changed: false\`) when the feature is in that state already.`,
      params: featureKeyParamsSchema,
      headers: { 'If-Match': 'optional: the version you read; 409 when stale' },
      body: switchBodySchema,
      bodyOptional: true,
      response: { schema: switchResultSchema },
      errors: [400, 404, 409],
      handler: async (request) => {
        const { key } = parseInput(featureKeyParamsSchema, request.params, 'params');
        const body = parseInput(switchBodySchema, request.body ?? {}, 'body');
        const version = expectedVersion(request, body.version, false);
        const result = await switchFeature(store, key, action, {
          ...changeOf(request, body.reason),
          ...(version === undefined ? {} : { expectedVersion: version }),
        });
        if (result.changed) await context.featuresChanged();
        return result;
      },
    });
  }

  defineRoute(app, context, {
    method: 'GET',
    url: '/api/features/:key/history',
    permission: 'read',
    summary: "A feature's audit trail, newest first",
    params: featureKeyParamsSchema,
    query: historyQuerySchema,
    response: { schema: auditPageSchema },
    errors: [400, 404],
    handler: async (request) => {
      const { key } = parseInput(featureKeyParamsSchema, request.params, 'params');
      const query = parseInput(historyQuerySchema, request.query, 'query');
      if ((await store.getFeature(key, { includeArchived: true })) === undefined) {
        throw new FeatureNotFoundError(key);
      }
      return store.listAudit({ ...query, target: `feature:${key}` });
    },
  });
}
