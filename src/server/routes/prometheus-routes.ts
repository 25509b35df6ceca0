import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../define-route.js';
import type { ServerContext } from '../server-context.js';

/** Registers `GET /metrics`: this server's Prometheus registry in the text exposition format. */
export function registerPrometheusRoutes(app: FastifyInstance, context: ServerContext): void {
  defineRoute(app, context, {
    method: 'GET',
    url: '/metrics',
    permission: 'read',
    summary: 'Prometheus metrics',
    description:
      'HTTP request counts and durations by route and status, process metrics, and whatever else ' +
      'parts of the server register. Scrape with a viewer token (bearer_token in the scrape config).',
    response: { type: 'text/plain', description: 'Prometheus text format' },
    handler: async (_request, reply) => {
      const registry = context.promRegistry;
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  });
}
