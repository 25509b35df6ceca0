import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from './permissions.js';
import { unauthorized } from './require-permission.js';
import type { TokenAuthenticator } from './token-authenticator.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, set from the bearer token before any route hook runs; undefined on public routes. */
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** Answer without a token (`/health`, static files); every other route needs `requirePermission`. */
    public?: boolean;
  }
}

/**
 * Authenticates every request before routing hooks run: a public route passes as it is; anything else,
 * unknown paths included, needs `Authorization: Bearer <token>` naming a live token, or gets 401.
 */
export function registerAuthentication(app: FastifyInstance, auth: TokenAuthenticator): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public === true) return;
    const token = bearerToken(request);
    if (token === undefined) throw unauthorized();
    const principal = await auth.authenticate(token);
    if (principal === undefined) throw unauthorized('the token is malformed, unknown or revoked');
    request.principal = principal;
  });
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}
