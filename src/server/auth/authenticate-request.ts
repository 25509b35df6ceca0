import type { FastifyInstance } from 'fastify';
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
    request.principal = await authenticateBearer(auth, request.headers.authorization);
  });
}

/**
 * The principal of an `Authorization: Bearer <token>` header; throws a 401 ApiError when the header is
 * missing or the token is malformed, unknown or revoked. The onRequest hook and the gateway's fast path
 * (which answers before Fastify) both check tokens with it.
 */
export async function authenticateBearer(
  auth: TokenAuthenticator,
  header: string | string[] | undefined,
): Promise<Principal> {
  const token = bearerToken(header);
  if (token === undefined) throw unauthorized();
  const principal = await auth.authenticate(token);
  if (principal === undefined) throw unauthorized('the token is malformed, unknown or revoked');
  return principal;
}

function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}
