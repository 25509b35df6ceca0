import { type CompiledFeature, compileFeature } from '../core/compile-feature.js';
import type { Decision, EvaluationContext } from '../core/decision.js';
import { FeatureNotFoundError } from '../core/errors.js';
import { evaluate } from '../core/evaluate.js';
import type { FeatureConfigInput } from '../core/feature-config.js';
import { parseFeature } from '../core/validate-feature.js';
import type { SwitchyardFeedback, SwitchyardLike } from './switchyard-like.js';

/** A Switchyard test double over the real core, recording what the provider asked of it. */
export interface FakeSwitchyard extends SwitchyardLike {
  readonly contexts: Array<EvaluationContext | undefined>;
  readonly feedbackCalls: Array<{ requestId: string; feedback: SwitchyardFeedback }>;
  closeCalls: number;
  close(): Promise<void>;
}

/** Features covering every reason and payload type the provider maps. */
export const testFeatures: FeatureConfigInput[] = [
  {
    key: 'coach-reply',
    version: 3,
    defaultVariant: 'v1',
    variants: {
      v1: { type: 'handler', payload: { prompt: 'legacy' } },
      v2: {
        type: 'llm',
        provider: 'openai',
        model: 'gpt-4o-mini',
        payload: { prompt: 'new', temperature: 0.7 },
      },
    },
    rules: [
      { id: 'canary', when: { tenant: 'acme' }, serve: 'v2' },
      { id: 'rollout', when: { tier: 'paid' }, split: { v1: 50, v2: 50 } },
    ],
  },
  {
    key: 'new-onboarding',
    defaultVariant: 'off',
    variants: { off: { type: 'handler', payload: false }, on: { type: 'handler', payload: true } },
    rules: [{ id: 'paid', when: { tier: 'paid' }, serve: 'on' }],
  },
  {
    key: 'reply-temperature',
    defaultVariant: 'low',
    variants: { low: { type: 'handler', payload: 0.2 }, high: { type: 'handler', payload: 0.9 } },
    rules: [{ id: 'beta', when: { beta: true }, serve: 'high' }],
  },
  {
    key: 'persona-generation',
    killed: true,
    defaultVariant: 'legacy',
    variants: { legacy: { type: 'handler', payload: false }, qloo: { type: 'handler', payload: true } },
    rules: [{ serve: 'qloo' }],
  },
  {
    key: 'summaries',
    enabled: false,
    defaultVariant: 'legacy',
    variants: { legacy: { type: 'handler', payload: 1 }, v2: { type: 'handler', payload: 2 } },
  },
  {
    key: 'tailored-tips',
    defaultVariant: 'generic',
    consent: { attribute: 'consent.personalization' },
    variants: {
      generic: { type: 'handler', payload: 'generic' },
      tailored: { type: 'handler', payload: 'tailored' },
    },
    rules: [{ id: 'everyone', serve: 'tailored' }],
  },
  {
    key: 'bare-variants',
    defaultVariant: 'a',
    variants: { a: { type: 'handler' }, b: { type: 'handler' } },
  },
];

/** Builds a fake client that decides with `compileFeature` + `evaluate` over the given features. */
export function fakeSwitchyard(features: FeatureConfigInput[] = testFeatures): FakeSwitchyard {
  const compiled = new Map<string, CompiledFeature>(
    features.map((input) => {
      const feature = compileFeature(parseFeature(input));
      return [feature.key, feature];
    }),
  );
  const fake: FakeSwitchyard = {
    contexts: [],
    feedbackCalls: [],
    closeCalls: 0,
    decide(key: string, context?: EvaluationContext): Decision {
      fake.contexts.push(context);
      const feature = compiled.get(key);
      if (!feature) throw new FeatureNotFoundError(key);
      return evaluate(feature, context);
    },
    feedback(requestId: string, feedback: SwitchyardFeedback) {
      fake.feedbackCalls.push({ requestId, feedback });
    },
    async close() {
      fake.closeCalls += 1;
    },
  };
  return fake;
}

/** A logger that records warnings. */
export function recordingLogger() {
  const warnings: string[] = [];
  return {
    warnings,
    error: () => {},
    warn: (...args: unknown[]) => {
      warnings.push(args.map(String).join(' '));
    },
    info: () => {},
    debug: () => {},
  };
}
