import { describe, expect, it } from 'vitest';
import { gatewayCaller, ModelNotFoundError } from './gateway-caller.js';

describe('gatewayCaller model routes', () => {
  const routes = { 'gpt-4o-mini': 'coach-reply', '*': 'catch-all' };

  it('maps a raw model name to its feature, and any other name to the * route', () => {
    expect(gatewayCaller('gpt-4o-mini', undefined, {}, routes).feature).toBe('coach-reply');
    expect(gatewayCaller('claude-x', undefined, {}, routes).feature).toBe('catch-all');
    // switchyard/<feature> and the feature header still win over routes.
    expect(gatewayCaller('switchyard/other', undefined, {}, routes).feature).toBe('other');
    expect(gatewayCaller('gpt-4o-mini', undefined, { 'x-switchyard-feature': 'hdr' }, routes).feature).toBe(
      'hdr',
    );
  });

  it('refuses an unmapped name with model_not_found, and a missing one naming the field', () => {
    expect(() => gatewayCaller('gpt-5', undefined, {}, { 'gpt-4o-mini': 'coach-reply' })).toThrow(
      ModelNotFoundError,
    );
    expect(() => gatewayCaller('toString', undefined, {}, {})).toThrow(ModelNotFoundError);
    expect(() => gatewayCaller(undefined, undefined, {})).toThrow(/name the feature/);
  });
});
