import { afterEach, describe, expect, it } from 'vitest';
import type { FeatureConfigInput } from '../core/feature-config.js';
import { COACH, startTestServer, type TestServer } from './server.test-helper.js';

const SUGGESTIONS: FeatureConfigInput = {
  key: 'suggestions',
  defaultVariant: 'original',
  variants: {
    original: { type: 'ranker', strategy: 'original' },
    personalized: {
      type: 'ranker',
      strategy: 'personalized',
      learn: { by: ['userId', 'tenant'], attributes: ['category'], explore: 'none' },
    },
  },
  rules: [{ id: 'everyone', serve: 'personalized' }],
};

const items = [
  { id: 'a', attributes: { category: 'news' } },
  { id: 'b', attributes: { category: 'music' } },
];
const context = { attributes: { userId: 'alice', tenant: 'acme' } };

let test: TestServer | undefined;
afterEach(async () => {
  await test?.close();
  test = undefined;
});

describe('POST /api/rank and POST /api/feedback', () => {
  it('rank with an sdk token and learn from feedback naming the item', async () => {
    test = await startTestServer({ features: [COACH, SUGGESTIONS] });
    const sdk = test.tokens.sdk;
    for (let round = 0; round < 3; round += 1) {
      const ranked = await test.call('POST', '/api/rank', {
        token: sdk,
        body: { feature: 'suggestions', context, items },
      });
      expect(ranked.statusCode).toBe(200);
      const { requestId } = ranked.json();
      const feedback = await test.call('POST', '/api/feedback', {
        token: sdk,
        body: { requestId, accepted: true, itemId: 'b' },
      });
      expect(feedback.statusCode).toBe(202);
    }
    const learned = await test.call('POST', '/api/rank', {
      token: sdk,
      body: { feature: 'suggestions', context, items, limit: 1 },
    });
    expect(learned.json()).toMatchObject({
      items: [{ id: 'b', attributes: { category: 'music' } }],
      variant: 'personalized',
      reason: 'TARGETING_MATCH',
      strategy: 'personalized',
      mode: 'serve',
    });
    expect(learned.json().items[0].score).toBeGreaterThan(0.5);

    await test.server.context.switchyard.close();
    const viewer = test.tokens.viewer;
    const unit = await test.call('GET', '/api/profiles/suggestions?unit=alice', { token: viewer });
    expect(unit.statusCode).toBe(200);
    expect(unit.json()).toMatchObject({
      scope: 'userId',
      profile: 'alice',
      entries: [{ attribute: 'category', value: 'music', failures: 0 }],
    });
    // Decayed to the server's clock: a few milliseconds of a 14-day half-life.
    expect(unit.json().entries[0].successes).toBeCloseTo(3, 4);
    expect(unit.json().entries[0].affinity).toBeCloseTo(0.8, 4);
    const tenant = await test.call('GET', '/api/profiles/suggestions?tenant=acme', { token: viewer });
    expect(tenant.json().entries).toHaveLength(1);
    const global = await test.call('GET', '/api/profiles/suggestions', { token: viewer });
    expect(global.json()).toMatchObject({ scope: '*', profile: '*' });
    const wrong = await test.call('GET', '/api/profiles/suggestions?region=eu', { token: viewer });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toMatch(/region/);
    expect((await test.call('GET', '/api/profiles/coach-reply', { token: viewer })).statusCode).toBe(404);
  });

  it('answers 400 naming the field and 404 for an unknown feature', async () => {
    test = await startTestServer({ features: [COACH, SUGGESTIONS] });
    const sdk = test.tokens.sdk;
    const server = test;
    const post = (url: string, body: unknown) => server.call('POST', url, { token: sdk, body });
    const duplicate = await post('/api/rank', { feature: 'suggestions', items: [{ id: 'a' }, { id: 'a' }] });
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.body).toMatch(/items\[1\]\.id/);
    const notRanking = await post('/api/rank', { feature: 'coach-reply', items });
    expect(notRanking.statusCode).toBe(400);
    expect(notRanking.body).toMatch(/feature/);
    expect((await post('/api/rank', { feature: 'nosuch', items })).statusCode).toBe(404);
    const badItem = await post('/api/rank', { feature: 'suggestions', items: [{ id: 'a', extra: 1 }] });
    expect(badItem.statusCode).toBe(400);
    expect(badItem.body).toMatch(/extra/);
    const ranked = await post('/api/rank', { feature: 'suggestions', context, items, limit: 1 });
    const { requestId } = ranked.json();
    const unserved = await post('/api/feedback', { requestId, accepted: true, itemId: 'z' });
    expect(unserved.statusCode).toBe(400);
    expect(unserved.body).toMatch(/itemId/);
    expect(
      (await post('/api/feedback', { requestId: 'x', feature: 'nosuch', accepted: true })).statusCode,
    ).toBe(404);
  });
});
