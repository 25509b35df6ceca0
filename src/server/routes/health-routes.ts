import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../define-route.js';
import { healthSchema } from '../schemas/response-schemas.js';
import type { HealthCheck, HealthCheckResult, ServerContext } from '../server-context.js';

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Registers `GET /health` (no token): every check in `context.healthChecks`, run in parallel with a 2 s
 * limit each; 200 when none reports `error`, otherwise 503.
 */
export function registerHealthRoutes(app: FastifyInstance, context: ServerContext): void {
  defineRoute(app, context, {
    method: 'GET',
    url: '/health',
    permission: 'public',
    summary: 'Health of the server and its dependencies',
    description: 'Status per dependency (store, redis, providers, ...); 200 when healthy, 503 when not.',
    response: { schema: healthSchema },
    errors: [503],
    handler: async (_request, reply) => {
      const entries = await Promise.all(
        [...context.healthChecks].map(async ([name, check]) => [name, await runCheck(check)] as const),
      );
      const checks = Object.fromEntries(entries);
      const healthy = entries.every(([, result]) => result.status !== 'error');
      reply.code(healthy ? 200 : 503).header('cache-control', 'no-store');
      return { status: healthy ? 'ok' : 'error', checks };
    },
  });
}

async function runCheck(check: HealthCheck): Promise<HealthCheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HealthCheckResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: 'error', message: `no answer within ${CHECK_TIMEOUT_MS} ms` }),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([
      check().catch(
        (error: unknown): HealthCheckResult => ({
          status: 'error',
          message: error instanceof Error ? error.message : String(error),
        }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
