import { randomUUID } from 'node:crypto';
import { ErrorCode, OpenFeature, type Provider, StandardResolutionReasons } from '@openfeature/server-sdk';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { compileFeature } from '../core/compile-feature.js';
import type { Decision } from '../core/decision.js';
import { evaluate } from '../core/evaluate.js';
import { parseFeature } from '../core/validate-feature.js';
import type { Switchyard } from '../runtime/client/switchyard-client.js';
import { fakeSwitchyard, testFeatures } from './fake-switchyard.test-helper.js';
import type { SwitchyardLike } from './switchyard-like.js';
import { createSwitchyardProvider } from './switchyard-provider.js';

/** Registers the provider under a fresh domain so tests never share OpenFeature's global state. */
async function clientFor(provider: Provider) {
  const domain = randomUUID();
  await OpenFeature.setProviderAndWait(domain, provider);
  return OpenFeature.getClient(domain);
}

afterEach(async () => {
  await OpenFeature.clearProviders();
});

describe('createSwitchyardProvider', () => {
  it('is a server provider named switchyard that a Switchyard client satisfies', () => {
    const provider = createSwitchyardProvider(fakeSwitchyard());
    expect(provider.metadata.name).toBe('switchyard');
    expect(provider.runsOn).toBe('server');
    expectTypeOf<Switchyard>().toExtend<SwitchyardLike>();
  });

  it('resolves a string flag to the variant key with reason, variant and metadata', async () => {
    const client = await clientFor(createSwitchyardProvider(fakeSwitchyard()));
    const details = await client.getStringDetails('coach-reply', 'fallback', {
      targetingKey: 'u1',
      tenant: 'acme',
    });
    expect(details).toMatchObject({
      flagKey: 'coach-reply',
      value: 'v2',
      variant: 'v2',
      reason: StandardResolutionReasons.TARGETING_MATCH,
      flagMetadata: { switchyardReason: 'TARGETING_MATCH', ruleId: 'canary', version: 3 },
    });
    expect(details.errorCode).toBeUndefined();
    expect(details.flagMetadata).not.toHaveProperty('bucket');
    const fallthrough = await client.getStringDetails('coach-reply', 'fallback', { targetingKey: 'u1' });
    expect(fallthrough).toMatchObject({ value: 'v1', reason: 'DEFAULT', flagMetadata: { version: 3 } });
    expect(fallthrough.flagMetadata).not.toHaveProperty('ruleId');
  });

  it('reports splits with the bucket, sticky on the targeting key', async () => {
    const fake = fakeSwitchyard();
    const client = await clientFor(createSwitchyardProvider(fake));
    const compiled = compileFeature(parseFeature(testFeatures[0]!));
    const served = new Set<string>();
    for (let index = 0; index < 100; index += 1) {
      const context = { targetingKey: `user-${index}`, tier: 'paid' };
      const first = await client.getStringDetails('coach-reply', 'fallback', context);
      const again = await client.getStringValue('coach-reply', 'fallback', context);
      const expected = evaluate(compiled, { attributes: { userId: `user-${index}`, tier: 'paid' } });
      expect(again).toBe(first.value);
      expect(first).toMatchObject({
        value: expected.variant,
        reason: StandardResolutionReasons.SPLIT,
        flagMetadata: { switchyardReason: 'SPLIT', ruleId: 'rollout', bucket: expected.bucket },
      });
      served.add(first.value);
    }
    expect([...served].sort()).toEqual(['v1', 'v2']);
  });

  it('passes attributes through and maps targetingKey to userId unless the context has one', async () => {
    const fake = fakeSwitchyard();
    const client = await clientFor(createSwitchyardProvider(fake));
    await client.getStringValue('coach-reply', 'x', { targetingKey: 'u1', tier: 'paid', locale: 'de' });
    await client.getStringValue('coach-reply', 'x', { targetingKey: 'u1', userId: 'account-7' });
    expect(fake.contexts).toEqual([
      { attributes: { tier: 'paid', locale: 'de', userId: 'u1' } },
      { attributes: { userId: 'account-7' } },
    ]);
  });

  it('reads object, boolean and number flags from payloads', async () => {
    const client = await clientFor(createSwitchyardProvider(fakeSwitchyard()));
    expect(await client.getObjectValue('coach-reply', {}, { targetingKey: 'u', tenant: 'acme' })).toEqual({
      prompt: 'new',
      temperature: 0.7,
    });
    expect(await client.getBooleanValue('new-onboarding', false, { tier: 'paid' })).toBe(true);
    expect(await client.getBooleanValue('new-onboarding', true, { tier: 'free' })).toBe(false);
    expect(await client.getNumberValue('reply-temperature', 0, { beta: true })).toBe(0.9);
    const low = await client.getNumberDetails('reply-temperature', 0, {});
    expect(low).toMatchObject({ value: 0.2, variant: 'low', reason: 'DEFAULT' });
  });

  it('reports kills and disabled features as DISABLED, keeping the exact reason in metadata', async () => {
    const client = await clientFor(createSwitchyardProvider(fakeSwitchyard()));
    const killed = await client.getBooleanDetails('persona-generation', true, { targetingKey: 'u1' });
    expect(killed).toMatchObject({
      value: false,
      variant: 'legacy',
      reason: StandardResolutionReasons.DISABLED,
      flagMetadata: { switchyardReason: 'KILLED' },
    });
    const disabled = await client.getNumberDetails('summaries', 0, {});
    expect(disabled).toMatchObject({
      value: 1,
      reason: 'DISABLED',
      flagMetadata: { switchyardReason: 'DISABLED' },
    });
  });

  it('reports a unit without the consent a feature requires as DEFAULT, keeping NO_CONSENT in metadata', async () => {
    const client = await clientFor(createSwitchyardProvider(fakeSwitchyard()));
    const refused = await client.getStringDetails('tailored-tips', 'x', { targetingKey: 'u1' });
    expect(refused).toMatchObject({
      value: 'generic',
      variant: 'generic',
      reason: StandardResolutionReasons.DEFAULT,
      flagMetadata: { switchyardReason: 'NO_CONSENT' },
    });
    expect(refused.errorCode).toBeUndefined();
    const consenting = { targetingKey: 'u1', consent: { personalization: true } };
    expect(await client.getStringDetails('tailored-tips', 'x', consenting)).toMatchObject({
      value: 'tailored',
      reason: StandardResolutionReasons.TARGETING_MATCH,
    });
  });

  it('returns the default with FLAG_NOT_FOUND for an unknown feature', async () => {
    const client = await clientFor(createSwitchyardProvider(fakeSwitchyard()));
    const details = await client.getStringDetails('no-such-feature', 'fallback');
    expect(details).toMatchObject({
      value: 'fallback',
      reason: StandardResolutionReasons.ERROR,
      errorCode: ErrorCode.FLAG_NOT_FOUND,
    });
    expect(details.errorMessage).toContain('no-such-feature');
  });

  it('returns the default with TYPE_MISMATCH when the payload does not have the requested type', async () => {
    const client = await clientFor(createSwitchyardProvider(fakeSwitchyard()));
    const noPayload = await client.getObjectDetails('bare-variants', { fallback: true });
    expect(noPayload).toMatchObject({
      value: { fallback: true },
      reason: 'ERROR',
      errorCode: ErrorCode.TYPE_MISMATCH,
      flagMetadata: { switchyardReason: 'DEFAULT' },
    });
    expect(noPayload.errorMessage).toContain('variant "a" of feature "bare-variants" has no payload');
    const wrongType = await client.getBooleanDetails('reply-temperature', true);
    expect(wrongType).toMatchObject({ value: true, errorCode: ErrorCode.TYPE_MISMATCH });
    expect(await client.getNumberValue('coach-reply', 5)).toBe(5);
    expect(await client.getStringValue('bare-variants', 'fallback')).toBe('a');
  });

  it('turns the overrides attribute into QA overrides and rejects malformed ones as INVALID_CONTEXT', async () => {
    const fake = fakeSwitchyard();
    const client = await clientFor(createSwitchyardProvider(fake, { overridesAttribute: 'qa' }));
    const forced = await client.getStringDetails('coach-reply', 'x', {
      targetingKey: 'u',
      qa: { 'coach-reply': 'v2' },
    });
    expect(forced).toMatchObject({
      value: 'v2',
      reason: StandardResolutionReasons.TARGETING_MATCH,
      flagMetadata: { switchyardReason: 'OVERRIDE' },
    });
    expect(fake.contexts.at(-1)).toEqual({ attributes: { userId: 'u' }, overrides: { 'coach-reply': 'v2' } });

    const notObject = await client.getStringDetails('coach-reply', 'x', { qa: 'v2' });
    expect(notObject).toMatchObject({ value: 'x', reason: 'ERROR', errorCode: ErrorCode.INVALID_CONTEXT });
    expect(notObject.errorMessage).toContain('context.qa must be an object');

    const unknownVariant = await client.getStringDetails('coach-reply', 'x', { qa: { 'coach-reply': 'v9' } });
    expect(unknownVariant).toMatchObject({
      value: 'x',
      errorCode: ErrorCode.INVALID_CONTEXT,
      flagMetadata: { switchyardReason: 'ERROR', switchyardErrorCode: 'UNKNOWN_OVERRIDE_VARIANT' },
    });
  });

  it('maps Switchyard evaluation errors and unexpected throws to GENERAL, never throwing', async () => {
    const failed: Decision = {
      feature: 'f',
      variant: 'a',
      payload: null,
      reason: 'ERROR',
      ruleId: null,
      bucket: null,
      version: 1,
      errorCode: 'EVALUATION_FAILED',
      errorMessage: 'condition blew up',
    };
    const invalid: Decision = { ...failed, errorCode: 'INVALID_CONTEXT', errorMessage: 'bad attributes' };
    const answers: Record<string, () => Decision> = {
      failed: () => failed,
      invalid: () => invalid,
      broken: () => {
        throw new Error('store unavailable');
      },
    };
    const client = await clientFor(
      createSwitchyardProvider({ decide: (key) => answers[key]!(), feedback: () => {} }),
    );
    expect(await client.getStringDetails('failed', 'x')).toMatchObject({
      value: 'x',
      errorCode: ErrorCode.GENERAL,
      errorMessage: 'condition blew up',
    });
    expect(await client.getStringDetails('invalid', 'x')).toMatchObject({
      errorCode: ErrorCode.INVALID_CONTEXT,
    });
    expect(await client.getStringDetails('broken', 'x')).toMatchObject({
      value: 'x',
      errorCode: ErrorCode.GENERAL,
      errorMessage: 'store unavailable',
    });
  });

  it('reports a sticky assignment as SPLIT with the exact reason in metadata', async () => {
    const sticky: Decision = {
      feature: 'coach-reply',
      variant: 'v2',
      payload: { prompt: 'new' },
      reason: 'STICKY',
      ruleId: 'rollout',
      bucket: 0.42,
      version: 4,
    };
    const client = await clientFor(createSwitchyardProvider({ decide: () => sticky, feedback: () => {} }));
    expect(await client.getStringDetails('coach-reply', 'v1', { targetingKey: 'u1' })).toMatchObject({
      value: 'v2',
      variant: 'v2',
      reason: StandardResolutionReasons.SPLIT,
      flagMetadata: { switchyardReason: 'STICKY', ruleId: 'rollout', bucket: 0.42, version: 4 },
    });
  });

  it('runs the error hooks for resolution errors', async () => {
    const client = await clientFor(createSwitchyardProvider(fakeSwitchyard()));
    const errors: string[] = [];
    client.addHooks({ error: (_hook, error) => void errors.push((error as { code?: string }).code ?? '') });
    await client.getStringValue('no-such-feature', 'x');
    await client.getBooleanValue('bare-variants', false);
    expect(errors).toEqual(['FLAG_NOT_FOUND', 'TYPE_MISMATCH']);
  });

  it('closes the client on provider close only when asked to', async () => {
    const owned = fakeSwitchyard();
    const borrowed = fakeSwitchyard();
    await clientFor(createSwitchyardProvider(owned, { closeClient: true }));
    await clientFor(createSwitchyardProvider(borrowed));
    await OpenFeature.clearProviders();
    expect(owned.closeCalls).toBe(1);
    expect(borrowed.closeCalls).toBe(0);
  });

  it('rejects bad arguments naming the field', () => {
    const fake = fakeSwitchyard();
    expect(() => createSwitchyardProvider({} as SwitchyardLike)).toThrow(/client/);
    expect(() => createSwitchyardProvider(fake, { overridesAttribute: '' })).toThrow(/overridesAttribute/);
    expect(() =>
      createSwitchyardProvider({ decide: fake.decide, feedback: fake.feedback }, { closeClient: true }),
    ).toThrow(/closeClient/);
  });
});
