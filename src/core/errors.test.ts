import { describe, expect, it } from 'vitest';
import {
  AllVariantsFailedError,
  AlreadyExistsError,
  BudgetExceededError,
  CancelledError,
  ExperimentNotFoundError,
  FeatureNotFoundError,
  InvalidConfigError,
  InvalidInputError,
  InvalidTransitionError,
  RateLimitedError,
  SWITCHYARD_ERROR_CODES,
  SwitchyardError,
  VersionConflictError,
} from './errors.js';

/** One instance of every error class core throws, with the code it must carry. */
function everyError() {
  return [
    [
      InvalidConfigError,
      new InvalidConfigError('invalid options', [{ path: 'a', message: 'b' }]),
      'INVALID_CONFIG',
    ],
    [FeatureNotFoundError, new FeatureNotFoundError('f'), 'FEATURE_NOT_FOUND'],
    [ExperimentNotFoundError, new ExperimentNotFoundError('e'), 'EXPERIMENT_NOT_FOUND'],
    [InvalidTransitionError, new InvalidTransitionError('e', 'draft', 'pause'), 'INVALID_TRANSITION'],
    [VersionConflictError, new VersionConflictError('f', 1, 2), 'VERSION_CONFLICT'],
    [AlreadyExistsError, new AlreadyExistsError('f'), 'ALREADY_EXISTS'],
    [InvalidInputError, new InvalidInputError('input', 'is empty'), 'INVALID_INPUT'],
    [
      RateLimitedError,
      new RateLimitedError({ feature: 'f', limit: 1, tier: null, window: 'day', retryAfterMs: 1 }),
      'RATE_LIMITED',
    ],
    [
      BudgetExceededError,
      new BudgetExceededError({ feature: 'f', scope: 'daily', capUsd: 1, retryAfterMs: 1 }),
      'BUDGET_EXCEEDED',
    ],
    [AllVariantsFailedError, new AllVariantsFailedError('f', []), 'ALL_VARIANTS_FAILED'],
    [CancelledError, new CancelledError('f', new DOMException('stop', 'AbortError')), 'CANCELLED'],
  ] as const;
}

describe('error classes', () => {
  it('carry a stable code from the closed list, and isInstance tells each class apart', () => {
    const errors = everyError();
    for (const [errorClass, error, code] of errors) {
      expect(error.code).toBe(code);
      expect(SWITCHYARD_ERROR_CODES).toContain(code);
      expect(SwitchyardError.isInstance(error)).toBe(true);
      expect(errorClass.isInstance(error)).toBe(true);
      for (const [otherClass, other] of errors) {
        if (other !== error) expect(otherClass.isInstance(error)).toBe(false);
      }
    }
    for (const value of [new Error('x'), null, undefined, 'BUDGET_EXCEEDED', { code: 'BUDGET_EXCEEDED' }]) {
      expect(SwitchyardError.isInstance(value)).toBe(false);
      expect(BudgetExceededError.isInstance(value)).toBe(false);
    }
  });

  it('recognises errors thrown by another copy of the package, where instanceof fails', async () => {
    // The query makes the module loader evaluate a second, separate copy of the same file.
    const secondCopy: string = './errors.js?second-copy';
    const copy = (await import(secondCopy)) as typeof import('./errors.js');
    expect(copy.BudgetExceededError).not.toBe(BudgetExceededError);
    const foreign = new copy.BudgetExceededError({
      feature: 'f',
      scope: 'daily',
      capUsd: 1,
      retryAfterMs: 1,
    });
    expect(foreign instanceof BudgetExceededError).toBe(false);
    expect(BudgetExceededError.isInstance(foreign)).toBe(true);
    expect(SwitchyardError.isInstance(foreign)).toBe(true);
    expect(RateLimitedError.isInstance(foreign)).toBe(false);
    expect(CancelledError.isInstance(new copy.CancelledError('f', undefined))).toBe(true);
  });

  it('keeps the cancelled run reason the signal gave', () => {
    const reason = new DOMException('the user pressed stop', 'AbortError');
    const error = new CancelledError('coach-reply', reason);
    expect(error.reason).toBe(reason);
    expect(error.cause).toBe(reason);
    expect(error.message).toContain('the user pressed stop');
  });
});
