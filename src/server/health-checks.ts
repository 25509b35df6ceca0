import { Redis } from 'ioredis';
import type { Store } from '../store/store.js';
import type { HealthCheck } from './server-context.js';

/** The built-in `/health` checks (store, redis, providers) and a closer for the connection they hold. */
export function builtInHealthChecks(options: {
  store: Store;
  redis: string | undefined;
  providers: readonly string[];
  onError: (error: unknown) => void;
}): { checks: Map<string, HealthCheck>; close(): void } {
  const { store } = options;
  // Its own connection: the runtime client's is internal, and a check must not queue behind real work.
  const redis =
    options.redis === undefined
      ? undefined
      : new Redis(options.redis, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  redis?.on('error', options.onError);
  redis?.connect().catch(options.onError);

  const checks = new Map<string, HealthCheck>([
    [
      'store',
      // Degraded, not failed: tokens verified before, features, decisions and the gateway are served from
      // memory and telemetry waits in its buffer; only requests that need the store get 503.
      async () => {
        const started = performance.now();
        try {
          await withTimeout(store.ping(), DEPENDENCY_TIMEOUT_MS);
        } catch (error) {
          return { status: 'degraded', message: messageOf(error), details: { kind: store.kind } };
        }
        return { status: 'ok', details: { kind: store.kind, latencyMs: round(performance.now() - started) } };
      },
    ],
    [
      'redis',
      async () => {
        if (redis === undefined)
          return { status: 'disabled', message: 'no Redis configured: memory cache and counters' };
        const started = performance.now();
        await redis.ping();
        return { status: 'ok', details: { latencyMs: round(performance.now() - started) } };
      },
    ],
    [
      'providers',
      // Configuration only: calling an LLM API from a health probe would cost money on every scrape.
      async () =>
        options.providers.length === 0
          ? { status: 'disabled', message: 'no providers configured' }
          : { status: 'ok', details: { configured: [...options.providers] } },
    ],
  ]);
  return { checks, close: () => redis?.disconnect() };
}

/** Under the route's own 2 s limit, so a hung dependency reads as degraded rather than failed. */
const DEPENDENCY_TIMEOUT_MS = 1_500;

async function withTimeout<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${milliseconds} ms`)), milliseconds);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function round(milliseconds: number): number {
  return Math.round(milliseconds * 100) / 100;
}
