import { compileFeature, type EvaluationContext, evaluate, parseFeature } from '../../src/core/index.js';
import type { BenchUser } from './create-users.js';
import type { Decider } from './decider.js';

/** The coach-reply feature in Switchyard's config: paid tier, 10 % coverage, 50/50 v1/v2, default v1. */
export const COACH_REPLY_CONFIG = {
  key: 'coach-reply',
  defaultVariant: 'v1',
  variants: { v1: { type: 'handler' }, v2: { type: 'handler' } },
  rules: [{ id: 'paid-rollout', when: { tier: 'paid' }, split: { v1: 50, v2: 50 }, coverage: 0.1 }],
};

/** Compiles coach-reply once and decides with `evaluate()` over prebuilt evaluation contexts. */
export function createSwitchyardDecider(users: readonly BenchUser[]): Decider {
  const compiled = compileFeature(parseFeature(COACH_REPLY_CONFIG));
  const contexts: EvaluationContext[] = users.map((user) => ({
    attributes: { userId: user.userId, tier: user.tier },
  }));
  return {
    name: 'Switchyard',
    decide: (index) => evaluate(compiled, contexts[index]).variant,
  };
}
