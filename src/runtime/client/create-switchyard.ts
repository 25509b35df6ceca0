import { Redis } from 'ioredis';
import type { FeatureConfigInput } from '../../core/feature-config.js';
import type { Store } from '../../store/store.js';
import { type PrivacyInput, unitPseudonymizer } from '../../store/unit-pseudonyms.js';
import { createCache } from '../cache/cache.js';
import { createMemoryCacheStore } from '../cache/memory/memory-cache-store.js';
import { createRedisCacheStore } from '../cache/redis/redis-cache-store.js';
import { createMemoryCounters } from '../counters/memory/memory-counters.js';
import {
  createOutageTolerantCounters,
  FAIL_FAST_REDIS_OPTIONS,
} from '../counters/outage-tolerant-counters.js';
import { createRedisCounters } from '../counters/redis/redis-counters.js';
import { createIdGenerator } from '../ids/create-id-generator.js';
import { ProfileBook } from '../personalization/profile-book.js';
import { RankingMemory } from '../personalization/ranking-memory.js';
import { storeProfiles } from '../personalization/store-profiles.js';
import { createPricing } from '../providers/pricing.js';
import { createProviderRegistry, type ProviderEntry } from '../providers/provider-registry.js';
import { createResilience } from '../resilience/resilience.js';
import { flushOnSignals } from '../telemetry/flush-on-signals.js';
import { createTelemetryWriter } from '../telemetry/telemetry-writer.js';
import { createExperimentAssignments } from './experiment-assignments.js';
import { openFeatureSource, type RemoteOptions } from './open-feature-source.js';
import { RequestLog } from './request-log.js';
import type { VariantHandler } from './run-types.js';
import type { OutputGuard, RuntimeServices } from './runtime-services.js';
import { createSwitchyardClient, type Switchyard } from './switchyard-client.js';
import { parseSwitchyardOptions } from './switchyard-options.js';

/** Options of `createSwitchyard`. */
export interface SwitchyardOptions {
  /** Store URL (`sqlite:./switchyard.db` by default, `sqlite::memory:`, `postgres://…`) or an open Store. */
  store?: string | Store;
  /**
   * A Switchyard server's URL (`http://127.0.0.1:4280`), with `token`: the client then has no store; it
   * follows the server's config and sends telemetry there (docs/decisions/0007-remote-sdk.md).
   */
  server?: string;
  /** API token for `server` (`sy_<id>_<secret>`, role `sdk` or above). */
  token?: string;
  /** Timeouts and reconnect waits of the connection to `server`. */
  remote?: RemoteOptions;
  /** Redis URL: cache and limit counters shared by every process that names it. */
  redis?: string;
  /** Prefix of every Redis key; processes that should act as one use the same prefix. Default `switchyard:`. */
  redisKeyPrefix?: string;
  /**
   * LLM providers by name: settings of a built-in type (`{ type: 'openai', apiKey }`), or any AI SDK provider
   * instance (`createAmazonBedrock(...)`, `createAzure(...)`), whose `languageModel(id)` serves the variants.
   */
  providers?: Record<string, ProviderEntry>;
  /** Prices per million tokens by model, over the built-in table. */
  pricing?: Record<string, { inputPerMTok: number; outputPerMTok: number }>;
  /** Features applied at start when the store lacks them or holds an older version. */
  features?: FeatureConfigInput[];
  /** Handlers for handler variants, by variant key. */
  handlers?: Record<string, VariantHandler>;
  /** Named output guards that feature policies refer to. */
  guards?: Record<string, OutputGuard>;
  /** Epoch-ms clock for events and limit windows; default `Date.now`. */
  clock?: () => number;
  /** Random source in [0, 1) for retry jitter and rankers' Thompson draws; default `Math.random`. */
  random?: () => number;
  refreshIntervalMs?: number;
  cache?: { maxEntries?: number };
  telemetry?: {
    enabled?: boolean;
    maxBuffer?: number;
    batchSize?: number;
    flushIntervalMs?: number;
    flushOnSignals?: boolean;
  };
  /** Background errors (polling, telemetry, cache); default: ignored. */
  onError?: (error: unknown) => void;
  /**
   * `{ unitIds: 'hashed', key: process.env.SWITCHYARD_UNIT_KEY }`: unit ids are stored as HMAC-SHA256
   * pseudonyms in the store this client opens and in its rate-limit and budget counters; every process
   * sharing them must share the key. Against a server, the server's own `privacy` hashes what it stores.
   */
  privacy?: PrivacyInput;
}

/**
 * Creates a Switchyard client: loads features from the store (or from a Switchyard server, with `server` and
 * `token`), keeps them in step, and runs them; decisions are always evaluated in this process.
 *
 * @example
 * const sy = await createSwitchyard({
 *   store: 'sqlite:./switchyard.db',
 *   providers: { openai: { type: 'openai', apiKey: process.env.OPENAI_API_KEY } },
 *   handlers: { legacy: async ({ input }) => legacyCoach(input) },
 * });
 * const reply = await sy.run('coach-reply', { attributes: { userId, tier } }, { input: message });
 * await sy.feedback(reply.requestId, { accepted: true });
 * await sy.close();
 *
 * // Against a Switchyard server: no store in the application, kills arrive within a second.
 * const remote = await createSwitchyard({ server: 'http://127.0.0.1:4280', token: process.env.SWITCHYARD_TOKEN });
 */
export async function createSwitchyard(options: SwitchyardOptions = {}): Promise<Switchyard> {
  const { privacy } = parseSwitchyardOptions(options);
  const clock = options.clock ?? Date.now;
  const onError = options.onError ?? (() => {});
  const providers = createProviderRegistry(options.providers ?? {});
  const pricing = createPricing(options.pricing ?? {});

  // The providers' keep-alive sockets are released last, after telemetry and the store.
  const closers: Array<() => Promise<void> | void> = [() => providers.close()];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await Promise.resolve(close()).catch(onError);
  };
  try {
    const source = await openFeatureSource({ ...options, privacy, clock, onError });
    closers.push(() => source.close());
    const { registry } = source;

    const redis = options.redis
      ? new Redis(options.redis, { lazyConnect: true, ...FAIL_FAST_REDIS_OPTIONS })
      : undefined;
    if (redis) {
      redis.on('error', onError);
      await redis.connect();
      closers.push(() => {
        redis.disconnect();
      });
    }
    const prefix = options.redisKeyPrefix ?? 'switchyard:';
    const cacheStore = redis
      ? createRedisCacheStore({ client: redis, keyPrefix: `${prefix}cache:` })
      : createMemoryCacheStore({
          clock,
          ...(options.cache?.maxEntries ? { maxEntries: options.cache.maxEntries } : {}),
        });
    closers.push(() => cacheStore.close());
    const counters = redis
      ? createOutageTolerantCounters(
          createRedisCounters({ client: redis, keyPrefix: `${prefix}counters:` }),
          onError,
        )
      : createMemoryCounters();
    closers.push(() => counters.close());

    const telemetryOptions = options.telemetry ?? {};
    const telemetry = createTelemetryWriter({
      sink: telemetryOptions.enabled === false ? async () => {} : source.sink,
      onError,
      ...(telemetryOptions.maxBuffer ? { maxBuffer: telemetryOptions.maxBuffer } : {}),
      ...(telemetryOptions.batchSize ? { batchSize: telemetryOptions.batchSize } : {}),
      ...(telemetryOptions.flushIntervalMs ? { flushIntervalMs: telemetryOptions.flushIntervalMs } : {}),
    });
    // Registered after the source so that closing in reverse flushes telemetry before the store closes.
    closers.push(() => telemetry.close());

    const services: RuntimeServices = {
      clock,
      elapsed: () => performance.now(),
      newId: createIdGenerator({ clock }),
      providers,
      pricing,
      cache: createCache(cacheStore, { clock, onError }),
      counters,
      resilience: createResilience({ clock, ...(options.random ? { random: options.random } : {}) }),
      telemetry,
      handlers: options.handlers ?? {},
      guards: options.guards ?? {},
      pseudonymize: unitPseudonymizer(privacy),
    };
    const book = new ProfileBook();
    const profiles =
      source.store === undefined ? undefined : storeProfiles({ store: source.store, book, clock, onError });
    // Registered after the source: closing in reverse writes pending profile updates before the store closes.
    if (profiles !== undefined) closers.push(() => profiles.flush());
    const client = createSwitchyardClient({
      services,
      registry,
      requests: new RequestLog(),
      assignments: createExperimentAssignments({ backend: source.assignments, clock, onError }),
      personalization: {
        book,
        rankings: new RankingMemory(),
        random: options.random ?? Math.random,
        // A remote client learns from its own feedback in memory; the server learns from /api/rank's.
        loadProfiles: profiles ? (feature, levels) => profiles.load(feature, levels) : async () => {},
        learn: profiles ? (updates) => profiles.learn(updates) : () => {},
      },
      close: closeAll,
    });
    if (telemetryOptions.flushOnSignals !== false) {
      const dispose = flushOnSignals(client);
      closers.push(dispose);
    }
    return client;
  } catch (error) {
    await closeAll();
    throw error;
  }
}
