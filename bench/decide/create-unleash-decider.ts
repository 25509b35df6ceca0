import { once } from 'node:events';
import { type ClientFeaturesResponse, type Context, InMemStorageProvider, Unleash } from 'unleash-client';
import { Operator } from 'unleash-client/lib/strategy/strategy.js';
import type { BenchUser } from './create-users.js';
import type { Decider } from './decider.js';

/** coach-reply as an Unleash flexibleRollout: tier IN [paid], 10 % by userId, strategy variants 50/50. */
export const COACH_REPLY_UNLEASH: ClientFeaturesResponse['features'] = [
  {
    name: 'coach-reply',
    enabled: true,
    strategies: [
      {
        name: 'flexibleRollout',
        parameters: { rollout: '10', stickiness: 'userId', groupId: 'coach-reply' },
        constraints: [{ contextName: 'tier', operator: Operator.IN, inverted: false, values: ['paid'] }],
        variants: [
          { name: 'v1', weight: 500, stickiness: 'userId' },
          { name: 'v2', weight: 500, stickiness: 'userId' },
        ],
      },
    ],
  },
];

/**
 * Starts an offline Unleash client from bootstrap data (no polling, no metrics, in-memory storage)
 * and decides with `getVariant()`; a disabled result means the user is outside the rollout, so `v1`.
 */
export async function createUnleashDecider(users: readonly BenchUser[]): Promise<Decider> {
  const unleash = new Unleash({
    appName: 'switchyard-bench',
    // Required by the constructor but never contacted: refreshInterval 0 stops fetching, metrics are off.
    url: 'http://127.0.0.1:9/api/',
    refreshInterval: 0,
    disableMetrics: true,
    storageProvider: new InMemStorageProvider(),
    bootstrap: { data: COACH_REPLY_UNLEASH },
    skipInstanceCountWarning: true,
  });
  await once(unleash, 'ready');
  const contexts: Context[] = users.map((user) => ({ userId: user.userId, properties: { tier: user.tier } }));
  return {
    name: 'Unleash (getVariant)',
    decide: (index) => {
      const variant = unleash.getVariant('coach-reply', contexts[index]);
      return variant.enabled ? variant.name : 'v1';
    },
    close: () => unleash.destroy(),
  };
}
