import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../define-route.js';
import { healthSchema } from '../schemas/response-schemas.js';
import type { HealthCheck, HealthCheckResult, ServerContext } from '../server-context.js';

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Registers `GET /health` (no token): every check in `context.healthChecks`, run in parallel with a 2 s
 * limit each; 503 `error` when one reports `error`, else 200: `degraded` when one reports `degraded` (the
 * store is away but the server still serves what it holds in memory), `ok` otherwise.
 */
export function registerHealthRoutes(app: FastifyInstance, context: ServerContext): void {
  defineRoute(app, context, {
    method: 'GET',
    url: '/health',
    permission: 'public',
    summary: 'Health of the server and its dependencies',
    description:
      'Status per dependency (store, redis, providers, ...); 200 `ok` when healthy, 200 `degraded` while the ' +
      'store is away (served from memory; routes that need the store answer 503 `STORE_UNAVAILABLE`), 503 ' +
      'when a check fails.',
    response: { schema: healthSchema },
    errors: [503],
    handler: async (_request, reply) => {
      const entries = await Promise.all(
        [...context.healthChecks].map(async ([name, check]) => [name, await runCheck(check)] as const),
      );
      const checks = Object.fromEntries(entries);
      const statuses = entries.map(([, result]) => result.status);
      const status = statuses.includes('error') ? 'error' : statuses.includes('degraded') ? 'degraded' : 'ok';
      reply.code(status === 'error' ? 503 : 200).header('cache-control', 'no-store');
      return { status, checks };
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
