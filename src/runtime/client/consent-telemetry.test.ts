import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureConfigInput } from '../../core/feature-config.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { type FakeUpstream, startFakeUpstream } from '../../testing/index.js';
import { createSwitchyard } from './create-switchyard.js';

const coach: FeatureConfigInput = {
  key: 'onboarding-coach',
  defaultVariant: 'generic',
  consent: { attribute: 'consent.personalization' },
  policy: { telemetry: { storePrompts: true, storeOutputs: true, redactPII: false } },
  variants: {
    generic: { type: 'llm', provider: 'fake', model: 'gpt-4o-mini' },
    tailored: { type: 'llm', provider: 'fake', model: 'gpt-4o-mini', system: 'Tailor it.' },
  },
  rules: [
    {
      id: 'test',
      split: { generic: 0, tailored: 1 },
      experiment: { key: 'coach-test', status: 'running' },
    },
  ],
};

let upstream: FakeUpstream;
let store: Store;
beforeAll(async () => {
  upstream = await startFakeUpstream({ models: { 'gpt-4o-mini': { reply: 'Welcome aboard.' } } });
  store = await openStore('sqlite::memory:');
});
afterAll(async () => {
  await store.close();
  await upstream.close();
});

describe('a feature that requires consent', () => {
  it('stores nothing identifying about a unit without consent, and everything as before with it', async () => {
    const sy = await createSwitchyard({
      store,
      providers: { fake: { type: 'openai-compatible', baseURL: upstream.url } },
      features: [coach],
      telemetry: { flushOnSignals: false },
    });
    const refusing = { attributes: { userId: 'alice@example.com', consent: { personalization: false } } };
    const consenting = { attributes: { userId: 'bob', consent: { personalization: true } } };

    const refused = await sy.run('onboarding-coach', refusing, { input: 'I am Alice, 34, in Lyon' });
    expect(refused).toMatchObject({ variant: 'generic', value: 'Welcome aboard.' });
    expect(sy.decide('onboarding-coach', refusing)).toMatchObject({
      variant: 'generic',
      reason: 'NO_CONSENT',
    });
    await expect(sy.decideAsync('onboarding-coach', refusing)).resolves.toMatchObject({
      reason: 'NO_CONSENT',
    });
    const group = await sy.runAll(
      'onboarding-coach',
      refusing,
      { input: 'hi' },
      {
        variants: ['generic', 'tailored'],
      },
    );
    expect(group.results.map((entry) => entry.error?.code ?? entry.variant)).toEqual([
      'generic',
      'FEATURE_NO_CONSENT',
    ]);
    const served = await sy.run('onboarding-coach', consenting, { input: 'I am Bob' });
    expect(served.variant).toBe('tailored');
    await sy.close();

    expect(await store.findAssignment('coach-test', 'alice@example.com')).toBeUndefined();
    expect(await store.findAssignment('coach-test', 'bob')).toMatchObject({ variant: 'tailored' });
    const { events } = await store.listEvents({ limit: 100 });
    const aboutAlice = events.filter((event) => event.requestId !== served.requestId);
    expect(aboutAlice.length).toBeGreaterThanOrEqual(6);
    for (const event of aboutAlice) {
      expect(JSON.stringify(event)).not.toMatch(/alice|Alice|Lyon|Welcome/);
      if (event.type !== 'feedback') expect(event.unitId).toBeNull();
    }
    const aboutBob = events.filter((event) => event.requestId === served.requestId);
    expect(aboutBob.find((event) => event.type === 'decision')).toMatchObject({
      unitId: 'bob',
      reason: 'SPLIT',
    });
    expect(aboutBob.find((event) => event.type === 'call' && event.scope === 'run')).toMatchObject({
      unitId: 'bob',
      prompt: expect.stringContaining('I am Bob'),
      output: 'Welcome aboard.',
    });
  });
});
