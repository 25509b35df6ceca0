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
      async () => {
        const started = performance.now();
        await store.ping();
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

function round(milliseconds: number): number {
  return Math.round(milliseconds * 100) / 100;
}
