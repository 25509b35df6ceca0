/**
 * One process of the multi-process limits test: connects to Redis, reports ready, waits for `go` on
 * stdin so all processes start together, then runs concurrent simulated runs against one shared
 * daily budget and one shared rate limit and prints its tallies as one JSON line.
 *
 * Run as `node --import tsx multi-process.fixture.ts '<json config>'`.
 */
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { BudgetExceededError, RateLimitedError } from '../../core/errors.js';
import { budgetPolicySchema, rateLimitPolicySchema } from '../../core/policy-config.js';
import { createRedisCounters } from '../counters/redis/redis-counters.js';
import { consumeRateLimit } from './consume-rate-limit.js';
import { reserveBudget } from './reserve-budget.js';

/** What the parent test passes as the one command-line argument. */
export interface MultiProcessFixtureConfig {
  url: string;
  keyPrefix: string;
  feature: string;
  /** Epoch milliseconds shared by every process, so all use the same windows. */
  now: number;
  seed: number;
  runs: number;
  dailyUsd: number;
  maxCostUsd: number;
  minCostUsd: number;
  dailyLimit: number;
  /** Runs start at random moments within this many milliseconds, so reserves and settles interleave. */
  spreadMs: number;
}

/** The line each process prints when done. */
export interface MultiProcessFixtureResult {
  type: 'result';
  pid: number;
  budget: { accepted: number; refused: number; settledMicroUsd: number };
  rate: { allowed: number; refused: number };
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as MultiProcessFixtureConfig;
  const counters = createRedisCounters({ url: config.url, keyPrefix: config.keyPrefix });
  const random = mulberry32(config.seed);
  const budgetPolicy = budgetPolicySchema.parse({ dailyUsd: config.dailyUsd });
  const ratePolicy = rateLimitPolicySchema.parse({
    defaultTier: 'free',
    tiers: { free: { limit: config.dailyLimit, window: 'day' } },
  });
  const budget = { accepted: 0, refused: 0, settledMicroUsd: 0 };
  const rate = { allowed: 0, refused: 0 };

  async function budgetRun(index: number): Promise<void> {
    // Drawn before the first await, so each run's timing and cost depend on the seed alone.
    const actualUsd =
      Math.round((config.minCostUsd + random() * (config.maxCostUsd - config.minCostUsd)) * 1e6) / 1e6;
    const startMs = Math.floor(random() * config.spreadMs);
    const callMs = 5 + Math.floor(random() * 25);
    await sleep(startMs);
    let hold: Awaited<ReturnType<typeof reserveBudget>>;
    try {
      hold = await reserveBudget(counters, {
        feature: config.feature,
        policy: budgetPolicy,
        unitId: `process-${config.seed}-run-${index}`,
        maxCostUsd: config.maxCostUsd,
        now: config.now,
      });
    } catch (error) {
      if (!(error instanceof BudgetExceededError)) throw error;
      budget.refused += 1;
      return;
    }
    budget.accepted += 1;
    await sleep(callMs);
    await hold.settle(actualUsd);
    budget.settledMicroUsd += Math.round(actualUsd * 1e6);
  }

  async function rateRun(): Promise<void> {
    await sleep(Math.floor(random() * config.spreadMs));
    try {
      await consumeRateLimit(counters, {
        feature: config.feature,
        policy: ratePolicy,
        attributes: { userId: 'shared-user' },
        now: config.now,
      });
      rate.allowed += 1;
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      rate.refused += 1;
    }
  }

  await counters.ping();
  const lines = createInterface({ input: process.stdin });
  const go = new Promise<void>((resolve) => lines.once('line', () => resolve()));
  process.stdout.write(`${JSON.stringify({ type: 'ready', pid: process.pid })}\n`);
  await go;
  lines.close();

  const runs = Array.from({ length: config.runs }, (_, index) => index);
  await Promise.all([...runs.map((index) => budgetRun(index)), ...runs.map(() => rateRun())]);
  await counters.close();
  const result: MultiProcessFixtureResult = { type: 'result', pid: process.pid, budget, rate };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
