import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * Counts every answered request and records its duration, labelled by method, route template (never the raw
 * URL, which would explode the label set; `unmatched` for unknown paths) and status code. Returns the
 * recorder, for requests answered before Fastify (the gateway's fast path).
 */
export function registerHttpMetrics(
  app: FastifyInstance,
  registry: Registry,
): (method: string, route: string, status: number, seconds: number) => void {
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'switchyard_http_requests_total',
    help: 'HTTP requests answered, by method, route and status.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'switchyard_http_request_duration_seconds',
    help: 'Time to answer HTTP requests (streams: until they end), by method, route and status.',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const observe = (method: string, route: string, status: number, seconds: number) => {
    const labels = { method, route, status: String(status) };
    requests.inc(labels);
    duration.observe(labels, seconds);
  };
  app.addHook('onResponse', async (request, reply) => {
    observe(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });
  return observe;
}
