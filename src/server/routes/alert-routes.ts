import type { FastifyInstance } from 'fastify';
import { resolveAlertByHand } from '../../store/resolve-alert-by-hand.js';
import { defineRoute } from '../define-route.js';
import { ApiError } from '../http/api-error.js';
import { changeOf } from '../http/change-of.js';
import { parseInput } from '../http/parse-input.js';
import {
  alertIdParamsSchema,
  alertPageSchema,
  alertQuerySchema,
  alertSchema,
  resolveAlertBodySchema,
} from '../schemas/alert-schemas.js';
import type { ServerContext } from '../server-context.js';

const notFound = (id: string) => new ApiError(404, 'NOT_FOUND', `alert "${id}" not found`);

/** Registers `GET /api/alerts`, `GET /api/alerts/:id` and `POST /api/alerts/:id/resolve`. */
export function registerAlertRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store } = context;
  defineRoute(app, context, {
    method: 'GET',
    url: '/api/alerts',
    permission: 'read',
    summary: 'List alerts, newest first',
    description:
      'Alerts the guardrail monitor opened, open and resolved, each with the evidence of its last evaluation ' +
      '(values, samples, threshold; for relative rules both arms, the p-value and the interval).',
    query: alertQuerySchema,
    response: { schema: alertPageSchema },
    errors: [400],
    handler: async (request) => store.listAlerts(parseInput(alertQuerySchema, request.query, 'query')),
  });

  defineRoute(app, context, {
    method: 'GET',
    url: '/api/alerts/:id',
    permission: 'read',
    summary: 'Read one alert',
    params: alertIdParamsSchema,
    response: { schema: alertSchema },
    errors: [400, 404],
    handler: async (request) => {
      const { id } = parseInput(alertIdParamsSchema, request.params, 'params');
      const alert = await store.getAlert(id);
      if (alert === undefined) throw notFound(id);
      return alert;
    },
  });

  defineRoute(app, context, {
    method: 'POST',
    url: '/api/alerts/:id/resolve',
    permission: 'write',
    summary: 'Resolve an alert by hand',
    description:
      'Closes an open alert (audited as `alert.resolve`); its rule opens a new one if it fires again. ' +
      'Resolving an alert resolved already changes nothing. It does not undo what the monitor did.',
    params: alertIdParamsSchema,
    body: resolveAlertBodySchema,
    bodyOptional: true,
    response: { schema: alertSchema },
    errors: [400, 404],
    handler: async (request) => {
      const { id } = parseInput(alertIdParamsSchema, request.params, 'params');
      const body = parseInput(resolveAlertBodySchema, request.body ?? {}, 'body');
      const alert = await resolveAlertByHand(store, id, changeOf(request, body.reason), context.clock());
      if (alert === undefined) throw notFound(id);
      return alert;
    },
  });
}
