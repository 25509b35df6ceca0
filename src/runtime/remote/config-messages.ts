import { z } from 'zod';

const configFeatureSchema = z.object({
  key: z.string().min(1),
  version: z.int().nonnegative(),
  revision: z.int().nonnegative(),
  // Checked in depth by compileFeature, which keeps the last good version of a config that fails.
  config: z.record(z.string(), z.unknown()),
});

/** `GET /api/config` and the stream's `config` event: every live feature and the revision they reflect. */
export const configDocumentSchema = z.object({
  revision: z.int().nonnegative(),
  features: z.array(configFeatureSchema),
});

/** The stream's `change` event: features written since the last event, removed ones flagged `archived`. */
export const configChangeSchema = z.object({
  revision: z.int().nonnegative(),
  features: z.array(configFeatureSchema.extend({ archived: z.boolean() })),
});

/** A config document as the server sends it. */
export type ConfigDocumentMessage = z.output<typeof configDocumentSchema>;

/** A config change as the server sends it. */
export type ConfigChangeMessage = z.output<typeof configChangeSchema>;
