import type { FastifyRequest } from 'fastify';
import type { ChangeMeta } from '../../store/store.js';
import { unauthorized } from '../auth/require-permission.js';

/** The audit actor of a request: `token:<name>` of the token that made it. */
export function actorOf(request: FastifyRequest): string {
  if (request.principal === undefined) throw unauthorized();
  return `token:${request.principal.name}`;
}

/** Who made a change and why, for the store's audit entry. */
export function changeOf(request: FastifyRequest, reason: string | undefined): ChangeMeta {
  return reason === undefined ? { actor: actorOf(request) } : { actor: actorOf(request), reason };
}
