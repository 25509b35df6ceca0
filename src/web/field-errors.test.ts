import { describe, expect, it } from 'vitest';
import { fieldErrors, splitRuleField } from './field-errors.js';

describe('fieldErrors with splitRuleField', () => {
  it('puts weight, coverage and split problems of the edited rule next to their fields', () => {
    const errors = fieldErrors(
      [
        { path: 'rules[1].split.v2', message: 'weight must be >= 0' },
        { path: 'rules[1].coverage', message: 'coverage must be between 0 and 1' },
        { path: 'rules[1].split', message: 'weights must sum to more than 0' },
        { path: 'rules[1].split.v2', message: 'expected number' },
        { path: 'rules[0].coverage', message: 'another rule' },
        { path: '', message: 'whole body' },
      ],
      (path) => splitRuleField(1, path),
    );
    expect(errors.fields).toEqual({
      'weight:v2': 'weight must be >= 0; expected number',
      coverage: 'coverage must be between 0 and 1',
      split: 'weights must sum to more than 0',
    });
    expect(errors.form).toEqual(['rules[0].coverage: another rule', 'whole body']);
  });

  it('keeps variant names with dots whole', () => {
    expect(splitRuleField(0, 'rules[0].split.v2.beta')).toBe('weight:v2.beta');
    expect(splitRuleField(0, 'rules[10].coverage')).toBeUndefined();
  });
});
