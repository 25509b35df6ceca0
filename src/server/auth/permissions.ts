/** API roles (docs/architecture.md, Concepts). */
export const ROLES = ['admin', 'editor', 'viewer', 'sdk'] as const;

/** An API role. */
export type Role = (typeof ROLES)[number];

/**
 * What a route needs:
 * - `read`: features, audit, events, metrics, stats, exports, experiments and alerts;
 * - `write`: create, change, kill, archive features and run experiment transitions;
 * - `decide`: `POST /api/decide` and looking up a unit's sticky experiment arm;
 * - `assign`: storing a unit's sticky experiment arm (`POST /api/assignments` with `variant`), which the
 *   SDK's own assignment path does and which would bias an experiment in any other hands;
 * - `config`: `GET /api/config` and its stream (what an SDK needs);
 * - `ingest`: `POST /api/events` from remote SDKs;
 * - `gateway`: the OpenAI-compatible `/v1` routes;
 * - `admin`: tokens.
 */
export type Permission = 'read' | 'write' | 'decide' | 'assign' | 'config' | 'ingest' | 'gateway' | 'admin';

const GRANTS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  admin: new Set(['read', 'write', 'decide', 'assign', 'config', 'ingest', 'gateway', 'admin']),
  editor: new Set(['read', 'write', 'decide', 'assign', 'config']),
  viewer: new Set(['read', 'decide', 'config']),
  sdk: new Set(['decide', 'assign', 'config', 'ingest', 'gateway']),
};

/** Whether a role holds a permission. */
export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].has(permission);
}

/** The authenticated caller of a request. */
export interface Principal {
  readonly tokenId: string;
  readonly name: string;
  readonly role: Role;
}
