import { afterEach, describe, expect, it } from 'vitest';
import type { FeatureConfigInput } from '../../core/feature-config.js';
import { createRng } from '../../stats/create-rng.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { createSwitchyard } from '../client/create-switchyard.js';
import type { Switchyard } from '../client/switchyard-client.js';

const learn = {
  signals: ['accepted' as const, 'selected' as const],
  by: ['userId', 'tenant'],
  attributes: ['category', 'source'],
  halfLifeDays: 14,
  explore: 'none' as const,
};

function rankingFeature(extra: Partial<FeatureConfigInput> = {}): FeatureConfigInput {
  return {
    key: 'suggestions',
    defaultVariant: 'original',
    variants: {
      original: { type: 'ranker', strategy: 'original' },
      personalized: { type: 'ranker', strategy: 'personalized', learn },
    },
    rules: [{ id: 'everyone', serve: 'personalized' }],
    ...extra,
  };
}

const items = [
  { id: 'a', attributes: { category: 'news', source: 'rag' } },
  { id: 'b', attributes: { category: 'sports', source: 'web' } },
  { id: 'c', attributes: { category: 'music', source: 'web' } },
];

const clients: Switchyard[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  for (const store of stores.splice(0)) await store.close();
});

async function client(features: FeatureConfigInput[], store?: Store) {
  const sy = await createSwitchyard({
    store: store ?? 'sqlite::memory:',
    features,
    random: createRng(7),
    telemetry: { flushOnSignals: false },
  });
  clients.push(sy);
  return sy;
}

const alice = { attributes: { userId: 'alice', tenant: 'acme' } };

describe('rank()', () => {
  it('learns from accepted items and moves what the unit accepts to the top', async () => {
    const sy = await client([rankingFeature()]);
    const first = await sy.rank('suggestions', alice, { items });
    expect(first.items.map((item) => item.id)).toEqual(['a', 'b', 'c']);
    expect(first).toMatchObject({
      variant: 'personalized',
      reason: 'TARGETING_MATCH',
      strategy: 'personalized',
    });
    for (let round = 0; round < 5; round += 1) {
      const ranking = await sy.rank('suggestions', alice, { items });
      for (const item of ranking.items) {
        sy.feedback(ranking.requestId, { accepted: item.id === 'c', itemId: item.id });
      }
    }
    const learned = await sy.rank('suggestions', alice, { items, limit: 2 });
    expect(learned.items.map((item) => item.id)).toEqual(['c', 'b']);
    expect(learned.items[0]?.score).toBeGreaterThan(learned.items[1]?.score as number);
    // The items come back as given, with their score.
    expect(learned.items[0]).toMatchObject({ id: 'c', attributes: { category: 'music' } });
  });

  it('shrinks a new unit of the same tenant toward what the tenant prefers', async () => {
    const sy = await client([rankingFeature()]);
    for (let round = 0; round < 10; round += 1) {
      const ranking = await sy.rank('suggestions', alice, { items });
      sy.feedback(ranking.requestId, { selectedItem: 'b' });
    }
    const bob = await sy.rank('suggestions', { attributes: { userId: 'bob', tenant: 'acme' } }, { items });
    expect(bob.items[0]?.id).toBe('b');
  });

  it('serves the caller order to the holdback of a sticky split and records exposure and run', async () => {
    const store = await openStore('sqlite::memory:');
    stores.push(store);
    const sy = await client(
      [rankingFeature({ rules: [{ id: 'holdback', split: { original: 1, personalized: 1 } }] })],
      store,
    );
    const seen = new Map<string, string>();
    for (let unit = 0; unit < 40; unit += 1) {
      const context = { attributes: { userId: `u${unit}`, tenant: 't' } };
      const first = await sy.rank('suggestions', context, { items });
      const again = await sy.rank('suggestions', context, { items });
      expect(again.variant).toBe(first.variant);
      expect(first.reason).toBe('SPLIT');
      if (first.variant === 'original') {
        expect(first.strategy).toBe('original');
        expect(first.items.map((item) => item.id)).toEqual(['a', 'b', 'c']);
      }
      seen.set(`u${unit}`, first.variant);
    }
    expect(new Set(seen.values())).toEqual(new Set(['original', 'personalized']));
    await sy.close();
    const events = (await store.listEvents({ limit: 1_000 })).events;
    expect(events.filter((event) => event.type === 'decision')).toHaveLength(80);
    const runs = events.filter((event) => event.type === 'call');
    expect(runs).toHaveLength(80);
    expect(runs[0]).toMatchObject({ scope: 'run', outcome: 'success', feature: 'suggestions' });
  });

  it('in observe mode learns but serves the caller order, with the learned scores', async () => {
    const sy = await client([rankingFeature({ mode: 'observe' })]);
    for (let round = 0; round < 5; round += 1) {
      const ranking = await sy.rank('suggestions', alice, { items });
      expect(ranking.items.map((item) => item.id)).toEqual(['a', 'b', 'c']);
      expect(ranking).toMatchObject({ mode: 'observe', strategy: 'original', variant: 'personalized' });
      sy.feedback(ranking.requestId, { accepted: true, itemId: 'c' });
    }
    const ranking = await sy.rank('suggestions', alice, { items });
    const score = (id: string) => ranking.items.find((item) => item.id === id)?.score as number;
    expect(score('c')).toBeGreaterThan(score('a'));
  });

  it('records item feedback on the event and refuses items the ranking did not serve', async () => {
    const store = await openStore('sqlite::memory:');
    stores.push(store);
    const sy = await client([rankingFeature()], store);
    const ranking = await sy.rank('suggestions', alice, { items, limit: 1 });
    expect(() => sy.feedback(ranking.requestId, { accepted: true, itemId: 'c' })).toThrow(/itemId/);
    expect(() => sy.feedback(ranking.requestId, { itemId: 'a' } as never)).toThrow(/accepted/);
    sy.feedback(ranking.requestId, { accepted: true, itemId: 'a' });
    sy.feedback(ranking.requestId, { metric: 'time-to-approval-ms', value: 1_200 });
    await sy.close();
    const feedback = (await store.listEvents({ limit: 100 })).events.filter(
      (event) => event.type === 'feedback',
    );
    expect(feedback).toHaveLength(2);
    expect(feedback[0]).toMatchObject({ accepted: true, itemId: 'a', variant: 'personalized' });
  });

  it('names the field of bad input and refuses the wrong kind of feature', async () => {
    const sy = await client([
      rankingFeature(),
      { key: 'reply', defaultVariant: 'v1', variants: { v1: { type: 'handler' } } },
    ]);
    await expect(sy.rank('suggestions', alice, { items: [] })).rejects.toThrow(/^items:/);
    await expect(sy.rank('suggestions', alice, { items: [{ id: 'a' }, { id: 'a' }] })).rejects.toThrow(
      /items\[1\]\.id/,
    );
    await expect(
      sy.rank('suggestions', alice, { items: [{ id: 'a', attributes: { category: {} as never } }] }),
    ).rejects.toThrow(/items\[0\]\.attributes\.category/);
    await expect(sy.rank('suggestions', alice, { items, limit: 0 })).rejects.toThrow(/^limit:/);
    await expect(sy.rank('reply', alice, { items })).rejects.toThrow(/feature: "reply" has no ranker/);
    await expect(sy.run('suggestions', alice, {})).rejects.toThrow(/ranking feature: call rank\(\)/);
    await expect(sy.rank('nosuch', alice, { items })).rejects.toMatchObject({ code: 'FEATURE_NOT_FOUND' });
  });

  it('shares what one process learns with another on the same store within seconds', async () => {
    const store = await openStore('sqlite::memory:');
    stores.push(store);
    let now = Date.parse('2026-12-01T00:00:00Z');
    const open = async () => {
      const sy = await createSwitchyard({
        store,
        features: [rankingFeature()],
        clock: () => now,
        telemetry: { flushOnSignals: false },
      });
      clients.push(sy);
      return sy;
    };
    const learner = await open();
    const other = await open();
    expect((await other.rank('suggestions', alice, { items })).items[0]?.id).toBe('a');
    for (let round = 0; round < 5; round += 1) {
      const ranking = await learner.rank('suggestions', alice, { items });
      learner.feedback(ranking.requestId, { selectedItem: 'c' });
    }
    await learner.close();
    now += 2_000;
    const ranking = await other.rank('suggestions', alice, { items });
    expect(ranking.items[0]?.id).toBe('c');
    const stored = await store.listPreferences({
      feature: 'suggestions',
      profiles: [{ scope: 'userId', profile: 'alice' }],
    });
    expect(stored.find((entry) => entry.value === 'music')).toMatchObject({ successes: 5, failures: 0 });
  });

  it('teaches nothing for a unit without the consent the feature requires', async () => {
    const sy = await client([rankingFeature({ consent: { attribute: 'consent.personalization' } })]);
    const refused = { attributes: { userId: 'alice', tenant: 'acme', consent: { personalization: false } } };
    for (let round = 0; round < 5; round += 1) {
      const ranking = await sy.rank('suggestions', refused, { items });
      expect(ranking.reason).toBe('NO_CONSENT');
      sy.feedback(ranking.requestId, { accepted: true, itemId: 'c' });
    }
    const consented = { attributes: { userId: 'alice', tenant: 'acme', consent: { personalization: true } } };
    const ranking = await sy.rank('suggestions', consented, { items });
    expect(new Set(ranking.items.map((item) => item.score))).toEqual(new Set([0.5]));
  });
});
