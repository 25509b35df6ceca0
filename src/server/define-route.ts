import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requirePermission } from './auth/require-permission.js';
import type { RouteDoc } from './openapi/route-docs.js';
import type { ServerContext } from './server-context.js';

/** A route: its OpenAPI entry (permission included) and its handler. */
export interface RouteDefinition extends RouteDoc {
  readonly handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  /** Largest body in bytes for this route, when it differs from the server's `bodyLimit`. */
  readonly bodyLimit?: number;
  /** Also accept a signed `?access=` credential for this route's permission (event streams). */
  readonly streamAccess?: boolean;
}

/**
 * Registers a route with its permission hook and its OpenAPI entry in one step, so the two cannot drift
 * apart: `permission: 'public'` answers without a token, anything else runs `requirePermission` before the
 * body is read. Handlers validate their input with `parseInput` and the same zod schemas as the entry.
 *
 * @example
 * defineRoute(app, context, {
 *   method: 'GET',
 *   url: '/api/experiments',
 *   permission: 'read',
 *   summary: 'List experiments',
 *   response: { schema: experimentListSchema },
 *   handler: async () => ({ experiments: await listExperiments(context.store) }),
 * });
 */
export function defineRoute(app: FastifyInstance, context: ServerContext, definition: RouteDefinition): void {
  const { handler, bodyLimit, streamAccess, ...doc } = definition;
  const limit = bodyLimit === undefined ? {} : { bodyLimit };
  context.routeDocs.describe(doc);
  if (doc.permission === 'public') {
    app.route({ method: doc.method, url: doc.url, config: { public: true }, handler, ...limit });
    return;
  }
  app.route({
    method: doc.method,
    url: doc.url,
    onRequest: requirePermission(doc.permission),
    ...(streamAccess === true ? { config: { streamAccess: doc.permission } } : {}),
    handler,
    ...limit,
  });
}
