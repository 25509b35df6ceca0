import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { retentionSettingsSchema } from '../../control/retention/retention-settings.js';
import { type ConfigProblem, InvalidConfigError } from '../../core/errors.js';
import type { FeatureConfig } from '../../core/feature-config.js';
import { validateFeature, zodProblems } from '../../core/validate-feature.js';
import { providerOptionsSchema } from '../../runtime/providers/provider-registry.js';
import { privacySchema } from '../../store/unit-pseudonyms.js';
import { monitorSettingsSchema } from '../monitor/monitor-settings.js';
import { requestRateSchema } from '../ofrep/token-bucket-limiter.js';
import { corsOriginSchema, modelRoutesSchema } from '../server-options.js';
import { expandEnv } from './expand-env.js';

/** The `switchyard serve` config file (YAML or JSON); every field is optional. */
export const serverConfigSchema = z.strictObject({
  /** Interface to listen on; `--host` wins. */
  host: z.string().min(1).optional(),
  /** Port to listen on; `--port` wins. */
  port: z.int().min(0).max(65_535).optional(),
  /** Store URL; `--db` and SWITCHYARD_DB win. */
  store: z.string().min(1).optional(),
  /** Redis URL for shared cache and counters; `--redis` wins. */
  redis: z.string().min(1).optional(),
  /** Prefix of every Redis key; servers and SDKs that act as one use the same one. Default `switchyard:`. */
  redisKeyPrefix: z.string().min(1).max(200).optional(),
  /** LLM providers by name, as `createSwitchyard` takes them. */
  providers: z.record(z.string().min(1), providerOptionsSchema).optional(),
  /** Prices per million tokens by model, over the built-in table. */
  pricing: z
    .record(
      z.string().min(1),
      z.strictObject({ inputPerMTok: z.number().min(0), outputPerMTok: z.number().min(0) }),
    )
    .optional(),
  /** The guardrail monitor: `intervalMs` (default 10 s), `leaseMs`, `webhooks`, `enabled`. */
  monitor: monitorSettingsSchema.optional(),
  /** OFREP evaluations each token may make per server: `requestsPerSecond`, `burst`; unlimited when absent. */
  ofrepRateLimit: requestRateSchema.optional(),
  /** Features created at start when the store lacks them (updated only when they carry a higher version). */
  features: z.array(z.unknown()).optional(),
  /** Browser origins allowed to call the gateway (`origins: [https://app.example.com]`, or `*`); none by default. */
  cors: z.strictObject({ origins: z.array(corsOriginSchema) }).optional(),
  /** Raw model names the gateway serves, by feature (`gpt-4o-mini: coach-reply`; `"*"` for any other name). */
  routes: modelRoutesSchema.optional(),
  /** `unitIds: hashed` with `key: ${SWITCHYARD_UNIT_KEY}`: unit ids are stored as HMAC-SHA256 pseudonyms. */
  privacy: privacySchema.optional(),
  /** `events: 90d`, `content: 7d`, `audit: 400d`: what is removed once older; default kept forever. */
  retention: retentionSettingsSchema.optional(),
});

/** A validated config file; features are validated feature configs. */
export type ServerConfig = Omit<z.output<typeof serverConfigSchema>, 'features'> & {
  features?: FeatureConfig[];
};

/**
 * Reads, expands (`${ENV}`) and validates a config file, throwing INVALID_CONFIG that names every wrong
 * field (`providers.openai.apiKey: environment variable OPENAI_API_KEY is not set`).
 *
 * @example
 * const config = await loadServerConfig('switchyard.yaml', process.env);
 */
export async function loadServerConfig(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ServerConfig> {
  const subject = `invalid config ${path}`;
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new InvalidConfigError(subject, [
      { path: '', message: `cannot read it (${error.code ?? error.message})` },
    ]);
  });
  return parseServerConfig(text, env, subject);
}

/** Validates config text (YAML, which JSON is a subset of); see `loadServerConfig`. */
export function parseServerConfig(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  subject = 'invalid config',
): ServerConfig {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const [syntax] = document.errors;
  if (syntax) {
    throw new InvalidConfigError(subject, [
      { path: '', message: `not valid YAML or JSON: ${syntax.message.split('\n')[0]}` },
    ]);
  }
  const problems: ConfigProblem[] = [];
  const expanded = expandEnv(document.toJS({ maxAliasCount: 100 }) ?? {}, env, problems);
  if (problems.length > 0) throw new InvalidConfigError(subject, problems);
  const parsed = serverConfigSchema.safeParse(expanded);
  if (!parsed.success) throw new InvalidConfigError(subject, zodProblems(parsed.error));
  const { features, ...rest } = parsed.data;
  if (features === undefined) return rest;
  const valid: FeatureConfig[] = [];
  const seen = new Set<string>();
  features.forEach((feature, index) => {
    const result = validateFeature(feature);
    if (!result.ok) {
      for (const problem of result.problems) {
        problems.push({
          path: `features[${index}]${problem.path ? `.${problem.path}` : ''}`,
          message: problem.message,
        });
      }
    } else if (seen.has(result.feature.key)) {
      problems.push({
        path: `features[${index}].key`,
        message: `duplicate feature key "${result.feature.key}"`,
      });
    } else {
      seen.add(result.feature.key);
      valid.push(result.feature);
    }
  });
  if (problems.length > 0) throw new InvalidConfigError(subject, problems);
  return { ...rest, features: valid };
}
