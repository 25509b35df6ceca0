/**
 * How fast is a cache hit through `sy.run()`? The same request is answered from the cache after one
 * warm-up call, with the in-memory cache and with Redis (skipped with a line when Redis is unreachable).
 * Goals: p99 <= 1 ms in memory, <= 3 ms with Redis.
 */
import { Redis } from 'ioredis';
import { createSwitchyard } from '../src/runtime/client/create-switchyard.js';
import type { Switchyard } from '../src/runtime/client/switchyard-client.js';
import { startFakeUpstream } from '../src/testing/index.js';
import { interleave, ms, quantile } from './runtime/latency-sampler.js';

const REDIS_URL = process.env.SWITCHYARD_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const upstream = await startFakeUpstream({ models: { 'bench-model': { latencyMs: 5 } } });

async function client(redis: string | undefined): Promise<Switchyard> {
  return createSwitchyard({
    store: 'sqlite::memory:',
    ...(redis ? { redis } : {}),
    providers: { fake: { type: 'openai-compatible', baseURL: upstream.url } },
    features: [
      {
        key: 'persona-details',
        defaultVariant: 'v2',
        variants: { v2: { type: 'llm', provider: 'fake', model: 'bench-model' } },
        policy: { cache: { mode: 'exact', ttlSeconds: 600 } },
      },
    ],
    telemetry: { flushOnSignals: false },
  });
}

async function redisReachable(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const clients: Array<{ name: string; sy: Switchyard }> = [
  { name: 'memory cache', sy: await client(undefined) },
];
if (await redisReachable()) clients.push({ name: 'Redis cache', sy: await client(REDIS_URL) });
else
  console.log(
    `Redis not reachable at ${REDIS_URL}: set SWITCHYARD_BENCH_REDIS_URL to measure the Redis cache`,
  );

const request = { input: `persona p-1 at ${Date.now()}` };
for (const { sy } of clients) {
  const first = await sy.run('persona-details', {}, request);
  if (first.cached) throw new Error('the warm-up call should miss the cache');
}
const results = await interleave(
  clients.map(({ name, sy }) => ({
    name,
    run: async () => {
      const result = await sy.run('persona-details', { attributes: { userId: 'u-1' } }, request);
      if (!result.cached) throw new Error(`${name}: expected a cache hit`);
    },
  })),
  { rounds: 5, perRound: 2_000, warmup: 500 },
);
for (const { sy } of clients) await sy.close();
await upstream.close();

console.log(`cache hit through run(): 5 interleaved rounds x 2000 calls each, node ${process.version}`);
const goals: Record<string, number> = { 'memory cache': 1, 'Redis cache': 3 };
for (const { name, samples } of results) {
  const p99 = quantile(samples, 0.99);
  const goal = goals[name] ?? Number.NaN;
  console.log(
    `  ${name.padEnd(13)} p50 ${ms(quantile(samples, 0.5))}  p99 ${ms(p99)}  goal p99 <= ${goal} ms: ${p99 <= goal ? 'met' : 'NOT met'}`,
  );
}
