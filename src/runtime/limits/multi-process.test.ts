import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisCounters } from '../counters/redis/redis-counters.js';
import { redisTestServer } from '../testing/redis-test-server.js';
import { limitKeys } from './limit-keys.js';
import type { MultiProcessFixtureConfig, MultiProcessFixtureResult } from './multi-process.fixture.js';

const redis = await redisTestServer('limits-multi');
const fixture = fileURLToPath(new URL('./multi-process.fixture.ts', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const processCount = 4;

interface Child {
  ready: Promise<void>;
  result: Promise<MultiProcessFixtureResult>;
  process: ChildProcessWithoutNullStreams;
}

function startChild(config: MultiProcessFixtureConfig): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, JSON.stringify(config)], {
    cwd: repositoryRoot,
    // Bounded: a stuck child is killed rather than left behind.
    timeout: 15_000,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const messages: Array<{ type: string }> = [];
  let signalReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    signalReady = resolve;
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    const message = JSON.parse(line) as { type: string };
    messages.push(message);
    if (message.type === 'ready') signalReady();
  });
  const result = new Promise<MultiProcessFixtureResult>((resolve, reject) => {
    child.on('close', (code, signal) => {
      const last = messages.find((message) => message.type === 'result');
      if (code === 0 && last !== undefined) resolve(last as MultiProcessFixtureResult);
      else reject(new Error(`fixture process exited with ${code ?? signal}: ${stderr}`));
    });
  });
  // A child that dies before it is ready must fail the test, not hang it.
  return { ready: Promise.race([ready, result.then(() => undefined)]), result, process: child };
}

describe.skipIf(redis === undefined)('limits shared by several processes through Redis', () => {
  const keyPrefix = redis?.keyPrefix() ?? '';
  const now = Date.UTC(2030, 0, 1, 12);
  const config = {
    url: redis?.url ?? '',
    keyPrefix,
    feature: 'multi-process',
    now,
    runs: 50,
    dailyUsd: 1,
    maxCostUsd: 0.05,
    minCostUsd: 0.01,
    dailyLimit: 37,
    spreadMs: 150,
  };
  let results: MultiProcessFixtureResult[] = [];

  beforeAll(async () => {
    const children = Array.from({ length: processCount }, (_, index) =>
      startChild({ ...config, seed: 101 + index }),
    );
    // Every process connects first, then all start at once, so their runs really overlap.
    await Promise.all(children.map((child) => child.ready));
    for (const child of children) child.process.stdin.end('go\n');
    results = await Promise.all(children.map((child) => child.result));
  }, 20_000);
  afterAll(() => redis?.cleanup());

  it('ran in separate processes', () => {
    const pids = new Set(results.map((result) => result.pid));
    expect(pids.size).toBe(processCount);
    expect(pids.has(process.pid)).toBe(false);
  });

  it('keeps the settled total of a $1.00 daily budget within the cap plus one request, with refusals', async () => {
    const settledMicroUsd = results.reduce((sum, result) => sum + result.budget.settledMicroUsd, 0);
    const accepted = results.reduce((sum, result) => sum + result.budget.accepted, 0);
    const refused = results.reduce((sum, result) => sum + result.budget.refused, 0);
    expect(accepted + refused).toBe(processCount * config.runs);
    expect(refused).toBeGreaterThan(0);
    expect(accepted).toBeGreaterThan(0);
    expect(settledMicroUsd).toBeLessThanOrEqual((config.dailyUsd + config.maxCostUsd) * 1e6);

    const counters = createRedisCounters({ url: config.url, keyPrefix });
    try {
      const counted = await counters.peek(limitKeys.dailyBudget(config.feature), { ms: 86_400_000 }, now);
      // The shared counter holds exactly what the processes settled, to the micro-dollar.
      expect(Math.round(counted * 1e6)).toBe(settledMicroUsd);
    } finally {
      await counters.close();
    }
  });

  it('lets exactly 37 requests a day through across all processes', async () => {
    const allowed = results.reduce((sum, result) => sum + result.rate.allowed, 0);
    const refused = results.reduce((sum, result) => sum + result.rate.refused, 0);
    expect(allowed).toBe(config.dailyLimit);
    expect(refused).toBe(processCount * config.runs - config.dailyLimit);
  });
});
