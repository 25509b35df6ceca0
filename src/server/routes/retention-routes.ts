import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoute } from '../define-route.js';
import { actorOf } from '../http/change-of.js';
import type { ServerContext } from '../server-context.js';

const cutoffSchema = z.number().nullable();

/** What `POST /api/retention/run` removed. */
export const retentionResultSchema = z.object({
  deleted: z.object({
    events: z.int().describe('events deleted: older than the `events` window'),
    audit: z.int().describe('audit entries deleted: older than the `audit` window'),
  }),
  scrubbed: z.object({
    events: z.int().describe('call events whose stored prompt and output were removed: older than `content`'),
  }),
  before: z
    .object({ events: cutoffSchema, content: cutoffSchema, audit: cutoffSchema })
    .describe('the cutoffs applied (epoch ms; what is older goes), null for a window not configured'),
});

/** Registers `POST /api/retention/run`: the server's retention pass, now. */
export function registerRetentionRoutes(app: FastifyInstance, context: ServerContext): void {
  defineRoute(app, context, {
    method: 'POST',
    url: '/api/retention/run',
    permission: 'admin',
    tag: 'privacy',
    summary: 'Run retention now',
    description:
      "Applies the server's `retention` windows at once, as the hourly pass does: deletes events older than " +
      '`events` and audit entries older than `audit`, and removes stored prompts and outputs from call ' +
      'events older than `content`, in batches. Audited as `retention.run` by the caller, with the counts. ' +
      'Without any window configured nothing is removed and every cutoff is null.',
    response: { schema: retentionResultSchema },
    errors: [],
    handler: async (request) => context.retention.run(actorOf(request)),
  });
}
