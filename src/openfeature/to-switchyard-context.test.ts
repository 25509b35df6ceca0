import { describe, expect, it } from 'vitest';
import { toSwitchyardContext } from './to-switchyard-context.js';

describe('toSwitchyardContext', () => {
  it('moves targetingKey to userId and leaves the frozen input untouched', () => {
    const input = Object.freeze({ targetingKey: 'u-42', tier: 'paid', qa: { 'coach-reply': 'v2' } });
    expect(toSwitchyardContext(input, 'qa')).toEqual({
      ok: true,
      context: { attributes: { tier: 'paid', userId: 'u-42' }, overrides: { 'coach-reply': 'v2' } },
    });
    expect(input).toEqual({ targetingKey: 'u-42', tier: 'paid', qa: { 'coach-reply': 'v2' } });
  });

  it('keeps an overrides-named attribute as an attribute when no overrides attribute is configured', () => {
    expect(toSwitchyardContext({ qa: { 'coach-reply': 'v2' } })).toEqual({
      ok: true,
      context: { attributes: { qa: { 'coach-reply': 'v2' } } },
    });
  });

  it('treats a null overrides attribute as no overrides and rejects arrays and dates', () => {
    expect(toSwitchyardContext({ qa: null }, 'qa')).toEqual({ ok: true, context: { attributes: {} } });
    expect(toSwitchyardContext({ qa: ['v2'] }, 'qa')).toMatchObject({ ok: false });
    expect(toSwitchyardContext({ qa: new Date(0) }, 'qa')).toMatchObject({ ok: false });
  });
});
