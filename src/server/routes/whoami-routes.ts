import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ROLES } from '../auth/permissions.js';
import { unauthorized } from '../auth/require-permission.js';
import { defineRoute } from '../define-route.js';
import type { ServerContext } from '../server-context.js';

/** `GET /api/whoami`: the calling token, never its secret. */
export const whoamiSchema = z.object({
  id: z.string().describe('the public id of the token (`sy_<id>_<secret>`)'),
  name: z.string(),
  role: z.enum(ROLES),
});

/**
 * Registers `GET /api/whoami`: the token's id, name and role, so a client (the dashboard) can show only
 * the controls the role may use.
 */
export function registerWhoamiRoutes(app: FastifyInstance, context: ServerContext): void {
  defineRoute(app, context, {
    method: 'GET',
    url: '/api/whoami',
    permission: 'read',
    tag: 'tokens',
    summary: 'The calling token: id, name and role',
    response: { schema: whoamiSchema },
    handler: async (request, reply) => {
      const { principal } = request;
      if (principal === undefined) throw unauthorized();
      reply.header('cache-control', 'no-store');
      return { id: principal.tokenId, name: principal.name, role: principal.role };
    },
  });
}
