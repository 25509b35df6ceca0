import { z } from 'zod';
import { InvalidConfigError } from '../../core/errors.js';
import { zodProblems } from '../../core/validate-feature.js';

const providerSchema = z.strictObject({
  type: z.enum(['openai', 'anthropic', 'google', 'openai-compatible']),
  apiKey: z.string().optional(),
  baseURL: z.url().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

const functionSchema = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
  message: 'must be a function',
});

/** Options of `createSwitchyard`, validated so a mistake names its field. */
export const switchyardOptionsSchema = z.strictObject({
  /** Store URL or an open Store; default `sqlite:./switchyard.db`. */
  store: z
    .union([z.string().min(1), z.custom<object>((value) => typeof value === 'object' && value !== null)])
    .optional(),
  /** Redis URL: shared cache and counters across processes. */
  redis: z.string().min(1).optional(),
  redisKeyPrefix: z.string().min(1).max(200).optional(),
  providers: z.record(z.string().min(1), providerSchema).default({}),
  pricing: z
    .record(
      z.string().min(1),
      z.strictObject({ inputPerMTok: z.number().min(0), outputPerMTok: z.number().min(0) }),
    )
    .optional(),
  /** Features applied at start when the store lacks them or holds an older version. */
  features: z.array(z.unknown()).optional(),
  handlers: z.record(z.string().min(1), functionSchema).optional(),
  guards: z.record(z.string().min(1), functionSchema).optional(),
  clock: functionSchema.optional(),
  random: functionSchema.optional(),
  /** How often to pick up changes made in the store by other processes; default 250 ms. */
  refreshIntervalMs: z.int().min(10).max(60_000).optional(),
  cache: z.strictObject({ maxEntries: z.int().min(1).max(10_000_000).optional() }).optional(),
  telemetry: z
    .strictObject({
      enabled: z.boolean().optional(),
      maxBuffer: z.int().min(1).optional(),
      batchSize: z.int().min(1).optional(),
      flushIntervalMs: z.int().min(10).optional(),
      /** Flush and close on SIGTERM and SIGINT; default true. */
      flushOnSignals: z.boolean().optional(),
    })
    .optional(),
  onError: functionSchema.optional(),
});

/** Validates client options, throwing INVALID_CONFIG that names every wrong field. */
export function parseSwitchyardOptions(options: unknown): z.output<typeof switchyardOptionsSchema> {
  const parsed = switchyardOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) throw new InvalidConfigError('invalid options', zodProblems(parsed.error));
  return parsed.data;
}
