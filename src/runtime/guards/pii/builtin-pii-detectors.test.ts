import { describe, expect, it } from 'vitest';
import { builtinPiiDetectors } from './builtin-pii-detectors.js';

describe('builtinPiiDetectors', () => {
  it('lists the six built-in types once each, in tie-break order, and cannot be changed', () => {
    expect(builtinPiiDetectors.map((detector) => detector.type)).toEqual([
      'email',
      'iban',
      'card',
      'ssn',
      'ip',
      'phone',
    ]);
    expect(Object.isFrozen(builtinPiiDetectors)).toBe(true);
  });
});
