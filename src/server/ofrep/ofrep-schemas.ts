import { z } from 'zod';

const metadataSchema = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .describe('`switchyardReason`, `ruleId`, `bucket` (splits), `version`, `switchyardErrorCode` (failures)');

/** The body of both OFREP evaluation requests. */
export const ofrepRequestSchema = z.strictObject({
  context: z
    .object({
      targetingKey: z
        .string()
        .optional()
        .describe('the unit: becomes `userId` unless the context carries its own `userId`'),
    })
    .catchall(z.unknown())
    .describe('targeting attributes, as `attributes` of `POST /api/decide`'),
});

/** One successful OFREP evaluation. */
export const ofrepSuccessSchema = z.object({
  key: z.string(),
  value: z.unknown().describe("the variant's payload when it has one, else the variant key"),
  reason: z.enum(['STATIC', 'TARGETING_MATCH', 'SPLIT', 'DISABLED', 'DEFAULT']),
  variant: z.string(),
  metadata: metadataSchema,
});

/** One failed OFREP evaluation. */
export const ofrepFailureSchema = z.object({
  key: z.string(),
  errorCode: z.enum(['FLAG_NOT_FOUND', 'INVALID_CONTEXT', 'PARSE_ERROR', 'GENERAL']),
  errorDetails: z.string(),
  metadata: metadataSchema.optional(),
});

/** The bulk evaluation answer. */
export const ofrepBulkSchema = z.object({
  flags: z.array(z.union([ofrepSuccessSchema, ofrepFailureSchema])),
  eventStreams: z.array(
    z.object({
      type: z.literal('sse'),
      endpoint: z.object({ requestUri: z.string() }),
      inactivityDelaySec: z.int(),
    }),
  ),
});

/** The query of the bulk evaluation: the change notice that triggered the re-fetch, when one did. */
export const ofrepBulkQuerySchema = z.strictObject({
  flagConfigEtag: z
    .string()
    .regex(/^\d{1,15}$/, 'must be the etag of a refetchEvaluation event')
    .optional()
    .describe('the `etag` of the refetchEvaluation event: the answer reflects at least that config'),
});

/** The query of the event stream. */
export const ofrepEventsQuerySchema = z.strictObject({
  access: z
    .string()
    .optional()
    .describe('signed credential from the bulk answer, for clients that cannot send headers'),
});
