import { describe, expect, it } from 'vitest';
import { BudgetExceededError, InvalidInputError } from '../../core/errors.js';
import { budgetPolicySchema } from '../../core/policy-config.js';
import type { Counters } from '../counters/counters.js';
import { createMemoryCounters } from '../counters/memory/memory-counters.js';
import { limitKeys } from './limit-keys.js';
import { reserveBudget } from './reserve-budget.js';

const noon = Date.UTC(2030, 0, 1, 12, 30);
const day = { ms: 86_400_000 };
const hour = { ms: 3_600_000 };
const feature = 'persona-generation';
const policy = budgetPolicySchema.parse({ dailyUsd: 1, perUnitHourlyUsd: 0.25 });

function reserve(counters: Counters, unitId: string | undefined, maxCostUsd = 0.1, now = noon) {
  return reserveBudget(counters, { feature, policy, unitId, maxCostUsd, now });
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

const daily = (counters: Counters) => counters.peek(limitKeys.dailyBudget(feature), day, noon);
const unitHourly = (counters: Counters, unitId: string | undefined) =>
  counters.peek(limitKeys.unitBudget(feature, unitId), hour, noon);

describe('reserveBudget', () => {
  it('refuses past the daily cap with scope daily and the time to UTC midnight', async () => {
    const counters = createMemoryCounters();
    for (let index = 0; index < 10; index += 1) await reserve(counters, `u-${index}`);
    const error = await refusal(reserve(counters, 'u-10'));
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error).toMatchObject({
      code: 'BUDGET_EXCEEDED',
      scope: 'daily',
      capUsd: 1,
      retryAfterMs: Date.UTC(2030, 0, 2) - noon,
    });
    expect(await daily(counters)).toBe(1);
    expect(await unitHourly(counters, 'u-10')).toBe(0);
  });

  it('refuses past the unit hourly cap and gives the daily reservation back', async () => {
    const counters = createMemoryCounters();
    await reserve(counters, 'heavy');
    await reserve(counters, 'heavy');
    const error = await refusal(reserve(counters, 'heavy'));
    expect(error).toMatchObject({ scope: 'unit-hourly', capUsd: 0.25, retryAfterMs: 30 * 60_000 });
    expect(await daily(counters)).toBe(0.2);
    expect(await unitHourly(counters, 'heavy')).toBe(0.2);
    await expect(reserve(counters, 'light')).resolves.toMatchObject({ reservedUsd: 0.1 });
  });

  it('settles both budgets to the actual cost once; later settles and releases do nothing', async () => {
    const counters = createMemoryCounters();
    const hold = await reserve(counters, 'u', 0.1);
    await Promise.all([hold.settle(0.03), hold.settle(0.09)]);
    await hold.release();
    await hold.settle(0.5);
    expect(await daily(counters)).toBe(0.03);
    expect(await unitHourly(counters, 'u')).toBe(0.03);
  });

  it('releases the whole reservation', async () => {
    const counters = createMemoryCounters();
    const hold = await reserve(counters, 'u', 0.2);
    await hold.release();
    await hold.release();
    expect(await daily(counters)).toBe(0);
    expect(await unitHourly(counters, 'u')).toBe(0);
  });

  it('charges runs without a unit to one shared anonymous unit', async () => {
    const counters = createMemoryCounters();
    await reserve(counters, undefined);
    await reserveBudget(counters, { feature, policy, unitId: null, maxCostUsd: 0.1, now: noon });
    await expect(reserve(counters, '')).rejects.toMatchObject({ scope: 'unit-hourly' });
    expect(await unitHourly(counters, undefined)).toBe(0.2);
    expect(await unitHourly(counters, 'anonymous')).toBe(0);
  });

  it('holds nothing when the policy caps nothing', async () => {
    const counters = createMemoryCounters();
    const uncapped = budgetPolicySchema.parse({});
    const hold = await reserveBudget(counters, {
      feature,
      policy: uncapped,
      unitId: 'u',
      maxCostUsd: 5,
      now: noon,
    });
    expect(hold.reservedUsd).toBe(0);
    await hold.settle(7);
    expect(await daily(counters)).toBe(0);
  });

  it('applies only the caps the policy sets', async () => {
    const counters = createMemoryCounters();
    const unitOnly = budgetPolicySchema.parse({ perUnitHourlyUsd: 0.1 });
    await reserveBudget(counters, { feature, policy: unitOnly, unitId: 'u', maxCostUsd: 0.1, now: noon });
    expect(await daily(counters)).toBe(0);
    expect(await unitHourly(counters, 'u')).toBe(0.1);
  });

  it('gives the daily reservation back when the unit reservation fails outright', async () => {
    const counters = createMemoryCounters();
    const failing: Counters = {
      ...counters,
      async reserve(key, amount, cap, window, now) {
        if (key === limitKeys.unitBudget(feature, 'u')) throw new Error('connection lost');
        return counters.reserve(key, amount, cap, window, now);
      },
    };
    await expect(reserve(failing, 'u')).rejects.toThrow('connection lost');
    expect(await daily(counters)).toBe(0);
  });

  it('names a bad maxCostUsd, actualUsd or feature', async () => {
    const counters = createMemoryCounters();
    for (const maxCostUsd of [-0.01, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(reserve(counters, 'u', maxCostUsd)).rejects.toMatchObject({ field: 'maxCostUsd' });
    }
    const missingFeature = reserveBudget(counters, {
      feature: '',
      policy,
      unitId: 'u',
      maxCostUsd: 1,
      now: noon,
    });
    await expect(missingFeature).rejects.toMatchObject({ field: 'feature' });
    const hold = await reserve(counters, 'u');
    const error = await refusal(hold.settle(-1));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field: 'actualUsd' });
    await hold.settle(0.01);
    expect(await daily(counters)).toBe(0.01);
  });
});
