import { InvalidInputError } from '../../core/errors.js';
import { type CounterSlot, counterSlot } from './counter-slot.js';
import {
  COUNTER_EXPIRY_MARGIN_MS,
  type Counters,
  type CountersKind,
  type FixedWindow,
  type HitResult,
  type Reservation,
  type ReserveResult,
} from './counters.js';
import { MICRO_UNITS_PER_UNIT, toMicroUnits } from './to-micro-units.js';

/**
 * The atomic primitives an adapter provides; `countersFromEngine` adds validation, window arithmetic
 * and unit conversion, so every adapter shares those rules exactly. Values are integer micro-units.
 */
export interface CounterEngine {
  /**
   * In one atomic step: adds `increment` when `current + increment <= ceiling`, and keeps the counter
   * for `ttlMs` from `now`; returns whether it added and the value afterwards.
   */
  addWithin(
    slot: CounterSlot,
    increment: number,
    ceiling: number,
    ttlMs: number,
    now: number,
  ): Promise<{ added: boolean; value: number }>;
  /** In one atomic step: adds `delta` to an existing counter, clamped at 0; a missing counter stays missing. */
  adjust(slot: CounterSlot, delta: number): Promise<void>;
  /** The counter's value, 0 when it does not exist or has expired. */
  read(slot: CounterSlot, now: number): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const reservationFields = {
  key: 'reservation.key',
  window: 'reservation.windowMs',
  now: 'reservation.windowStart',
};

/** Builds a `Counters` of the given kind on top of an adapter's atomic primitives. */
export function countersFromEngine(kind: CountersKind, engine: CounterEngine): Counters {
  return {
    specificationVersion: 1,
    kind,

    async hit(key: string, limit: number, window: FixedWindow, now: number): Promise<HitResult> {
      const slot = counterSlot(key, window, now);
      const limitMicros = toMicroUnits(limit, 'limit');
      // "count < limit" over integers is "count + 1 unit <= limit + 1 unit - 1 micro-unit", which
      // lets hits and reservations share one atomic compare-and-add.
      const ceiling = limitMicros + MICRO_UNITS_PER_UNIT - 1;
      const { added, value } = await engine.addWithin(
        slot,
        MICRO_UNITS_PER_UNIT,
        ceiling,
        ttlMs(slot, now),
        now,
      );
      const count = value / MICRO_UNITS_PER_UNIT;
      return {
        allowed: added,
        count,
        remaining: Math.max(0, Math.floor((limitMicros - value) / MICRO_UNITS_PER_UNIT)),
        resetAt: slot.windowEnd,
        retryAfterMs: added ? 0 : slot.windowEnd - now,
      };
    },

    async reserve(
      key: string,
      amount: number,
      cap: number,
      window: FixedWindow,
      now: number,
    ): Promise<ReserveResult> {
      const slot = counterSlot(key, window, now);
      const amountMicros = toMicroUnits(amount, 'amount');
      const capMicros = toMicroUnits(cap, 'cap');
      const { added, value } = await engine.addWithin(slot, amountMicros, capMicros, ttlMs(slot, now), now);
      if (!added) {
        return { ok: false, current: value / MICRO_UNITS_PER_UNIT, retryAfterMs: slot.windowEnd - now };
      }
      return {
        ok: true,
        reservation: { key: slot.key, windowStart: slot.windowStart, amount, windowMs: slot.windowMs },
      };
    },

    async settle(reservation: Reservation, actual: number): Promise<void> {
      if (typeof reservation !== 'object' || reservation === null) {
        throw new InvalidInputError('reservation', 'must be a reservation returned by reserve');
      }
      const slot = counterSlot(
        reservation.key,
        { ms: reservation.windowMs },
        reservation.windowStart,
        reservationFields,
      );
      const delta = toMicroUnits(actual, 'actual') - toMicroUnits(reservation.amount, 'reservation.amount');
      if (delta !== 0) await engine.adjust(slot, delta);
    },

    async peek(key: string, window: FixedWindow, now: number): Promise<number> {
      return (await engine.read(counterSlot(key, window, now), now)) / MICRO_UNITS_PER_UNIT;
    },

    ping: () => engine.ping(),
    close: () => engine.close(),
  };
}

// Relative to the caller's clock rather than an absolute PEXPIREAT, so a counter lives exactly as long
// as its window (plus the margin) on that clock even when it differs from the server's.
function ttlMs(slot: CounterSlot, now: number): number {
  return Math.ceil(slot.windowEnd - now) + COUNTER_EXPIRY_MARGIN_MS;
}
