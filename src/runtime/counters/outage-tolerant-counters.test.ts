import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CountersUnavailableError,
  createOutageTolerantCounters,
  FAIL_FAST_REDIS_OPTIONS,
} from './outage-tolerant-counters.js';
import { createRedisCounters } from './redis/redis-counters.js';

/** A redis-server of this test's own, which it stops and starts again on the same port. */
const hasRedis = await new Promise<boolean>((resolve) => {
  const probe = spawn('redis-server', ['--version']);
  probe.on('error', () => resolve(false));
  probe.on('exit', (code) => resolve(code === 0));
});
if (!hasRedis) {
  if (process.env.CI === 'true')
    throw new Error('redis-server not found: install Redis to run the Redis outage suite');
  console.warn('redis-server not found: skipping the Redis outage suite');
}

let port = 0;
let server: ChildProcess | undefined;

async function startRedis(): Promise<void> {
  server = spawn('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  await new Promise<void>((resolve, reject) => {
    server!.once('error', reject);
    server!.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve();
    });
  });
}

async function stopRedis(): Promise<void> {
  const stopping = server;
  if (stopping === undefined || stopping.exitCode !== null) return;
  await new Promise((resolve) => {
    stopping.once('exit', resolve);
    stopping.kill('SIGKILL');
  });
}

beforeAll(async () => {
  if (!hasRedis) return;
  port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
  await startRedis();
});
afterAll(() => stopRedis());

describe.skipIf(!hasRedis)('counters during a Redis outage', () => {
  it('count rate limits locally and refuse budgets at once, then use Redis again when it is back', async () => {
    const client = new Redis(`redis://127.0.0.1:${port}`, {
      ...FAIL_FAST_REDIS_OPTIONS,
      retryStrategy: () => 50,
    });
    client.on('error', () => {});
    const errors: unknown[] = [];
    const counters = createOutageTolerantCounters(createRedisCounters({ client }), (error) =>
      errors.push(error),
    );
    const day = { ms: 86_400_000 };
    const now = Date.now();
    await expect.poll(() => client.status).toBe('ready');
    expect((await counters.hit('rate', 3, day, now)).count).toBe(1);

    await stopRedis();
    await expect.poll(() => client.status, { timeout: 2_000 }).not.toBe('ready');
    const started = performance.now();
    // Open: each process counts on, so the limit still holds per process.
    const hits = [];
    for (let index = 0; index < 4; index += 1) hits.push(await counters.hit('rate', 3, day, now));
    expect(hits.map((hit) => hit.allowed)).toEqual([true, true, true, false]);
    // Closed: spend cannot be checked, so a budget refuses, naming the outage rather than ioredis.
    const refused = counters.reserve('budget', 0.01, 1, day, now).catch((error: unknown) => error);
    expect(await refused).toBeInstanceOf(CountersUnavailableError);
    expect(((await refused) as Error).message).toBe(
      'budget counters unavailable: the shared counter store (Redis) is not answering',
    );
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(100);
    // Reported, but once, not once per request.
    expect(errors).toHaveLength(1);

    await startRedis();
    await expect.poll(() => client.status, { timeout: 5_000 }).toBe('ready');
    // Redis came back empty: the shared counter starts again from there.
    expect((await counters.hit('rate', 3, day, now)).count).toBe(1);
    const reserved = await counters.reserve('budget', 0.01, 1, day, now);
    expect(reserved.ok).toBe(true);
    client.disconnect();
  }, 30_000);
});
