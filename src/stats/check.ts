import { SwitchyardError } from '../core/errors.js';
import type { Alternative } from './sided.js';

const ALTERNATIVES: readonly Alternative[] = ['two-sided', 'greater', 'less'];

/** Builds the error every statistics function throws for bad input: code `INVALID_INPUT`, field first. */
function invalid(field: string, expectation: string, value: unknown): SwitchyardError {
  return new SwitchyardError('INVALID_INPUT', `${field} must be ${expectation} (got ${String(value)})`);
}

/** Input validators shared by the statistics functions; each returns the value or throws naming the field. */
export const check = {
  /** A finite number. */
  finite(field: string, value: number): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, 'a finite number', value);
    return value;
  },

  /** A finite number that is zero or more. */
  nonNegative(field: string, value: number): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw invalid(field, 'a finite number >= 0', value);
    }
    return value;
  },

  /** A finite number above zero. */
  positive(field: string, value: number): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw invalid(field, 'a finite number > 0', value);
    }
    return value;
  },

  /** A whole number at least `minimum` (a count). */
  integerAtLeast(field: string, value: number, minimum: number): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
      throw invalid(field, `an integer >= ${minimum}`, value);
    }
    return value;
  },

  /** A probability strictly between 0 and 1 (alpha, power). */
  openUnit(field: string, value: number): number {
    if (typeof value !== 'number' || !(value > 0 && value < 1)) throw invalid(field, 'in (0, 1)', value);
    return value;
  },

  /** A probability in [0, 1] (a p-value, a rate). */
  unit(field: string, value: number): number {
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw invalid(field, 'in [0, 1]', value);
    return value;
  },

  /** One of 'two-sided', 'greater', 'less'. */
  alternative(field: string, value: Alternative): Alternative {
    if (!ALTERNATIVES.includes(value)) throw invalid(field, `one of ${ALTERNATIVES.join(', ')}`, value);
    return value;
  },

  /** Successes and trials of one arm: whole numbers with 0 <= successes <= trials and trials >= 1. */
  counts(successesField: string, successes: number, totalField: string, total: number): void {
    check.integerAtLeast(totalField, total, 1);
    check.integerAtLeast(successesField, successes, 0);
    if (successes > total) throw invalid(successesField, `<= ${totalField} (${total})`, successes);
  },

  /** Throws the standard error for a rule no single validator covers. */
  fail(field: string, expectation: string, value: unknown): never {
    throw invalid(field, expectation, value);
  },
};
