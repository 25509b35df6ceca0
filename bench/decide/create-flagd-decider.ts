import { FlagdCore } from '@openfeature/flagd-core';
import type { BenchUser } from './create-users.js';
import type { Decider } from './decider.js';

/**
 * coach-reply as a flagd flag: paid tier, then a fractional 5/5/90 split on userId whose `off` bucket
 * serves the same value as the default, `v1`.
 */
export const COACH_REPLY_FLAGD = {
  flags: {
    'coach-reply': {
      state: 'ENABLED',
      variants: { v1: 'v1', v2: 'v2', off: 'v1' },
      defaultVariant: 'v1',
      targeting: {
        if: [
          { '==': [{ var: 'tier' }, 'paid'] },
          { fractional: [{ var: 'userId' }, ['v1', 5], ['v2', 5], ['off', 90]] },
          null,
        ],
      },
    },
  },
};

/** Loads coach-reply into flagd's in-process core (compiled JSON Logic) and resolves it as a string. */
export function createFlagdDecider(users: readonly BenchUser[]): Decider {
  const core = new FlagdCore();
  core.setConfigurations(JSON.stringify(COACH_REPLY_FLAGD));
  const contexts = users.map((user) => ({ userId: user.userId, tier: user.tier }));
  return {
    name: 'flagd (FlagdCore.resolveStringEvaluation)',
    decide: (index) => core.resolveStringEvaluation('coach-reply', 'v1', contexts[index]).value,
  };
}
