import type { FastifyInstance } from 'fastify';
import type { RegisteredRoute } from '../server-context.js';
import { permissionOf } from './require-permission.js';

/**
 * Refuses to register a route that neither requires a permission (a `requirePermission` hook in its
 * `onRequest` or `preHandler`) nor is marked `config: { public: true }`, and records every route with its
 * permission in `routes`, so that nothing answers without a token by accident.
 */
export function registerRouteGuard(app: FastifyInstance, routes: RegisteredRoute[]): void {
  app.addHook('onRoute', (route) => {
    const permission =
      route.config?.public === true
        ? 'public'
        : (permissionOf(route.onRequest) ?? permissionOf(route.preHandler));
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (permission === undefined) {
      throw new Error(
        `route ${methods.join(',')} ${route.url} declares no permission: add onRequest: requirePermission(...) or config: { public: true }`,
      );
    }
    for (const method of methods) routes.push({ method, url: route.url, permission });
  });
}
