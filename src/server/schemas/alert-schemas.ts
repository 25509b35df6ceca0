import { z } from 'zod';

/** `:id` of the alert routes. */
export const alertIdParamsSchema = z.strictObject({ id: z.string().min(1).max(100) });

/** `GET /api/alerts` query: exact-match filters, a half-open window on when alerts opened, keyset pages. */
export const alertQuerySchema = z.strictObject({
  status: z.enum(['open', 'resolved']).optional(),
  feature: z.string().min(1).max(200).optional(),
  experiment: z.string().min(1).max(200).optional(),
  from: z.coerce.number<string>().int().min(0).optional().describe('opened at or after, epoch ms'),
  to: z.coerce.number<string>().int().min(0).optional().describe('opened before, epoch ms'),
  limit: z.coerce.number<string>().int().min(1).max(1_000).optional().describe('page size, 1 to 1000'),
  cursor: z.string().min(1).max(500).optional().describe('the nextCursor of the previous page'),
});

/** Body of `POST /api/alerts/:id/resolve`. */
export const resolveAlertBodySchema = z.strictObject({
  reason: z.string().min(1).max(2_000).optional().describe('why, recorded in the audit log'),
});

/** One alert, with the evidence its rule recorded. */
export const alertSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  feature: z.string(),
  experiment: z.string().nullable(),
  variant: z.string().nullable(),
  metric: z.string(),
  severity: z.enum(['warning', 'critical']),
  status: z.enum(['open', 'resolved']),
  action: z.string(),
  openedAt: z.int(),
  updatedAt: z.int(),
  resolvedAt: z.int().nullable(),
  evidence: z.record(z.string(), z.unknown()),
  occurrences: z.int(),
});

/** A page of alerts, newest first. */
export const alertPageSchema = z.object({ alerts: z.array(alertSchema), nextCursor: z.string().nullable() });

/** Body of `POST /api/features/:key/ramp/{pause,resume}`. */
export const rampBodySchema = resolveAlertBodySchema;
