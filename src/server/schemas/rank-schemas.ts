import { z } from 'zod';
import { DECISION_REASONS } from '../../core/decision.js';
import { MAX_ITEM_TEXT, MAX_RANK_ITEMS } from '../../runtime/personalization/check-rank-request.js';
import { evaluationContextSchema } from './request-schemas.js';

const attributeValueSchema = z.union([z.string().min(1).max(MAX_ITEM_TEXT), z.number(), z.boolean()]);

const rankItemSchema = z.strictObject({
  id: z.string().min(1).max(MAX_ITEM_TEXT).describe('unique among the items'),
  attributes: z
    .record(z.string(), attributeValueSchema)
    .optional()
    .describe('labels profiles learn affinities for: { category: "music", source: "rag" }'),
});

/** `POST /api/rank` body. */
export const rankBodySchema = z.strictObject({
  feature: z.string().min(1).max(200),
  context: evaluationContextSchema.optional(),
  items: z
    .array(rankItemSchema)
    .min(1)
    .max(MAX_RANK_ITEMS)
    .describe("candidates in the caller's order, which the control (`strategy: original`) keeps"),
  limit: z.int().min(1).optional().describe('return only the first items of the order'),
});

/** `POST /api/rank` answer. */
export const rankResultSchema = z.object({
  requestId: z.string().describe('name it in `POST /api/feedback`'),
  items: z.array(rankItemSchema.extend({ score: z.number().nullable() })),
  variant: z.string(),
  reason: z.enum(DECISION_REASONS),
  strategy: z.enum(['original', 'personalized']),
  mode: z.enum(['serve', 'observe']),
});

/** `POST /api/feedback` body: what `sy.feedback()` takes, for a request this server ran or ranked. */
export const feedbackBodySchema = z.strictObject({
  requestId: z.string().min(1).max(128),
  feature: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('required when this server no longer remembers the request'),
  accepted: z.boolean().optional(),
  itemId: z.string().min(1).max(MAX_ITEM_TEXT).optional().describe('the ranked item `accepted` judges'),
  selectedItem: z.string().min(1).max(MAX_ITEM_TEXT).optional().describe('the ranked item the unit chose'),
  selectedVariant: z.string().min(1).max(64).optional(),
  rating: z.number().optional(),
  metric: z.string().min(1).max(100).optional().describe('a named numeric outcome, with value'),
  value: z.number().optional(),
});

/** `POST /api/feedback` answer. */
export const feedbackAcceptedSchema = z.object({ requestId: z.string() });

/** `GET /api/profiles/:feature` query: one profile, by the unit or a `by` attribute, else the global one. */
export const profileQuerySchema = z
  .object({
    unit: z
      .string()
      .min(1)
      .max(MAX_ITEM_TEXT)
      .optional()
      .describe('the unit (the first `learn.by` attribute); or name another `by` attribute: `tenant=acme`'),
  })
  .catchall(z.string().min(1).max(MAX_ITEM_TEXT));

/** `GET /api/profiles/:feature` answer. */
export const profileSchema = z.object({
  feature: z.string(),
  scope: z.string().describe('the `by` attribute, or `*` for the global profile'),
  profile: z.string(),
  at: z.number().describe('the time the weights are decayed to, epoch ms'),
  entries: z.array(
    z.object({
      attribute: z.string(),
      value: z.string(),
      successes: z.number().describe('decayed to `at`'),
      failures: z.number().describe('decayed to `at`'),
      affinity: z.number().describe('posterior mean of Beta(1 + successes, 1 + failures)'),
      updatedAt: z.number(),
    }),
  ),
});
