import {
  type Attributes,
  type FeatureDefinitions,
  GrowthBook,
  GrowthBookClient,
  type UserContext,
} from '@growthbook/growthbook';
import type { BenchUser } from './create-users.js';
import type { Decider } from './decider.js';

/** coach-reply as a GrowthBook experiment rule: the same seed, hash version, coverage, weights and condition. */
export const COACH_REPLY_GROWTHBOOK: FeatureDefinitions = {
  'coach-reply': {
    defaultValue: 'v1',
    rules: [
      {
        key: 'coach-reply',
        seed: 'coach-reply',
        hashAttribute: 'userId',
        hashVersion: 2,
        condition: { tier: 'paid' },
        coverage: 0.1,
        weights: [0.5, 0.5],
        variations: ['v1', 'v2'],
      },
    ],
  },
};

/**
 * Three ways of running GrowthBook's server-side SDK for many users, all offline from in-memory features:
 * the multi-user `GrowthBookClient`, one reused `GrowthBook` whose attributes change per user, and a new
 * `GrowthBook` per user (the per-request pattern).
 */
export function createGrowthBookDeciders(users: readonly BenchUser[]): Decider[] {
  const attributes: Attributes[] = users.map((user) => ({ userId: user.userId, tier: user.tier }));
  const userContexts: UserContext[] = attributes.map((each) => ({ attributes: each }));

  const client = new GrowthBookClient().initSync({ payload: { features: COACH_REPLY_GROWTHBOOK } });
  const shared = new GrowthBook({ features: COACH_REPLY_GROWTHBOOK });

  return [
    {
      name: 'GrowthBook (GrowthBookClient.evalFeature)',
      decide: (index) => client.evalFeature('coach-reply', userContexts[index]!).value as string,
      close: () => client.destroy(),
    },
    {
      name: 'GrowthBook (one instance, setAttributes)',
      decide: (index) => {
        // setAttributes is async only for sticky buckets or remote evaluation; here it applies at once.
        void shared.setAttributes(attributes[index]!);
        return shared.evalFeature('coach-reply').value as string;
      },
      close: () => shared.destroy(),
    },
    {
      name: 'GrowthBook (new GrowthBook per user)',
      decide: (index) =>
        new GrowthBook({ features: COACH_REPLY_GROWTHBOOK, attributes: attributes[index] }).evalFeature(
          'coach-reply',
        ).value as string,
    },
  ];
}
