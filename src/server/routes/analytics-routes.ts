import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { FeatureNotFoundError, InvalidInputError } from '../../core/errors.js';
import { exportEvents, parseExportFormat } from '../analytics/export-events.js';
import { metricsToCsv } from '../analytics/metrics-to-csv.js';
import {
  parseEventFilterParams,
  parseMetricsParams,
  parseStatsParams,
  type QueryParams,
} from '../analytics/parse-analytics-params.js';
import { defineRoute } from '../define-route.js';
import type { ServerContext } from '../server-context.js';

const timeRange = {
  from: z
    .string()
    .optional()
    .describe('epoch ms, ISO 8601 date-time or date (alias `start`); default a day ago'),
  to: z.string().optional().describe('exclusive end, same forms (alias `end`); default now'),
};
const eventFilter = z.object({
  type: z.enum(['decision', 'call', 'feedback']).optional(),
  feature: z.string().optional(),
  variant: z.string().optional(),
  requestId: z.string().optional(),
  ...timeRange,
});
const eventsQuery = eventFilter.extend({
  limit: z.string().optional().describe('1 to 1000, default 100'),
  cursor: z.string().optional().describe('the `nextCursor` of the previous page'),
});
const exportQuery = eventFilter.extend({ format: z.enum(['csv', 'json', 'ndjson']).optional() });
const metricsQuery = z.object({
  ...timeRange,
  interval: z
    .string()
    .optional()
    .describe('bucket size: milliseconds or 30s, 5m, 1h, 1d; default <= 200 buckets'),
  format: z.enum(['json', 'csv']).optional(),
});
/**
 * CSV over HTTP is for spreadsheets, and any `sdk` token can write event text: a cell starting with `=`,
 * `+`, `-`, `@`, tab or CR gets a leading `'` so no spreadsheet evaluates it (OWASP CSV injection).
 */
const SPREADSHEET_SAFE = { escapeFormulas: true } as const;
const statsQuery = z.object({ ...timeRange, feature: z.string().optional() });

/**
 * Registers the analytics endpoints the field reports asked for: `GET /api/events` (paged), `GET /api/export`
 * (CSV, JSON or NDJSON, streamed in constant memory), `GET /api/metrics/:feature` (per variant and interval)
 * and `GET /api/stats` (totals per feature and variant). Metric definitions are in docs/metrics.md.
 */
export function registerAnalyticsRoutes(app: FastifyInstance, context: ServerContext): void {
  defineRoute(app, context, {
    method: 'GET',
    url: '/api/events',
    permission: 'read',
    tag: 'analytics',
    summary: 'Telemetry events, oldest first, filtered and paged by cursor',
    query: eventsQuery,
    errors: [400],
    handler: async (request) => {
      const params = request.query as QueryParams;
      const limit = params.limit === undefined ? undefined : Number(params.limit);
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 1_000)) {
        throw new InvalidInputError('limit', 'must be a whole number from 1 to 1000');
      }
      const cursor = typeof params.cursor === 'string' && params.cursor !== '' ? params.cursor : undefined;
      return context.store.listEvents({
        ...parseEventFilterParams(params),
        ...(limit === undefined ? {} : { limit }),
        ...(cursor === undefined ? {} : { cursor }),
      });
    },
  });

  defineRoute(app, context, {
    method: 'GET',
    url: '/api/export',
    permission: 'read',
    tag: 'analytics',
    summary: 'Export telemetry events as CSV, JSON or NDJSON, streamed',
    description:
      "CSV cells that start with `=`, `+`, `-`, `@`, tab or carriage return get a leading `'`, so a " +
      'spreadsheet shows them as text instead of evaluating them; JSON and NDJSON carry the text as stored.',
    query: exportQuery,
    response: { type: 'text/csv', description: 'the events in the requested format, as a download' },
    errors: [400],
    handler: async (request, reply) => {
      const params = request.query as QueryParams;
      const format = parseExportFormat(params.format);
      const file = exportEvents(
        format,
        context.store.streamEvents(parseEventFilterParams(params)),
        undefined,
        SPREADSHEET_SAFE,
      );
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .send(Readable.from(file.body));
    },
  });

  defineRoute(app, context, {
    method: 'GET',
    url: '/api/metrics/:feature',
    permission: 'read',
    tag: 'analytics',
    summary: "A feature's metrics per variant and interval",
    description:
      'Requests, error, fallback, cache-hit and parse-error rates, latency p50/p95/p99 (mergeable sketches), ' +
      'tokens, cost, acceptance and cost per accepted answer; `format=csv` for a spreadsheet.',
    params: z.object({ feature: z.string() }),
    query: metricsQuery,
    errors: [400, 404],
    handler: async (request, reply) => {
      const { feature } = request.params as { feature: string };
      const params = request.query as QueryParams;
      if (!(await context.store.getFeature(feature, { includeArchived: true }))) {
        throw new FeatureNotFoundError(feature);
      }
      const metrics = await context.store.metricsByVariant(
        parseMetricsParams({ ...params, feature }, context.clock()),
      );
      if (params.format === 'csv') {
        return reply
          .header('content-type', 'text/csv; charset=utf-8; header=present')
          .send(metricsToCsv(metrics, SPREADSHEET_SAFE));
      }
      if (params.format !== undefined && params.format !== 'json') {
        throw new InvalidInputError('format', 'must be json or csv');
      }
      return metrics;
    },
  });

  defineRoute(app, context, {
    method: 'GET',
    url: '/api/stats',
    permission: 'read',
    tag: 'analytics',
    summary: 'Totals per feature and variant for a time range',
    query: statsQuery,
    errors: [400],
    handler: async (request) =>
      context.store.statsTotals(parseStatsParams(request.query as QueryParams, context.clock())),
  });
}
