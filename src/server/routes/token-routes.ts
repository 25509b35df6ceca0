import type { FastifyInstance } from 'fastify';
import { unreachable } from '../../core/unreachable.js';
import { revokeApiToken } from '../auth/revoke-api-token.js';
import { defineRoute } from '../define-route.js';
import { ApiError } from '../http/api-error.js';
import { changeOf } from '../http/change-of.js';
import { parseInput } from '../http/parse-input.js';
import {
  createTokenBodySchema,
  listTokensQuerySchema,
  tokenIdParamsSchema,
} from '../schemas/request-schemas.js';
import { issuedTokenSchema, tokenListSchema, tokenSchema } from '../schemas/response-schemas.js';
import type { ServerContext } from '../server-context.js';

/** Registers `POST|GET /api/tokens` and `DELETE /api/tokens/:id` (admin only; writes audited). */
export function registerTokenRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store, auth } = context;

  defineRoute(app, context, {
    method: 'POST',
    url: '/api/tokens',
    permission: 'admin',
    summary: 'Create a token',
    description: 'Returns the token once; only its scrypt hash is stored. Audited as `token.create`.',
    body: createTokenBodySchema,
    response: { status: 201, schema: issuedTokenSchema },
    errors: [400, 409, 413],
    handler: async (request, reply) => {
      const { name, role } = parseInput(createTokenBodySchema, request.body, 'body');
      const issued = await auth.issue({ name, role }, changeOf(request, undefined));
      reply.code(201).header('cache-control', 'no-store');
      return issued;
    },
  });

  defineRoute(app, context, {
    method: 'GET',
    url: '/api/tokens',
    permission: 'admin',
    summary: 'List tokens',
    description: 'Ids, names, roles and times; never secrets or hashes.',
    query: listTokensQuerySchema,
    response: { schema: tokenListSchema },
    errors: [400],
    handler: async (request) => {
      const query = parseInput(listTokensQuerySchema, request.query, 'query');
      return { tokens: await store.listTokens({ includeRevoked: query.revoked === 'true' }) };
    },
  });

  defineRoute(app, context, {
    method: 'DELETE',
    url: '/api/tokens/:id',
    permission: 'admin',
    summary: 'Revoke a token',
    description:
      'Revokes at once on this server (within the token cache time on others). Audited as `token.revoke`. ' +
      'The last live admin token cannot be revoked (409): create another admin token first.',
    params: tokenIdParamsSchema,
    response: { schema: tokenSchema },
    errors: [404, 409],
    handler: async (request) => {
      const { id } = parseInput(tokenIdParamsSchema, request.params, 'params');
      const outcome = await revokeApiToken(store, auth, id, changeOf(request, undefined));
      switch (outcome.result) {
        case 'revoked':
          return outcome.token;
        case 'not-found':
          throw new ApiError(404, 'NOT_FOUND', `token "${id}" not found`);
        case 'last-admin':
          throw new ApiError(
            409,
            'LAST_ADMIN_TOKEN',
            `token "${outcome.name}" is the last admin token; create another admin token before revoking it`,
          );
        default:
          return unreachable(outcome, 'token revocation');
      }
    },
  });
}
