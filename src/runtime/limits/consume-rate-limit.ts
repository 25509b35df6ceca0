import type { z } from 'zod';
import { InvalidInputError, RateLimitedError } from '../../core/errors.js';
import type { rateLimitPolicySchema } from '../../core/policy-config.js';
import type { Counters } from '../counters/counters.js';
import { limitKeys } from './limit-keys.js';
import { RATE_LIMIT_WINDOW_MS } from './rate-limit-window-ms.js';
import { resolveUnitId } from './resolve-unit-id.js';

/** A feature's rate-limit policy, defaults applied. */
export type RateLimitPolicy = z.output<typeof rateLimitPolicySchema>;

/** One request to count against a feature's rate limit. */
export interface RateLimitRequest {
  feature: string;
  policy: RateLimitPolicy;
  /** The context attributes; the unit and tier are read from them. */
  attributes: Readonly<Record<string, unknown>>;
  /** Epoch milliseconds. */
  now: number;
  /** The unit id's form in the counter key (its pseudonym with hashed unit ids); default the id itself. */
  pseudonymize?: (unitId: string) => string;
}

/** Where the unit stands after a counted request; every field but `tier` is null when its tier has no limit. */
export interface RateLimitOutcome {
  tier: string | null;
  limit: number | null;
  remaining: number | null;
  /** Epoch milliseconds at which the window ends. */
  resetAt: number | null;
}

/**
 * Counts one request of a unit against its tier's limit, or throws RateLimitedError (`RATE_LIMITED`,
 * with `retryAfterMs`) when the window's limit is used up; a refused request is not counted.
 *
 * - Unit: `attributes[policy.unitAttribute]`. Requests without one share a single `anonymous` unit,
 *   so anonymous traffic is limited as a whole rather than let through unlimited.
 * - Tier: `attributes[policy.tierAttribute]`, else `policy.defaultTier`. A tier not listed in
 *   `policy.tiers` is held to the default tier's limit, so a made-up tier name cannot escape the limit;
 *   with no default tier, an unlisted tier (or no tier at all) has no limit.
 * - One counter per unit and window length across tiers, so a unit that upgrades mid-window keeps
 *   what it already used.
 *
 * @example
 * const outcome = await consumeRateLimit(counters, {
 *   feature: 'coach-reply',
 *   policy: rateLimitPolicySchema.parse({ tiers: { free: { limit: 10 }, paid: { limit: 100 } }, defaultTier: 'free' }),
 *   attributes: { userId: 'u-1', tier: 'paid' },
 *   now: Date.now(),
 * });
 * // outcome: { tier: 'paid', limit: 100, remaining: 99, resetAt: <next UTC midnight> }
 */
export async function consumeRateLimit(
  counters: Counters,
  request: RateLimitRequest,
): Promise<RateLimitOutcome> {
  const { feature, policy, attributes, now } = request;
  if (typeof feature !== 'string' || feature.length === 0) {
    throw new InvalidInputError('feature', 'must be a non-empty string');
  }
  const named = resolveTier(attributes, policy);
  // Object.hasOwn: a tier named like an Object.prototype member must not find a "limit" there.
  const listed = named !== null && Object.hasOwn(policy.tiers, named);
  const tier = listed ? named : (policy.defaultTier ?? named);
  const tierLimit = tier !== null && Object.hasOwn(policy.tiers, tier) ? policy.tiers[tier] : undefined;
  if (tierLimit === undefined) return { tier, limit: null, remaining: null, resetAt: null };

  const unit = resolveUnitId(attributes, policy.unitAttribute);
  const key = limitKeys.rate(
    feature,
    unit === undefined || !request.pseudonymize ? unit : request.pseudonymize(unit),
  );
  const result = await counters.hit(
    key,
    tierLimit.limit,
    { ms: RATE_LIMIT_WINDOW_MS[tierLimit.window] },
    now,
  );
  if (!result.allowed) {
    throw new RateLimitedError({
      feature,
      limit: tierLimit.limit,
      tier,
      window: tierLimit.window,
      retryAfterMs: result.retryAfterMs,
    });
  }
  return { tier, limit: tierLimit.limit, remaining: result.remaining, resetAt: result.resetAt };
}

function resolveTier(attributes: Readonly<Record<string, unknown>>, policy: RateLimitPolicy): string | null {
  const value = attributes[policy.tierAttribute];
  if (value === undefined || value === null || value === '') return policy.defaultTier ?? null;
  if (typeof value === 'string') return value;
  throw new InvalidInputError(`attributes.${policy.tierAttribute}`, 'must be a string naming a tier');
}
