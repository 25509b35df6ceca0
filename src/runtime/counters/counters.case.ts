import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../core/errors.js';
import type { Counters, FixedWindow, Reservation } from './counters.js';

/** Opens a fresh, empty `Counters` for one test. */
export type OpenTestCounters = () => Counters | Promise<Counters>;

const second: FixedWindow = { ms: 1_000 };
const minute: FixedWindow = { ms: 60_000 };
const hour: FixedWindow = { ms: 3_600_000 };
const day: FixedWindow = { ms: 86_400_000 };
/** Midnight UTC, so it starts a second, a minute, an hour and a day window at once. */
const base = Date.UTC(2030, 0, 1);

/**
 * The contract every `Counters` adapter must pass: exact limits, epoch-aligned windows, reserve and
 * settle arithmetic, validation, and atomicity under 500 concurrent calls.
 */
export function countersContract(name: string, open: OpenTestCounters): void {
  describe(`Counters contract: ${name}`, () => {
    let counters: Counters;
    beforeEach(async () => {
      counters = await open();
    });
    afterEach(async () => {
      await counters.close();
    });

    it('identifies itself and answers a ping', async () => {
      expect(counters.specificationVersion).toBe(1);
      expect(counters.kind).toBe(name);
      await expect(counters.ping()).resolves.toBeUndefined();
    });

    describe('hit', () => {
      it('allows exactly `limit` hits, and a refused hit does not count', async () => {
        const results = [];
        for (let index = 0; index < 5; index += 1)
          results.push(await counters.hit('user-1', 3, day, base + 5));
        expect(results.map((result) => [result.allowed, result.count, result.remaining])).toEqual([
          [true, 1, 2],
          [true, 2, 1],
          [true, 3, 0],
          [false, 3, 0],
          [false, 3, 0],
        ]);
        expect(results[0]!.retryAfterMs).toBe(0);
        expect(results[3]).toMatchObject({ resetAt: base + day.ms, retryAfterMs: day.ms - 5 });
        expect(await counters.peek('user-1', day, base + 5)).toBe(3);
      });

      it('refuses every hit at limit 0', async () => {
        const result = await counters.hit('blocked', 0, minute, base);
        expect(result).toMatchObject({ allowed: false, count: 0, remaining: 0, retryAfterMs: minute.ms });
        expect(await counters.peek('blocked', minute, base)).toBe(0);
      });

      it('aligns windows to multiples of their length since the epoch (a day is a UTC day)', async () => {
        const lateEvening = Date.UTC(2030, 0, 1, 23, 59, 59, 999);
        const result = await counters.hit('aligned', 10, day, lateEvening);
        expect(result.resetAt).toBe(Date.UTC(2030, 0, 2));
        expect(result.retryAfterMs).toBe(0);
        expect((await counters.hit('odd', 10, { ms: 7 }, 20)).resetAt).toBe(21);
        expect((await counters.hit('hourly', 10, hour, base + 90 * 60_000)).resetAt).toBe(base + 2 * hour.ms);
      });

      it('rolls over exactly at the window boundary', async () => {
        await counters.hit('roll', 2, minute, base);
        await counters.hit('roll', 2, minute, base + 30_000);
        const lastMoment = await counters.hit('roll', 2, minute, base + 59_999);
        expect(lastMoment).toMatchObject({ allowed: false, count: 2, retryAfterMs: 1 });
        const nextWindow = await counters.hit('roll', 2, minute, base + 60_000);
        expect(nextWindow).toMatchObject({ allowed: true, count: 1, remaining: 1, resetAt: base + 120_000 });
        expect(await counters.peek('roll', minute, base + 59_999)).toBe(2);
        expect(await counters.peek('roll', minute, base + 60_000)).toBe(1);
      });

      it('keeps keys, and window lengths on one key, apart', async () => {
        await counters.hit('a', 5, minute, base);
        await counters.hit('a', 5, minute, base);
        await counters.hit('b', 5, minute, base);
        await counters.hit('a', 5, hour, base);
        await counters.hit('a:60000', 5, second, base);
        expect(await counters.peek('a', minute, base)).toBe(2);
        expect(await counters.peek('b', minute, base)).toBe(1);
        expect(await counters.peek('a', hour, base)).toBe(1);
        expect(await counters.peek('a:60000', second, base)).toBe(1);
        expect(await counters.peek('never', minute, base)).toBe(0);
      });
    });

    describe('reserve and settle', () => {
      it('reserves up to the cap exactly, in whole micro-dollars, and refuses past it', async () => {
        const first = await counters.reserve('budget', 0.1, 0.6, day, base);
        const second = await counters.reserve('budget', 0.2, 0.6, day, base);
        const third = await counters.reserve('budget', 0.3, 0.6, day, base);
        expect([first.ok, second.ok, third.ok]).toEqual([true, true, true]);
        expect(await counters.peek('budget', day, base)).toBe(0.6);
        const refused = await counters.reserve('budget', 0.000001, 0.6, day, base + 1_000);
        expect(refused).toEqual({ ok: false, current: 0.6, retryAfterMs: day.ms - 1_000 });
        expect(await counters.peek('budget', day, base)).toBe(0.6);
        expect(first.ok && first.reservation).toEqual({
          key: 'budget',
          windowStart: base,
          amount: 0.1,
          windowMs: day.ms,
        });
      });

      it('settles down to free room and up to consume it', async () => {
        const first = await counters.reserve('spend', 0.05, 0.1, day, base);
        if (!first.ok) throw new Error('first reservation refused');
        await counters.settle(first.reservation, 0.02);
        expect(await counters.peek('spend', day, base)).toBe(0.02);
        const second = await counters.reserve('spend', 0.08, 0.1, day, base);
        if (!second.ok) throw new Error('second reservation refused');
        await counters.settle(second.reservation, 0.09);
        expect(await counters.peek('spend', day, base)).toBe(0.11);
        expect(await counters.reserve('spend', 0, 0.1, day, base)).toMatchObject({
          ok: false,
          current: 0.11,
        });
      });

      it('never settles a counter below 0', async () => {
        const result = await counters.reserve('floor', 0.1, 1, hour, base);
        if (!result.ok) throw new Error('reservation refused');
        await counters.settle({ ...result.reservation, amount: 0.5 }, 0);
        expect(await counters.peek('floor', hour, base)).toBe(0);
        expect((await counters.reserve('floor', 1, 1, hour, base)).ok).toBe(true);
      });

      it('settles into the reserved window only, so a late settle never touches the next window', async () => {
        const early = await counters.reserve('late', 0.5, 1, minute, base + 59_000);
        if (!early.ok) throw new Error('reservation refused');
        await counters.reserve('late', 0.25, 1, minute, base + 61_000);
        await counters.settle(early.reservation, 0.9);
        expect(await counters.peek('late', minute, base + 61_000)).toBe(0.25);
      });

      it('does nothing when the reserved window has expired, and does not recreate it', async () => {
        const expired: Reservation = {
          key: 'gone',
          windowStart: base - day.ms,
          amount: 0.05,
          windowMs: day.ms,
        };
        await counters.settle(expired, 3);
        expect(await counters.peek('gone', day, base - day.ms)).toBe(0);
      });

      it('shares one counter between hits and reservations (one hit is one unit)', async () => {
        await counters.hit('mixed', 10, hour, base);
        await counters.reserve('mixed', 1.5, 10, hour, base);
        expect(await counters.peek('mixed', hour, base)).toBe(2.5);
        expect(await counters.hit('mixed', 3, hour, base)).toMatchObject({
          allowed: true,
          count: 3.5,
          remaining: 0,
        });
      });

      it('matches a sequential model over random reserve, settle and hit sequences', async () => {
        const operation = fc.oneof(
          fc.record({
            type: fc.constant('reserve' as const),
            amount: fc.double({ min: 0, max: 3, noNaN: true }),
            cap: fc.double({ min: 0, max: 5, noNaN: true }),
          }),
          fc.record({
            type: fc.constant('settle' as const),
            pick: fc.nat(),
            actual: fc.double({ min: 0, max: 3, noNaN: true }),
          }),
          fc.record({ type: fc.constant('hit' as const), limit: fc.integer({ min: 0, max: 6 }) }),
        );
        let run = 0;
        await fc.assert(
          fc.asyncProperty(fc.array(operation, { maxLength: 25 }), async (operations) => {
            run += 1;
            const key = `model-${run}`;
            let model = 0;
            const open: Reservation[] = [];
            for (const step of operations) {
              if (step.type === 'reserve') {
                const amount = Math.round(step.amount * 1e6);
                const result = await counters.reserve(key, step.amount, step.cap, hour, base);
                const fits = model + amount <= Math.round(step.cap * 1e6);
                expect(result.ok).toBe(fits);
                if (result.ok) {
                  model += amount;
                  open.push(result.reservation);
                }
              } else if (step.type === 'settle') {
                const reservation = open.splice(step.pick % Math.max(1, open.length), 1)[0];
                if (reservation === undefined) continue;
                await counters.settle(reservation, step.actual);
                const delta = Math.round(step.actual * 1e6) - Math.round(reservation.amount * 1e6);
                model = Math.max(0, model + delta);
              } else {
                const result = await counters.hit(key, step.limit, hour, base);
                expect(result.allowed).toBe(model < step.limit * 1e6);
                if (result.allowed) model += 1e6;
              }
              expect(Math.round((await counters.peek(key, hour, base)) * 1e6)).toBe(model);
            }
          }),
          { numRuns: 40, seed: 20_300_101 },
        );
      });
    });

    describe('argument validation', () => {
      const valid: Reservation = { key: 'k', windowStart: base, amount: 0.1, windowMs: minute.ms };
      const cases: Array<[string, (counters: Counters) => Promise<unknown>]> = [
        ['key', (c) => c.hit('', 1, minute, base)],
        ['limit', (c) => c.hit('k', -1, minute, base)],
        ['limit', (c) => c.hit('k', Number.NaN, minute, base)],
        ['limit', (c) => c.hit('k', Number.POSITIVE_INFINITY, minute, base)],
        ['window.ms', (c) => c.hit('k', 1, { ms: 0 }, base)],
        ['window.ms', (c) => c.hit('k', 1, { ms: 1.5 }, base)],
        ['window.ms', (c) => c.reserve('k', 1, 1, { ms: -60_000 }, base)],
        ['now', (c) => c.hit('k', 1, minute, Number.NaN)],
        ['amount', (c) => c.reserve('k', -0.01, 1, minute, base)],
        ['amount', (c) => c.reserve('k', 1e12, 1e9, minute, base)],
        ['cap', (c) => c.reserve('k', 0.01, Number.POSITIVE_INFINITY, minute, base)],
        ['actual', (c) => c.settle(valid, -1)],
        ['actual', (c) => c.settle(valid, Number.NaN)],
        ['reservation.windowMs', (c) => c.settle({ ...valid, windowMs: 0 }, 1)],
        ['reservation.amount', (c) => c.settle({ ...valid, amount: -1 }, 1)],
        ['reservation.key', (c) => c.settle({ ...valid, key: '' }, 1)],
        ['window.ms', (c) => c.peek('k', { ms: Number.NaN }, base)],
      ];
      it.each(cases)('rejects a bad %s with an error naming it', async (field, call) => {
        const error = await call(counters).then(
          () => undefined,
          (reason: unknown) => reason,
        );
        expect(error).toBeInstanceOf(InvalidInputError);
        expect(error).toMatchObject({ code: 'INVALID_INPUT', field });
      });
    });

    describe('atomicity under concurrency', () => {
      it('lets exactly 100 of 500 concurrent hits through a limit of 100', async () => {
        const results = await Promise.all(
          Array.from({ length: 500 }, () => counters.hit('crowd', 100, minute, base + 1)),
        );
        const allowed = results.filter((result) => result.allowed);
        expect(allowed).toHaveLength(100);
        expect(new Set(allowed.map((result) => result.count)).size).toBe(100);
        expect(await counters.peek('crowd', minute, base + 1)).toBe(100);
      });

      it('never lets 500 concurrent reservations, settled as they land, past the cap', async () => {
        const cap = 2.5;
        const amountOf = (index: number) => 0.001 + ((index * 7_919) % 50) / 1_000;
        const outcomes = await Promise.all(
          Array.from({ length: 500 }, async (_, index) => {
            const result = await counters.reserve('pool', amountOf(index), cap, day, base);
            if (!result.ok) return 0;
            // Settling at 60 % while other reservations are still in flight frees room for them.
            const actual = Math.round(amountOf(index) * 600_000) / 1e6;
            await counters.settle(result.reservation, actual);
            return Math.round(actual * 1e6);
          }),
        );
        const settledMicros = outcomes.reduce((sum, micros) => sum + micros, 0);
        expect(outcomes.filter((micros) => micros === 0).length).toBeGreaterThan(0);
        expect(settledMicros).toBeLessThanOrEqual(cap * 1e6);
        expect(Math.round((await counters.peek('pool', day, base)) * 1e6)).toBe(settledMicros);
      });

      it('holds the cap exactly when 500 concurrent reservations race for it', async () => {
        const results = await Promise.all(
          Array.from({ length: 500 }, () => counters.reserve('race', 0.013, 1, day, base)),
        );
        // 76 × $0.013 = $0.988 fits in $1; a 77th would make $1.001.
        expect(results.filter((result) => result.ok)).toHaveLength(76);
        expect(await counters.peek('race', day, base)).toBe(0.988);
      });
    });
  });
}
