import { InvalidInputError } from '../core/errors.js';

/** Checks that a field is a non-empty string, InvalidInputError naming it when it is not. */
export function requireInputText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidInputError(field, 'must be a non-empty string');
  }
  return value;
}

/** Checks that a field is an integer from `min` to `max`, InvalidInputError naming it when it is not. */
export function requireInputInteger(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInputError(field, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** Checks that a field is epoch milliseconds: a non-negative safe integer (times live in bigint columns). */
export function requireInputTime(field: string, value: unknown): number {
  return requireInputInteger(field, value, 0, Number.MAX_SAFE_INTEGER);
}
