import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../define-route.js';
import { parseInput } from '../http/parse-input.js';
import { auditQuerySchema } from '../schemas/request-schemas.js';
import { auditPageSchema } from '../schemas/response-schemas.js';
import type { ServerContext } from '../server-context.js';

/** Registers `GET /api/audit`: the audit log, newest first, filtered and paged by cursor. */
export function registerAuditRoutes(app: FastifyInstance, context: ServerContext): void {
  defineRoute(app, context, {
    method: 'GET',
    url: '/api/audit',
    permission: 'read',
    summary: 'Read the audit log',
    description:
      'Every mutation, newest first. Filters match exactly; `from` and `to` form a half-open window.',
    query: auditQuerySchema,
    response: { schema: auditPageSchema },
    errors: [400],
    handler: async (request) => context.store.listAudit(parseInput(auditQuerySchema, request.query, 'query')),
  });
}
