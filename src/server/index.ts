/**
 * `switchyard/server`: the control-plane server (`createServer`) and what route files build on: the
 * server context, `requirePermission`, `defineRoute` and the OpenAPI route registry.
 */
export { type ApiTokenParts, generateApiToken, parseApiToken } from './auth/api-token.js';
export { can, type Permission, type Principal, ROLES, type Role } from './auth/permissions.js';
export { type PermissionHook, requirePermission } from './auth/require-permission.js';
export type { IssuedToken, TokenAuthenticator } from './auth/token-authenticator.js';
export type {
  ConfigChange,
  ConfigDocument,
  ConfigFeature,
  ConfigPoller,
  ConfigSnapshot,
} from './config/config-poller.js';
export { createServer, type SwitchyardServer } from './create-server.js';
export { defineRoute, type RouteDefinition } from './define-route.js';
export { ApiError } from './http/api-error.js';
export { type InputSource, parseInput } from './http/parse-input.js';
export { buildOpenApiDocument, type OpenApiDocument } from './openapi/build-openapi-document.js';
export { describeRoute, type HttpMethod, type RouteDoc, RouteDocs } from './openapi/route-docs.js';
export type {
  HealthCheck,
  HealthCheckResult,
  RegisteredRoute,
  ServerContext,
} from './server-context.js';
export type { ServerOptions } from './server-options.js';
