import { z } from 'zod';
import { EXPERIMENT_STATUSES } from '../../core/experiment-config.js';
import { auditEntrySchema, storedFeatureSchema } from './response-schemas.js';

/** `:key` of the experiment routes. */
export const experimentKeyParamsSchema = z.strictObject({ key: z.string().min(1).max(200) });

/** `GET /api/experiments` filters. */
export const experimentListQuerySchema = z.strictObject({
  feature: z.string().min(1).max(100).optional(),
  status: z.enum(EXPERIMENT_STATUSES).optional(),
});

/** Body of `start`, `pause`, `resume` and `stop`. */
export const transitionBodySchema = z.strictObject({
  reason: z.string().min(1).max(2_000).optional().describe('why, recorded in the audit log'),
  version: z.int().min(1).optional().describe('the experiment version you read; 409 when it moved on'),
});

/** Body of `promote`: the winning variant. */
export const promoteBodySchema = transitionBodySchema.extend({
  variant: z.string().min(1).max(64).describe('the arm to serve to everyone the rule matches'),
});

/** `GET /api/experiments/:key/results` query: the end of the range for a live experiment. */
export const resultsQuerySchema = z.strictObject({
  at: z.coerce.number().int().min(0).optional().describe('analyse up to this time (epoch ms); default now'),
});

/** `POST /api/assignments`: a lookup, or an assign-once when `variant` and `seed` are given. */
export const assignmentBodySchema = z
  .strictObject({
    experiment: z.string().min(1).max(100),
    unitId: z.string().min(1).max(500),
    variant: z.string().min(1).max(64).optional(),
    seed: z.string().min(1).max(200).optional(),
  })
  .refine((body) => (body.variant === undefined) === (body.seed === undefined), {
    message: 'variant and seed go together',
    path: ['seed'],
  });

/** An experiment as stored. */
export const storedExperimentSchema = z.object({
  key: z.string(),
  feature: z.string(),
  config: z.record(z.string(), z.unknown()),
  status: z.enum(EXPERIMENT_STATUSES),
  version: z.int(),
  createdAt: z.int(),
  updatedAt: z.int(),
  startedAt: z.int().nullable(),
  endedAt: z.int().nullable(),
  winner: z.string().nullable(),
  weightHistory: z.array(z.object({ at: z.int(), weights: z.record(z.string(), z.number()) })),
});

/** What a transition wrote: the experiment and, when it changed, the feature. */
export const transitionResultSchema = z.object({
  experiment: storedExperimentSchema,
  feature: storedFeatureSchema.optional(),
});

/** `GET /api/experiments/:key/results`. */
export const experimentResultsSchema = z.object({
  experiment: storedExperimentSchema,
  range: z.object({ from: z.int(), to: z.int() }).nullable(),
  analysis: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe(
      'per arm and metric: values, intervals, lifts, p-values (raw and adjusted), verdicts, SRM, power',
    ),
});

/** An assignment, or null when the unit has none. */
export const assignmentResultSchema = z.object({
  assignment: z
    .object({
      experiment: z.string(),
      unitId: z.string(),
      variant: z.string(),
      seed: z.string(),
      at: z.int(),
    })
    .nullable(),
});

/** The audit trail of an experiment. */
export const experimentHistorySchema = z.object({
  entries: z.array(auditEntrySchema),
  nextCursor: z.string().nullable(),
});
