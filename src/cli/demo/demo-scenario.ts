import type { ChatCompletionRequest } from '../../testing/chat-request.js';
import type { FakeModelBehaviour } from '../../testing/fake-upstream-options.js';

/** The features the demo drives, each modelled on one field report. */
export type DemoFeatureKey =
  | 'persona-generation'
  | 'coach-reply'
  | 'session-builder'
  | 'onboarding-recommendations'
  | 'persona-details';

/** What the simulated world looks like: upstream models, traffic and how users really behave. */
export interface DemoScenario {
  /** The fake upstream's models, by the name the feature files give them. */
  readonly models: Readonly<Record<string, FakeModelBehaviour>>;
  /** Requests per second at speed 1, by feature; `--speed` multiplies them. */
  readonly ratePerSecond: Readonly<Record<DemoFeatureKey, number>>;
  /** How `sy.run()` or the gateway reaches each feature. */
  readonly via: Readonly<Record<DemoFeatureKey, 'sdk' | 'gateway'>>;
  /** True acceptance rates by served variant: what the experiments should find. */
  readonly acceptance: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Share of answers users give feedback on, by feature. */
  readonly feedbackShare: Readonly<Record<DemoFeatureKey, number>>;
  /** How often each session-builder variant is the one a user picks, when all four are offered. */
  readonly sessionPreference: Readonly<Record<string, number>>;
  /** Handler latency medians in milliseconds, by variant. */
  readonly handlerLatencyMs: Readonly<Record<string, number>>;
}

/** A coach reply of about 90 tokens, varied by the user's message so exact caches do not collapse it. */
function coachReply(request: ChatCompletionRequest): string {
  const last = request.messages.at(-1);
  const said = typeof last?.content === 'string' ? last.content.slice(0, 60) : 'that';
  return (
    `It sounds like "${said}" has been weighing on you, and that makes sense. ` +
    'Before deciding anything, notice what you felt in that moment and what you hoped would happen. ' +
    'One small step could be to share that hope, plainly and kindly, and see how it lands. ' +
    'What would feel like a good outcome for you this week?'
  );
}

/** Persona text of about 120 tokens from the cultural-data flow. */
function qlooPersona(request: ChatCompletionRequest): string {
  const last = request.messages.at(-1);
  const brief = typeof last?.content === 'string' ? last.content.slice(0, 80) : 'the brief';
  return (
    `Persona for "${brief}": Maya, 31, product designer. Listens to Khruangbin and Phoebe Bridgers, ` +
    'shops at Aesop and Patagonia, books natural-wine bars and Sunday farmers markets. Values craft, ' +
    'sustainability and time with friends; distrusts loud advertising; discovers brands through ' +
    'newsletters and friends. Best reached with honest, visual stories and early access.'
  );
}

/**
 * The demo's world: five features modelled on the field reports, a local upstream whose Qloo-first model
 * is rate limited on 30 % of calls (the bad rollout), and users whose true acceptance differs by variant
 * (coach V2 beats V1; the personalised-with-history arm beats the other onboarding arms).
 */
export const DEMO_SCENARIO: DemoScenario = Object.freeze<DemoScenario>({
  models: {
    // The Qloo-first flow: the cultural-data API behind it rate-limits a third of the calls.
    'gemini-2.0-flash': {
      latencyMs: { distribution: 'lognormal', median: 900, sigma: 0.35 },
      reply: qlooPersona,
      faults: { errorRate: 0.3, status: 429 },
    },
    'gpt-4o': {
      latencyMs: { distribution: 'lognormal', median: 700, sigma: 0.35 },
      reply: coachReply,
      faults: { errorRate: 0.005 },
    },
    'gpt-4o-mini': {
      latencyMs: { distribution: 'lognormal', median: 450, sigma: 0.35 },
      faults: { errorRate: 0.01, schemaInvalidRate: 0.04 },
    },
    'claude-3-5-haiku-latest': {
      latencyMs: { distribution: 'lognormal', median: 600, sigma: 0.3 },
      faults: { errorRate: 0.01 },
    },
    'gpt-4.1-mini': {
      latencyMs: { distribution: 'lognormal', median: 650, sigma: 0.3 },
      faults: { errorRate: 0.01 },
    },
  },
  ratePerSecond: {
    'persona-generation': 5,
    'coach-reply': 6,
    'session-builder': 1,
    'onboarding-recommendations': 4,
    'persona-details': 3,
  },
  via: {
    'persona-generation': 'sdk',
    'coach-reply': 'sdk',
    'session-builder': 'sdk',
    'onboarding-recommendations': 'gateway',
    'persona-details': 'sdk',
  },
  acceptance: {
    'persona-generation': { legacy: 0.55, 'qloo-first': 0.7 },
    'coach-reply': { v1: 0.5, v2: 0.8 },
    'onboarding-recommendations': { control: 0.22, personalized: 0.3, 'personalized-history': 0.5 },
  },
  feedbackShare: {
    'persona-generation': 0.6,
    'coach-reply': 0.8,
    'session-builder': 0.9,
    'onboarding-recommendations': 1,
    'persona-details': 0.3,
  },
  sessionPreference: { baseline: 0.12, 'rag-focused': 0.26, 'rag-progressive': 0.42, 'rag-varied': 0.2 },
  handlerLatencyMs: { legacy: 1_200, v1: 60, baseline: 350 },
});
