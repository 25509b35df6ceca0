import { InvalidInputError } from '../../core/errors.js';

/** Counters hold integers: one unit (one hit, one dollar) is a million of them. */
export const MICRO_UNITS_PER_UNIT = 1_000_000;

/** The largest limit, cap or amount a counter accepts, so every sum stays an exact double in Lua and JS. */
export const MAX_COUNTER_AMOUNT = 9_000_000_000;

/**
 * Validates a non-negative finite amount (a limit, a cap, dollars) and converts it to integer
 * micro-units, so that $0.10 + $0.20 is exactly $0.30 once counted.
 */
export function toMicroUnits(value: number, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidInputError(field, 'must be a finite number greater than or equal to 0');
  }
  if (value > MAX_COUNTER_AMOUNT) {
    throw new InvalidInputError(field, `must be at most ${MAX_COUNTER_AMOUNT}`);
  }
  return Math.round(value * MICRO_UNITS_PER_UNIT);
}
