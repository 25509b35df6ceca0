import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFeature } from './compile-feature.js';
import { evaluate } from './evaluate.js';
import type { FeatureConfigInput } from './feature-config.js';
import { lacksConsent } from './lacks-consent.js';
import { parseFeature, validateFeature } from './validate-feature.js';

const base: FeatureConfigInput = {
  key: 'onboarding-coach',
  version: 4,
  defaultVariant: 'generic',
  variants: { generic: { type: 'handler' }, tailored: { type: 'handler' }, terse: { type: 'handler' } },
  rules: [
    { id: 'beta', when: { tier: 'beta' }, serve: 'tailored' },
    {
      id: 'test',
      split: { generic: 1, tailored: 1, terse: 1 },
      coverage: 0.8,
      experiment: { key: 'coach-test', status: 'running' },
    },
  ],
};
const withConsent = (extra: Partial<FeatureConfigInput> = {}) =>
  compileFeature(parseFeature({ ...base, consent: { attribute: 'consent.personalization' }, ...extra }));

describe('consent', () => {
  it('serves the default with reason NO_CONSENT unless the attribute is exactly true', () => {
    const feature = withConsent();
    const refused = [
      undefined,
      {},
      { consent: {} },
      { consent: { personalization: false } },
      { consent: { personalization: 'true' } },
      { consent: { personalization: 1 } },
      { consent: true },
      { 'consent.personalization': true },
    ];
    for (const extra of refused) {
      const decision = evaluate(feature, { attributes: { userId: 'u-1', tier: 'beta', ...extra } });
      expect(decision).toEqual({
        feature: 'onboarding-coach',
        variant: 'generic',
        payload: null,
        reason: 'NO_CONSENT',
        ruleId: null,
        bucket: null,
        version: 4,
      });
    }
    expect(evaluate(feature).reason).toBe('NO_CONSENT');
    expect(
      evaluate(feature, { attributes: { userId: 'u-1', tier: 'beta', consent: { personalization: true } } }),
    ).toMatchObject({ variant: 'tailored', reason: 'TARGETING_MATCH' });
  });

  it('ignores a stored arm without consent, and keeps kill, override and disable ahead of it', () => {
    const feature = withConsent();
    const attributes = { userId: 'u-1' };
    expect(evaluate(feature, { attributes, assignments: { 'coach-test': 'terse' } }).reason).toBe(
      'NO_CONSENT',
    );
    expect(evaluate(feature, { attributes, overrides: { 'onboarding-coach': 'terse' } })).toMatchObject({
      variant: 'terse',
      reason: 'OVERRIDE',
    });
    expect(evaluate(withConsent({ killed: true }), { attributes }).reason).toBe('KILLED');
    expect(evaluate(withConsent({ enabled: false }), { attributes }).reason).toBe('DISABLED');
    expect(lacksConsent(feature, attributes)).toBe(true);
    expect(lacksConsent(feature, { consent: { personalization: true } })).toBe(false);
    expect(lacksConsent(compileFeature(parseFeature(base)), attributes)).toBe(false);
  });

  it('refuses a malformed consent, naming the field', () => {
    for (const consent of [{}, { attribute: '' }, { attribute: 'a..b' }, { attribute: 'x', extra: 1 }]) {
      const result = validateFeature({ ...base, consent });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems[0]?.path).toMatch(/^consent/);
    }
  });

  it('decides exactly as without consent for every consenting unit', () => {
    const plain = compileFeature(parseFeature(base));
    const gated = withConsent();
    fc.assert(
      fc.property(
        fc.record({
          userId: fc.oneof(fc.string(), fc.integer(), fc.constant(undefined)),
          tier: fc.constantFrom('beta', 'free', undefined),
        }),
        fc.option(fc.constantFrom('generic', 'tailored', 'terse', 'gone'), { nil: undefined }),
        fc.option(fc.constantFrom('generic', 'tailored', 'terse'), { nil: undefined }),
        (attributes, arm, override) => {
          const context = {
            attributes: { ...attributes, consent: { personalization: true } },
            ...(arm === undefined ? {} : { assignments: { 'coach-test': arm } }),
            ...(override === undefined ? {} : { overrides: { 'onboarding-coach': override } }),
          };
          expect(evaluate(gated, context)).toEqual(evaluate(plain, context));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
