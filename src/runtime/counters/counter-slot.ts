import { InvalidInputError } from '../../core/errors.js';
import type { FixedWindow } from './counters.js';

/** One counter: a key in one fixed window, with the identity adapters store it under. */
export interface CounterSlot {
  key: string;
  windowMs: number;
  windowStart: number;
  windowEnd: number;
  /** `key:windowMs:windowStart`; unambiguous because the last two parts are always numbers. */
  id: string;
}

/** The names reported in errors, so a bad reservation names its own fields. */
export interface CounterSlotFields {
  key: string;
  window: string;
  now: string;
}

const defaultFields: CounterSlotFields = { key: 'key', window: 'window.ms', now: 'now' };

/**
 * Validates a key, window and instant and returns the window-aligned counter they address; the
 * window length is part of the identity so a minute and an hour counter on one key never collide.
 */
export function counterSlot(
  key: string,
  window: FixedWindow,
  now: number,
  fields: CounterSlotFields = defaultFields,
): CounterSlot {
  if (typeof key !== 'string' || key.length === 0) {
    throw new InvalidInputError(fields.key, 'must be a non-empty string');
  }
  const windowMs = window?.ms;
  if (typeof windowMs !== 'number' || !Number.isSafeInteger(windowMs) || windowMs <= 0) {
    throw new InvalidInputError(fields.window, 'must be a positive integer number of milliseconds');
  }
  if (typeof now !== 'number' || !Number.isFinite(now)) {
    throw new InvalidInputError(fields.now, 'must be a finite number of epoch milliseconds');
  }
  const windowStart = Math.floor(now / windowMs) * windowMs;
  return {
    key,
    windowMs,
    windowStart,
    windowEnd: windowStart + windowMs,
    id: `${key}:${windowMs}:${windowStart}`,
  };
}
