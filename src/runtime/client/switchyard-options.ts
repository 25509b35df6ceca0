import { z } from 'zod';
import { type ConfigProblem, InvalidConfigError } from '../../core/errors.js';
import { zodProblems } from '../../core/validate-feature.js';
import { privacySchema } from '../../store/unit-pseudonyms.js';

const functionSchema = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
  message: 'must be a function',
});

/** Options of `createSwitchyard`, validated so a mistake names its field. */
export const switchyardOptionsSchema = z.strictObject({
  /** Store URL or an open Store; default `sqlite:./switchyard.db`. */
  store: z
    .union([z.string().min(1), z.custom<object>((value) => typeof value === 'object' && value !== null)])
    .optional(),
  /** A Switchyard server to follow instead of a store; goes with `token`. */
  server: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:4280' })
    .optional(),
  /** API token for `server`. */
  token: z
    .string()
    .regex(/^sy_[A-Za-z0-9]+_[A-Za-z0-9_-]+$/, 'must be an API token such as sy_<id>_<secret>')
    .optional(),
  /** Timeouts and reconnect waits of the connection to `server`. */
  remote: z
    .strictObject({
      requestTimeoutMs: z.int().min(100).max(600_000).optional(),
      streamIdleTimeoutMs: z.int().min(100).max(3_600_000).optional(),
      reconnectInitialDelayMs: z.int().min(1).max(600_000).optional(),
      reconnectMaxDelayMs: z.int().min(1).max(3_600_000).optional(),
    })
    .optional(),
  /** Redis URL: shared cache and counters across processes. */
  redis: z.string().min(1).optional(),
  redisKeyPrefix: z.string().min(1).max(200).optional(),
  /**
   * Built-in provider settings or AI SDK provider instances; each is checked by the provider registry
   * against `providerOptionsSchema`, the one schema that `serve`'s config file uses too.
   */
  providers: z.record(z.string().min(1), z.unknown()).default({}),
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
  /**
   * `{ unitIds: 'hashed', key }`: unit ids are stored as HMAC-SHA256 pseudonyms in the store this client
   * opens and in its limit counters (docs/privacy.md); default clear.
   */
  privacy: privacySchema.optional(),
});

/** Validates client options, throwing INVALID_CONFIG that names every wrong field. */
export function parseSwitchyardOptions(options: unknown): z.output<typeof switchyardOptionsSchema> {
  const parsed = switchyardOptionsSchema.safeParse(options ?? {});
  const problems = [...(parsed.success ? [] : zodProblems(parsed.error)), ...modeProblems(options)];
  if (!parsed.success || problems.length > 0) throw new InvalidConfigError('invalid options', problems);
  return parsed.data;
}

/** Fields that only make sense in one mode: a store of its own, or a server to follow. */
const STORE_ONLY: Record<string, string> = {
  store: 'cannot be used with server: the server owns the store',
  features: "cannot be used with server: create and change features through the server's API or CLI",
  refreshIntervalMs: 'cannot be used with server: the server pushes each change as it happens',
};

/** Problems of options that mix the two modes (store or server), or give half of the server pair. */
function modeProblems(options: unknown): ConfigProblem[] {
  if (typeof options !== 'object' || options === null) return [];
  const given = (field: string) => (options as Record<string, unknown>)[field] !== undefined;
  const problems: ConfigProblem[] = [];
  if (given('server') && !given('token'))
    problems.push({ path: 'token', message: 'is required with server' });
  if (given('token') && !given('server'))
    problems.push({ path: 'server', message: 'is required with token' });
  if (given('remote') && !given('server'))
    problems.push({ path: 'remote', message: 'applies only with server' });
  if (given('server')) {
    for (const [field, message] of Object.entries(STORE_ONLY)) {
      if (given(field)) problems.push({ path: field, message });
    }
  }
  return problems;
}
