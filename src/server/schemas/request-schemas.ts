import { z } from 'zod';
import { NAME_PATTERN } from '../../core/feature-config.js';
import { ROLES } from '../auth/permissions.js';

/** `:key` of the feature routes. */
export const featureKeyParamsSchema = z.strictObject({ key: z.string().min(1).max(200) });

/** `:id` of the token routes. */
export const tokenIdParamsSchema = z.strictObject({ id: z.string().min(1).max(100) });

const reasonSchema = z.string().min(1).max(2_000).describe('why, recorded in the audit log');

/** `?reason=` on the feature writes whose body is the config itself. */
export const changeQuerySchema = z.strictObject({ reason: reasonSchema.optional() });

/** `GET /api/features` query. */
export const listFeaturesQuerySchema = z.strictObject({
  archived: z.enum(['true', 'false']).optional().describe('include archived features'),
});

const limitSchema = z.coerce.number<string>().int().min(1).max(1_000).describe('page size, 1 to 1000');
const cursorSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'must be the nextCursor of a previous page')
  .describe('the nextCursor of the previous page');

/** Epoch milliseconds or an ISO 8601 date, as a query value. */
const instantSchema = z
  .string()
  .describe('epoch milliseconds or an ISO 8601 date')
  .transform((value, context) => {
    const time = /^[0-9]{1,16}$/.test(value) ? Number(value) : Date.parse(value);
    if (Number.isNaN(time)) {
      context.addIssue({ code: 'custom', message: 'must be epoch milliseconds or an ISO 8601 date' });
      return z.NEVER;
    }
    return time;
  });

/** `GET /api/features/:key/history` query. */
export const historyQuerySchema = z.strictObject({
  limit: limitSchema.optional(),
  cursor: cursorSchema.optional(),
});

/** `GET /api/audit` query: exact-match filters, a half-open time window and keyset pages. */
export const auditQuerySchema = z.strictObject({
  target: z.string().min(1).max(300).optional().describe('`kind:name`, e.g. feature:coach-reply'),
  actor: z.string().min(1).max(300).optional().describe('e.g. token:ci or cli'),
  action: z.string().min(1).max(100).optional().describe('e.g. feature.kill'),
  from: instantSchema.optional().describe('inclusive lower bound'),
  to: instantSchema.optional().describe('exclusive upper bound'),
  limit: limitSchema.optional(),
  cursor: cursorSchema.optional(),
});

/** Body of `kill`, `enable` and `disable`. */
export const switchBodySchema = z.strictObject({
  reason: reasonSchema.optional(),
  version: z.int().min(1).optional().describe('the version you read; 409 when it moved on'),
});

/** A decision context, checked as the CLI checks `--context`: only `attributes` and `overrides`. */
export const evaluationContextSchema = z.strictObject({
  attributes: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('unit attributes: userId, tier, tenant, ...'),
  overrides: z.record(z.string(), z.string()).optional().describe('forced variants by feature key (QA)'),
});

/** `POST /api/decide` body. */
export const decideBodySchema = z.strictObject({
  feature: z.string().min(1).max(200),
  context: evaluationContextSchema.optional(),
});

/** `POST /api/tokens` body. */
export const createTokenBodySchema = z.strictObject({
  name: z
    .string()
    .regex(NAME_PATTERN, 'must be 1-64 letters, digits, "-", "_" or ".", starting with a letter or digit')
    .describe('unique among live tokens; audit entries name the token by it'),
  role: z.enum(ROLES),
});

/** `GET /api/tokens` query. */
export const listTokensQuerySchema = z.strictObject({
  revoked: z.enum(['true', 'false']).optional().describe('include revoked tokens'),
});
