import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/store.js';
import type { Permission, Principal } from './permissions.js';
import { unauthorized } from './require-permission.js';
import { verifyStreamAccess } from './stream-access.js';
import type { TokenAuthenticator } from './token-authenticator.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, set from the bearer token before any route hook runs; undefined on public routes. */
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** Answer without a token (`/health`, static files); every other route needs `requirePermission`. */
    public?: boolean;
    /**
     * Also accept a signed `?access=` credential (`signStreamAccess`) holding this permission, for event
     * streams that clients open without headers (the browser's EventSource).
     */
    streamAccess?: Permission;
  }
}

/** What `registerAuthentication` checks credentials with. */
export interface AuthenticationOptions {
  readonly auth: TokenAuthenticator;
  /** Token records, for signed stream credentials. */
  readonly store: Store;
  readonly clock: () => number;
}

/**
 * Authenticates every request before routing hooks run: a public route passes as it is; anything else,
 * unknown paths included, needs `Authorization: Bearer <token>` naming a live token, or gets 401. Under
 * `/v1/` (the gateway) the token may also come as `api-key` or `x-api-key` (see `gatewayToken`), under
 * `/ofrep/` as `X-API-Key` (OpenFeature's OFREP names it). A route marked `streamAccess` also takes a signed
 * `?access=` credential when no token header is sent.
 */
export function registerAuthentication(app: FastifyInstance, options: AuthenticationOptions): void {
  const { auth, store, clock } = options;
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config.public === true) return;
    const { headers } = request;
    if (request.url.startsWith('/v1/')) {
      request.principal = await authenticateToken(auth, gatewayToken(headers), request.ip);
      return;
    }
    const access = (request.query as Record<string, unknown> | undefined)?.access;
    if (
      config.streamAccess !== undefined &&
      typeof access === 'string' &&
      headers.authorization === undefined &&
      headers['x-api-key'] === undefined
    ) {
      const principal = await verifyStreamAccess(store, access, clock(), config.streamAccess);
      if (principal === undefined)
        throw unauthorized('the access credential is malformed, expired or revoked');
      request.principal = principal;
      return;
    }
    // OFREP providers send X-API-Key (the protocol names it); the rest of the API takes Bearer only.
    const token =
      headers.authorization === undefined && request.url.startsWith('/ofrep/')
        ? headerToken(headers['x-api-key'])
        : bearerToken(headers.authorization);
    request.principal = await authenticateToken(auth, token, request.ip);
  });
}

/**
 * The token of a gateway request: `Authorization: Bearer <token>` (OpenAI's clients), else the
 * `api-key` header (Azure OpenAI's clients), else `x-api-key` (Anthropic's clients).
 *
 * @example
 * gatewayToken({ 'x-api-key': 'sy_abc_…' }); // 'sy_abc_…'
 */
export function gatewayToken(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): string | undefined {
  const bearer = bearerToken(headers.authorization);
  if (bearer !== undefined) return bearer;
  return headerToken(headers['api-key']) ?? headerToken(headers['x-api-key']);
}

/** The principal of a gateway request's token (see `gatewayToken`); throws 401 as `authenticateBearer`. */
export function authenticateGateway(
  auth: TokenAuthenticator,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  client?: string,
): Promise<Principal> {
  return authenticateToken(auth, gatewayToken(headers), client);
}

/**
 * The principal of an `Authorization: Bearer <token>` header; throws a 401 ApiError when the header is
 * missing or the token is malformed, unknown or revoked, and a 429 while `client` (the caller's address)
 * or the token's id has failed too often (see TokenAuthenticator). The onRequest hook and the gateway's
 * fast path (which answers before Fastify) both check tokens with it.
 */
export async function authenticateBearer(
  auth: TokenAuthenticator,
  header: string | string[] | undefined,
  client?: string,
): Promise<Principal> {
  return authenticateToken(auth, bearerToken(header), client);
}

async function authenticateToken(
  auth: TokenAuthenticator,
  token: string | undefined,
  client: string | undefined,
): Promise<Principal> {
  if (token === undefined) throw unauthorized();
  const principal = await auth.authenticate(token, client);
  if (principal === undefined) throw unauthorized('the token is malformed, unknown or revoked');
  return principal;
}

function headerToken(value: string | string[] | undefined): string | undefined {
  const token = typeof value === 'string' ? value.trim() : '';
  return token === '' ? undefined : token;
}

function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}
