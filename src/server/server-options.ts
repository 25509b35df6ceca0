import { z } from 'zod';
import {
  type RetentionSettingsInput,
  retentionSettingsSchema,
} from '../control/retention/retention-settings.js';
import { InvalidConfigError } from '../core/errors.js';
import { FEATURE_KEY_PATTERN, type FeatureConfigInput } from '../core/feature-config.js';
import { zodProblems } from '../core/validate-feature.js';
import type { SwitchyardOptions } from '../runtime/client/create-switchyard.js';
import type { Store } from '../store/store.js';
import { type PrivacyInput, privacySchema } from '../store/unit-pseudonyms.js';
import { type MonitorSettingsInput, monitorSettingsSchema } from './monitor/monitor-settings.js';
import { type RequestRate, requestRateSchema } from './ofrep/token-bucket-limiter.js';

/** Options of `createServer`. */
export interface ServerOptions {
  /** Store URL (`sqlite:./switchyard.db` by default, `sqlite::memory:`, `postgres://…`) or an open Store. */
  store?: string | Store;
  /** Redis URL: cache and limit counters shared with every process that names it. */
  redis?: string;
  /** Prefix of every Redis key; servers (and SDK clients) that act as one use the same one. Default `switchyard:`. */
  redisKeyPrefix?: string;
  providers?: SwitchyardOptions['providers'];
  pricing?: SwitchyardOptions['pricing'];
  /** Features created at start when the store lacks them (or updated when they carry a higher version). */
  features?: FeatureConfigInput[];
  handlers?: SwitchyardOptions['handlers'];
  guards?: SwitchyardOptions['guards'];
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Port to listen on; default 4280, 0 for any free port. */
  port?: number;
  /**
   * The first admin token (`sy_<id>_<secret>`), stored when the store has no admin token yet; without it
   * one is generated then and returned as `adminToken`.
   */
  adminToken?: string;
  /** Epoch-ms clock for everything the server and its client stamp; default `Date.now`. */
  clock?: () => number;
  /** Fastify's logger: false (default) for none, true or pino options for JSON lines. */
  logger?: boolean | Record<string, unknown>;
  /** Largest request body in bytes; default 1 MiB (larger bodies get 413). */
  bodyLimit?: number;
  /** How often the config poller reads the store's changes; default 200 ms. */
  configPollIntervalMs?: number;
  /** Time between keep-alive comments on event streams; default 15 s. */
  keepAliveIntervalMs?: number;
  /** How long a token check is reused in this process; default 10 s. */
  tokenCacheTtlMs?: number;
  /** How long closing waits for in-flight requests before cutting their connections; default 25 s. */
  shutdownTimeoutMs?: number;
  /** How often running bandits are checked for a due re-weighing; default 10 s. */
  banditTickMs?: number;
  /** Uniform source in [0, 1) for bandit posterior draws; default `Math.random`. */
  random?: () => number;
  /** Options of the runtime client's telemetry writer (it never installs signal handlers here). */
  telemetry?: Omit<NonNullable<SwitchyardOptions['telemetry']>, 'flushOnSignals'>;
  /** The guardrail monitor: interval (default 10 s), lease, webhooks, or `enabled: false`. */
  monitor?: MonitorSettingsInput;
  /** The `fetch` webhooks are sent with; default the global one. */
  fetch?: typeof globalThis.fetch;
  /**
   * Browser access to the gateway (`/v1/*`): `origins` lists the origins allowed to call it
   * (`https://app.example.com`, or `*` for any). None by default: browsers' preflights get 403.
   */
  cors?: { origins: readonly string[] };
  /**
   * Raw model names the gateway serves, by feature: `{ "gpt-4o-mini": "coach-reply" }`, and `"*"` for any
   * other name. Without a route only `switchyard/<feature>` is served; other names get 404 `model_not_found`.
   */
  routes?: Readonly<Record<string, string>>;
  /**
   * `{ unitIds: 'hashed', key }`: the store keeps HMAC-SHA256 pseudonyms of unit ids (events from every SDK,
   * assignments) and the counters use them too (docs/privacy.md); default clear.
   */
  privacy?: PrivacyInput;
  /** OFREP evaluation requests each token may make on this server (429 with Retry-After beyond); unlimited by default. */
  ofrepRateLimit?: RequestRate;
  /**
   * How long events, stored prompts and outputs, and audit entries are kept (`{ events: '90d', content: '7d',
   * audit: '400d' }`); applied at start and hourly on one server per store. Default: kept forever.
   */
  retention?: RetentionSettingsInput;
}

const functionSchema = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
  message: 'must be a function',
});

/** An origin of the gateway's CORS allow-list: `scheme://host[:port]` as browsers send it, or `*`. */
export const corsOriginSchema = z
  .string()
  .regex(
    /^(?:\*|https?:\/\/[^/\s?#]+)$/,
    'must be an origin such as https://app.example.com (no path), or *',
  );

/** Raw model names to feature keys (`*` for any other name). */
export const modelRoutesSchema = z.record(
  z.string().min(1).max(200),
  z.string().regex(FEATURE_KEY_PATTERN, 'must be a feature key'),
);

const serverOptionsSchema = z.strictObject({
  store: z
    .union([z.string().min(1), z.custom<object>((value) => typeof value === 'object' && value !== null)])
    .optional(),
  redis: z.string().min(1).optional(),
  redisKeyPrefix: z.string().min(1).max(200).optional(),
  // Checked in depth by the runtime client, which names each field.
  providers: z.record(z.string(), z.unknown()).optional(),
  pricing: z.record(z.string(), z.unknown()).optional(),
  features: z.array(z.unknown()).optional(),
  handlers: z.record(z.string(), functionSchema).optional(),
  guards: z.record(z.string(), functionSchema).optional(),
  host: z.string().min(1).optional(),
  port: z.int().min(0).max(65_535).optional(),
  adminToken: z.string().optional(),
  clock: functionSchema.optional(),
  logger: z.union([z.boolean(), z.record(z.string(), z.unknown())]).optional(),
  bodyLimit: z.int().min(1_024).max(1_073_741_824).optional(),
  configPollIntervalMs: z.int().min(10).max(60_000).optional(),
  keepAliveIntervalMs: z.int().min(10).max(3_600_000).optional(),
  tokenCacheTtlMs: z.int().min(0).max(3_600_000).optional(),
  shutdownTimeoutMs: z.int().min(0).max(3_600_000).optional(),
  telemetry: z.record(z.string(), z.unknown()).optional(),
  banditTickMs: z.int().min(10).max(3_600_000).optional(),
  random: functionSchema.optional(),
  monitor: monitorSettingsSchema.optional(),
  fetch: functionSchema.optional(),
  cors: z.strictObject({ origins: z.array(corsOriginSchema) }).optional(),
  routes: modelRoutesSchema.optional(),
  privacy: privacySchema.optional(),
  ofrepRateLimit: requestRateSchema.optional(),
  retention: retentionSettingsSchema.optional(),
});

/** Checks `createServer` options, throwing INVALID_CONFIG that names every wrong field. */
export function checkServerOptions(options: unknown): void {
  const parsed = serverOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) throw new InvalidConfigError('invalid server options', zodProblems(parsed.error));
}
