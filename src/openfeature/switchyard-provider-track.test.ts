import { randomUUID } from 'node:crypto';
import { OpenFeature, type Provider } from '@openfeature/server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeSwitchyard, recordingLogger } from './fake-switchyard.test-helper.js';
import { createSwitchyardProvider } from './switchyard-provider.js';

async function clientFor(provider: Provider) {
  const domain = randomUUID();
  await OpenFeature.setProviderAndWait(domain, provider);
  return OpenFeature.getClient(domain);
}

afterEach(async () => {
  await OpenFeature.clearProviders();
});

describe('createSwitchyardProvider track', () => {
  it('maps tracking events to feedback', async () => {
    const fake = fakeSwitchyard();
    const logger = recordingLogger();
    const client = await clientFor(createSwitchyardProvider(fake, { logger }));
    client.track('accepted', {}, { requestId: 'r-1' });
    client.track('rejected', {}, { requestId: 'r-2', feature: 'coach-reply' });
    client.track('selected', {}, { requestId: 'r-3', variant: 'v2' });
    client.track('rating', {}, { requestId: 'r-4', value: 4 });
    client.track('time-to-approval-ms', {}, { requestId: 'r-5', value: 5400 });
    client.track('accepted', { requestId: 'r-6' });
    expect(fake.feedbackCalls).toEqual([
      { requestId: 'r-1', feedback: { accepted: true } },
      { requestId: 'r-2', feedback: { accepted: false, feature: 'coach-reply' } },
      { requestId: 'r-3', feedback: { selectedVariant: 'v2' } },
      { requestId: 'r-4', feedback: { rating: 4 } },
      { requestId: 'r-5', feedback: { metric: 'time-to-approval-ms', value: 5400 } },
      { requestId: 'r-6', feedback: { accepted: true } },
    ]);
    expect(logger.warnings).toEqual([]);
  });

  it('ignores events it cannot map, with a warning', async () => {
    const fake = fakeSwitchyard();
    const logger = recordingLogger();
    const client = await clientFor(createSwitchyardProvider(fake, { logger }));
    client.track('accepted', {}, {});
    client.track('selected', {}, { requestId: 'r-1' });
    client.track('rating', {}, { requestId: 'r-1', value: Number.NaN });
    client.track('page-view', {}, { requestId: 'r-1' });
    expect(fake.feedbackCalls).toEqual([]);
    expect(logger.warnings).toHaveLength(4);
    expect(logger.warnings[0]).toContain('needs a requestId');
    expect(logger.warnings[1]).toContain('details.variant');
    expect(logger.warnings[2]).toContain('details.value');
    expect(logger.warnings[3]).toContain('"page-view"');
  });

  it('never throws when the client rejects the feedback', async () => {
    const logger = recordingLogger();
    const provider = createSwitchyardProvider(
      {
        decide: fakeSwitchyard().decide,
        feedback: () => {
          throw new Error('feature: this client does not remember the request; pass its feature');
        },
      },
      { logger },
    );
    const client = await clientFor(provider);
    expect(() => client.track('accepted', {}, { requestId: 'r-old' })).not.toThrow();
    expect(logger.warnings).toEqual([
      'switchyard: ignored tracking event "accepted": feature: this client does not remember the request; pass its feature',
    ]);
  });

  it('warns through the logger the SDK used for evaluations when none is given', async () => {
    const fake = fakeSwitchyard();
    const client = await clientFor(createSwitchyardProvider(fake));
    const logger = recordingLogger();
    client.setLogger(logger);
    await client.getStringValue('coach-reply', 'v1');
    client.track('accepted', {}, {});
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain('needs a requestId');
  });
});
