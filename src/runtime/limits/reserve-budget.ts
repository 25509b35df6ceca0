import type { z } from 'zod';
import { BudgetExceededError, InvalidInputError } from '../../core/errors.js';
import type { budgetPolicySchema } from '../../core/policy-config.js';
import type { Counters, Reservation } from '../counters/counters.js';
import { limitKeys } from './limit-keys.js';
import { RATE_LIMIT_WINDOW_MS } from './rate-limit-window-ms.js';

/** A feature's budget policy, defaults applied. */
export type BudgetPolicy = z.output<typeof budgetPolicySchema>;

/** One run's claim on a feature's budgets: the most it may cost, reserved before the call. */
export interface BudgetRequest {
  feature: string;
  policy: BudgetPolicy;
  /** The unit charged for `perUnitHourlyUsd`; runs without one (absent, null, '') share one `anonymous` unit. */
  unitId?: string | null;
  /** The most this run can cost, in US dollars; reserved now, corrected by `settle`. */
  maxCostUsd: number;
  /** Epoch milliseconds. */
  now: number;
}

/** Budget reserved for one run; settle it with the actual cost, or release it when the run is abandoned. */
export interface BudgetHold {
  /** Dollars held on each capped budget until the hold is settled or released (0 when nothing is capped). */
  readonly reservedUsd: number;
  /** Replaces the reserved amount with the actual cost on every budget; only the first settle or release counts. */
  settle(actualUsd: number): Promise<void>;
  /** Gives the whole reservation back (same as `settle(0)`); only the first settle or release counts. */
  release(): Promise<void>;
}

/**
 * Reserves `maxCostUsd` against the feature's daily cap (`dailyUsd`, one UTC day, all units) and the
 * unit's hourly cap (`perUnitHourlyUsd`, one clock hour), so concurrent runs can never spend past a
 * cap by more than their own misestimate. Throws BudgetExceededError (`scope`, `retryAfterMs`) when a
 * cap would be exceeded, having released whatever it reserved; whether to reject or downgrade per
 * `policy.onExceed` is the caller's decision.
 *
 * @example
 * const hold = await reserveBudget(counters, {
 *   feature: 'coach-reply',
 *   policy: budgetPolicySchema.parse({ dailyUsd: 100, perUnitHourlyUsd: 0.5 }),
 *   unitId: 'u-1',
 *   maxCostUsd: 0.05,
 *   now: Date.now(),
 * });
 * try {
 *   const reply = await callModel();
 *   await hold.settle(reply.costUsd);
 * } catch (error) {
 *   await hold.release();
 *   throw error;
 * }
 */
export async function reserveBudget(counters: Counters, request: BudgetRequest): Promise<BudgetHold> {
  const { feature, policy, unitId, maxCostUsd, now } = request;
  if (typeof feature !== 'string' || feature.length === 0) {
    throw new InvalidInputError('feature', 'must be a non-empty string');
  }
  if (typeof maxCostUsd !== 'number' || !Number.isFinite(maxCostUsd) || maxCostUsd < 0) {
    throw new InvalidInputError(
      'maxCostUsd',
      'must be a finite number of dollars greater than or equal to 0',
    );
  }
  const caps = [
    policy.dailyUsd === undefined
      ? undefined
      : {
          scope: 'daily' as const,
          key: limitKeys.dailyBudget(feature),
          capUsd: policy.dailyUsd,
          windowMs: RATE_LIMIT_WINDOW_MS.day,
        },
    policy.perUnitHourlyUsd === undefined
      ? undefined
      : {
          scope: 'unit-hourly' as const,
          key: limitKeys.unitBudget(feature, unitId),
          capUsd: policy.perUnitHourlyUsd,
          windowMs: RATE_LIMIT_WINDOW_MS.hour,
        },
  ].filter((cap) => cap !== undefined);

  const reservations: Reservation[] = [];
  try {
    for (const cap of caps) {
      const result = await counters.reserve(cap.key, maxCostUsd, cap.capUsd, { ms: cap.windowMs }, now);
      if (!result.ok) {
        throw new BudgetExceededError({
          feature,
          scope: cap.scope,
          capUsd: cap.capUsd,
          retryAfterMs: result.retryAfterMs,
        });
      }
      reservations.push(result.reservation);
    }
  } catch (error) {
    // A refusal (or a failure) of a later cap must not leave the earlier caps holding money.
    await Promise.all(reservations.map((reservation) => counters.settle(reservation, 0)));
    throw error;
  }
  return budgetHold(counters, reservations, caps.length === 0 ? 0 : maxCostUsd);
}

function budgetHold(
  counters: Counters,
  reservations: readonly Reservation[],
  reservedUsd: number,
): BudgetHold {
  let finished = false;
  async function finish(actualUsd: number): Promise<void> {
    // Marked before the first await, so two concurrent settles cannot both apply.
    if (finished) return;
    finished = true;
    await Promise.all(reservations.map((reservation) => counters.settle(reservation, actualUsd)));
  }
  return {
    reservedUsd,
    async settle(actualUsd: number) {
      if (typeof actualUsd !== 'number' || !Number.isFinite(actualUsd) || actualUsd < 0) {
        throw new InvalidInputError(
          'actualUsd',
          'must be a finite number of dollars greater than or equal to 0',
        );
      }
      await finish(actualUsd);
    },
    release: () => finish(0),
  };
}
