import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error.js';
import { can, type Permission, type Principal } from './permissions.js';

const PERMISSION = Symbol('switchyard.permission');

/** A route hook that refuses callers whose role lacks a permission; tagged so the server can list it. */
export type PermissionHook = ((request: FastifyRequest, reply?: FastifyReply) => Promise<void>) & {
  readonly [PERMISSION]: Permission;
};

/**
 * A hook that answers 401 when the request carries no valid token and 403 when the token's role lacks
 * `permission`. Use it as the route's `onRequest` hook (refused before the body is read) or `preHandler`.
 * Every route must carry one, or `config: { public: true }`; the server refuses to register a route that has
 * neither.
 *
 * @example
 * app.post('/api/experiments', { onRequest: requirePermission('write') }, handler);
 */
export function requirePermission(permission: Permission): PermissionHook {
  const hook = async (request: FastifyRequest): Promise<void> => {
    checkPermission(request.principal, permission);
  };
  return Object.assign(hook, { [PERMISSION]: permission });
}

/** Throws 401 without a principal, 403 when its role lacks `permission`. */
export function checkPermission(principal: Principal | undefined, permission: Permission): void {
  if (principal === undefined) throw unauthorized();
  if (!can(principal.role, permission)) {
    throw new ApiError(
      403,
      'FORBIDDEN',
      `token "${principal.name}" (role ${principal.role}) lacks the "${permission}" permission`,
    );
  }
}

/** The permission a route's hooks require, or undefined when none of them is a `requirePermission` hook. */
export function permissionOf(hooks: unknown): Permission | undefined {
  const list = Array.isArray(hooks) ? hooks : [hooks];
  for (const hook of list) {
    if (typeof hook === 'function' && PERMISSION in hook) return (hook as PermissionHook)[PERMISSION];
  }
  return undefined;
}

/** The 401 for a missing, malformed, unknown, revoked or wrong token. */
export function unauthorized(
  reason = 'send a valid token: Authorization: Bearer sy_<id>_<secret>',
): ApiError {
  return new ApiError(401, 'UNAUTHORIZED', reason, {
    headers: { 'www-authenticate': 'Bearer realm="switchyard"' },
  });
}
