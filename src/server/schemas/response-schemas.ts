import { z } from 'zod';
import { DECISION_REASONS } from '../../core/decision.js';
import { featureConfigSchema } from '../../core/feature-config.js';
import { ROLES } from '../auth/permissions.js';

/** A feature as the API returns it. */
export const storedFeatureSchema = z.object({
  key: z.string(),
  version: z.int(),
  config: featureConfigSchema,
  archived: z.boolean(),
  revision: z.int(),
  createdAt: z.int().describe('epoch milliseconds'),
  updatedAt: z.int().describe('epoch milliseconds'),
});

/** `GET /api/features`. */
export const featureListSchema = z.object({ features: z.array(storedFeatureSchema) });

/** What `kill`, `enable` and `disable` did. */
export const switchResultSchema = z.object({
  feature: storedFeatureSchema,
  changed: z.boolean().describe('false when the feature was in that state already'),
});

/** One audit entry. */
export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.int(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string().nullable(),
});

/** A page of audit entries, newest first. */
export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  nextCursor: z.string().nullable(),
});

/** A Decision. */
export const decisionSchema = z.object({
  feature: z.string(),
  variant: z.string(),
  payload: z.unknown(),
  reason: z.enum(DECISION_REASONS),
  ruleId: z.string().nullable(),
  bucket: z.number().nullable(),
  version: z.int(),
  errorCode: z.enum(['INVALID_CONTEXT', 'UNKNOWN_OVERRIDE_VARIANT', 'EVALUATION_FAILED']).optional(),
  errorMessage: z.string().optional(),
});

const configFeatureSchema = z.object({
  key: z.string(),
  version: z.int(),
  revision: z.int(),
  config: featureConfigSchema,
});

/** `GET /api/config` and the stream's `config` event. */
export const configDocumentSchema = z.object({
  revision: z.int().describe('highest feature revision reflected'),
  features: z.array(configFeatureSchema).describe('live features, by key'),
});

/** The stream's `change` event: features written since the previous event; archived ones are gone. */
export const configChangeSchema = z.object({
  revision: z.int(),
  features: z.array(configFeatureSchema.extend({ archived: z.boolean() })),
});

/** A token as listed: never the secret or its hash. */
export const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  createdAt: z.int(),
  revokedAt: z.int().nullable(),
  lastUsedAt: z.int().nullable(),
});

/** `GET /api/tokens`. */
export const tokenListSchema = z.object({ tokens: z.array(tokenSchema) });

/** `POST /api/tokens`: the listing plus the token itself, shown this once. */
export const issuedTokenSchema = tokenSchema.extend({
  token: z.string().describe('sy_<id>_<secret>; store it now, it is never shown again'),
});

const checkSchema = z.object({
  status: z.enum(['ok', 'degraded', 'error', 'disabled']),
  message: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** `GET /health`. */
export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'error']),
  checks: z.record(z.string(), checkSchema),
});

/** Every error answer. */
export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    path: z.string().optional(),
    problems: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
