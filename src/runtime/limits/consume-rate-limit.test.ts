import { describe, expect, it } from 'vitest';
import { InvalidInputError, RateLimitedError } from '../../core/errors.js';
import { rateLimitPolicySchema } from '../../core/policy-config.js';
import { createMemoryCounters } from '../counters/memory/memory-counters.js';
import { consumeRateLimit } from './consume-rate-limit.js';
import { limitKeys } from './limit-keys.js';

const noon = Date.UTC(2030, 0, 1, 12);
const midnight = Date.UTC(2030, 0, 2);
const policy = rateLimitPolicySchema.parse({
  defaultTier: 'free',
  tiers: {
    free: { limit: 10 },
    paid: { limit: 100 },
    burst: { limit: 2, window: 'second' },
    banned: { limit: 0 },
  },
});

async function consumeMany(
  count: number,
  attributes: Record<string, unknown>,
  counters = createMemoryCounters(),
  now = noon,
) {
  const outcomes = [];
  for (let index = 0; index < count; index += 1) {
    outcomes.push(await consumeRateLimit(counters, { feature: 'coach-reply', policy, attributes, now }));
  }
  return outcomes;
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('consumeRateLimit', () => {
  it('lets a free unit make 10 requests a UTC day, then refuses with RATE_LIMITED until midnight', async () => {
    const counters = createMemoryCounters();
    const outcomes = await consumeMany(10, { userId: 'u-1', tier: 'free' }, counters);
    expect(outcomes.map((outcome) => outcome.remaining)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(outcomes[0]).toEqual({ tier: 'free', limit: 10, remaining: 9, resetAt: midnight });

    const error = await refusal(consumeMany(1, { userId: 'u-1', tier: 'free' }, counters));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterMs: midnight - noon,
      limit: 10,
      tier: 'free',
    });
    expect(await consumeMany(1, { userId: 'u-1' }, counters, midnight)).toEqual([
      { tier: 'free', limit: 10, remaining: 9, resetAt: midnight + 86_400_000 },
    ]);
  });

  it('reads the tier from the attribute, else the default tier', async () => {
    const counters = createMemoryCounters();
    expect((await consumeMany(1, { userId: 'p', tier: 'paid' }, counters))[0]).toMatchObject({
      tier: 'paid',
      remaining: 99,
    });
    expect((await consumeMany(1, { userId: 'd' }, counters))[0]).toMatchObject({
      tier: 'free',
      remaining: 9,
    });
  });

  it('counts each unit and each feature on its own', async () => {
    const counters = createMemoryCounters();
    await consumeMany(10, { userId: 'a' }, counters);
    expect((await consumeMany(1, { userId: 'b' }, counters))[0]!.remaining).toBe(9);
    const otherFeature = await consumeRateLimit(counters, {
      feature: 'persona-generation',
      policy,
      attributes: { userId: 'a' },
      now: noon,
    });
    expect(otherFeature.remaining).toBe(9);
  });

  it('puts requests without a unit into one shared anonymous unit, apart from a user named "anonymous"', async () => {
    const counters = createMemoryCounters();
    await consumeMany(5, {}, counters);
    await consumeMany(5, { userId: null }, counters);
    await expect(consumeMany(1, { userId: '' }, counters)).rejects.toBeInstanceOf(RateLimitedError);
    expect((await consumeMany(1, { userId: 'anonymous' }, counters))[0]!.remaining).toBe(9);
    expect(limitKeys.rate('coach-reply', undefined)).not.toBe(limitKeys.rate('coach-reply', 'anonymous'));
  });

  it('keeps the count when a unit changes tier within the window', async () => {
    const counters = createMemoryCounters();
    await consumeMany(10, { userId: 'upgrader', tier: 'free' }, counters);
    const [paid] = await consumeMany(1, { userId: 'upgrader', tier: 'paid' }, counters);
    expect(paid).toMatchObject({ tier: 'paid', limit: 100, remaining: 89 });
  });

  it('uses the tier window: two per second, again in the next second', async () => {
    const counters = createMemoryCounters();
    await consumeMany(2, { userId: 'fast', tier: 'burst' }, counters, noon + 400);
    const error = await refusal(consumeMany(1, { userId: 'fast', tier: 'burst' }, counters, noon + 999));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 1 });
    expect(await consumeMany(1, { userId: 'fast', tier: 'burst' }, counters, noon + 1_000)).toHaveLength(1);
  });

  it('refuses every request of a tier with limit 0', async () => {
    await expect(consumeMany(1, { userId: 'x', tier: 'banned' })).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('holds an unlisted tier to the default tier, and limits nothing when there is no default', async () => {
    const counters = createMemoryCounters();
    const enterprise = await consumeMany(10, { userId: 'e', tier: 'enterprise' }, counters);
    expect(enterprise[9]).toMatchObject({ tier: 'free', limit: 10, remaining: 0 });
    await expect(consumeMany(1, { userId: 'e', tier: 'enterprise' }, counters)).rejects.toBeInstanceOf(
      RateLimitedError,
    );
    const inherited = await consumeMany(1, { userId: 'p', tier: 'constructor' }, counters);
    expect(inherited[0]).toMatchObject({ tier: 'free', limit: 10 });

    const listedOnly = rateLimitPolicySchema.parse({ tiers: { free: { limit: 1 } } });
    const unlimited = await consumeRateLimit(counters, {
      feature: 'f',
      policy: listedOnly,
      attributes: { userId: 'x', tier: 'enterprise' },
      now: noon,
    });
    expect(unlimited).toEqual({ tier: 'enterprise', limit: null, remaining: null, resetAt: null });
    expect(await counters.peek(limitKeys.rate('f', 'x'), { ms: 86_400_000 }, noon)).toBe(0);

    const noDefault = rateLimitPolicySchema.parse({ tiers: { free: { limit: 1 } } });
    const outcome = await consumeRateLimit(counters, {
      feature: 'f',
      policy: noDefault,
      attributes: { userId: 'u' },
      now: noon,
    });
    expect(outcome).toEqual({ tier: null, limit: null, remaining: null, resetAt: null });
  });

  it('names the attribute or field that is wrong', async () => {
    const counters = createMemoryCounters();
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['attributes.userId', { userId: { id: 1 } }, 'coach-reply'],
      ['attributes.tier', { userId: 'u', tier: 3 }, 'coach-reply'],
      ['feature', { userId: 'u' }, ''],
    ];
    for (const [field, attributes, feature] of cases) {
      const error = await refusal(consumeRateLimit(counters, { feature, policy, attributes, now: noon }));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({ field });
    }
  });
});
