import type { FastifyInstance } from 'fastify';
import { requirePermission } from './auth/require-permission.js';
import { describeGatewayRoutes } from './gateway/gateway-route-docs.js';
import { registerGatewayRoutes } from './gateway/register-gateway-routes.js';
import { registerOfrepRoutes } from './ofrep/ofrep-routes.js';
import type { RequestRate } from './ofrep/token-bucket-limiter.js';
import { registerAlertRoutes } from './routes/alert-routes.js';
import { registerAnalyticsRoutes } from './routes/analytics-routes.js';
import { registerAssignmentRoutes } from './routes/assignment-routes.js';
import { registerAuditRoutes } from './routes/audit-routes.js';
import { registerConfigRoutes } from './routes/config-routes.js';
import { registerDashboardRoutes } from './routes/dashboard-routes.js';
import { registerDecideRoutes } from './routes/decide-routes.js';
import { registerDocsRoutes } from './routes/docs-routes.js';
import { registerEventIngestRoutes } from './routes/event-ingest-routes.js';
import { registerExperimentRoutes } from './routes/experiment-routes.js';
import { registerFeatureActionRoutes } from './routes/feature-action-routes.js';
import { registerFeatureRoutes } from './routes/feature-routes.js';
import { registerHealthRoutes } from './routes/health-routes.js';
import { registerKillAllRoutes } from './routes/kill-all-routes.js';
import { registerPrometheusRoutes } from './routes/prometheus-routes.js';
import { registerRampRoutes } from './routes/ramp-routes.js';
import { registerRankRoutes } from './routes/rank-routes.js';
import { registerRetentionRoutes } from './routes/retention-routes.js';
import { registerTokenRoutes } from './routes/token-routes.js';
import { registerUnitRoutes } from './routes/unit-routes.js';
import { registerWhoamiRoutes } from './routes/whoami-routes.js';
import type { ServerContext } from './server-context.js';

/**
 * Adds every route file's routes. A new route file exports `registerXRoutes(app, context)` and is called
 * here; its routes need a permission (or `public`) and an OpenAPI entry, which `defineRoute` gives them.
 */
export function registerRoutes(
  app: FastifyInstance,
  context: ServerContext,
  version: string,
  options: { readonly ofrepRateLimit?: RequestRate | undefined } = {},
): void {
  registerHealthRoutes(app, context);
  registerFeatureRoutes(app, context);
  registerFeatureActionRoutes(app, context);
  registerKillAllRoutes(app, context);
  registerRetentionRoutes(app, context);
  registerUnitRoutes(app, context);
  registerRampRoutes(app, context);
  registerAlertRoutes(app, context);
  registerDecideRoutes(app, context);
  registerOfrepRoutes(app, context, { rateLimit: options.ofrepRateLimit });
  registerRankRoutes(app, context);
  registerExperimentRoutes(app, context);
  registerAssignmentRoutes(app, context);
  registerConfigRoutes(app, context);
  registerEventIngestRoutes(app, context);
  registerAuditRoutes(app, context);
  registerAnalyticsRoutes(app, context);
  registerTokenRoutes(app, context);
  registerWhoamiRoutes(app, context);
  registerPrometheusRoutes(app, context);
  registerGatewayRoutes(app, {
    runtime: context.switchyard,
    authorize: requirePermission('gateway'),
    clock: context.clock,
    corsOrigins: context.corsOrigins,
    providerTypes: context.providerTypes,
    routes: context.modelRoutes,
  });
  describeGatewayRoutes(context);
  registerDocsRoutes(app, context, version);
  registerDashboardRoutes(app, context);
}
