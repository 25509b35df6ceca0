import { SwitchyardError } from '../../core/errors.js';
import type { RunResult } from '../../runtime/client/run-types.js';
import type { Switchyard } from '../../runtime/client/switchyard-client.js';
import type { DemoRandom } from './demo-random.js';
import type { DemoFeatureKey, DemoScenario } from './demo-scenario.js';
import type { DemoOutcome, DemoTally } from './demo-tally.js';
import type { TrafficStream } from './start-traffic.js';

/** What the in-process users need: the SDK client and the demo's shared parts. */
export interface SdkUsersOptions {
  readonly sdk: Switchyard;
  readonly random: DemoRandom;
  readonly tally: DemoTally;
  readonly scenario: DemoScenario;
  /** Multiplies every arrival rate. */
  readonly speed: number;
  /** Epoch-ms clock (persona edits stamp `updatedAt` with it). */
  readonly clock: () => number;
}

const BRIEFS = [
  'Young professionals in tech',
  'Jeunes parents urbains',
  'Retired travellers',
  'Students on a budget',
  'Remote-working parents',
  'Weekend athletes',
  'First-time home buyers',
  'Small-business owners',
];
const LOCATIONS = ['San Francisco, CA', 'Paris, France', 'Berlin, Germany', 'Austin, TX'];
const AGE_RANGES = ['18-24', '25-35', '30-40', '55-70'];
const COACH_MESSAGES = [
  'I matched with someone but I do not know what to say first.',
  'My date cancelled again, should I give up?',
  'How do I tell her I want something serious?',
  'I keep overthinking every text I send.',
  'We argued about plans and now he is quiet.',
  'Is it too soon to meet their friends?',
  'I feel nervous before every first date.',
  'How can I be more myself in conversations?',
];
const SESSION_REQUESTS = [
  '45-minute strength',
  '30-minute mobility',
  '60-minute endurance',
  '20-minute recovery',
];

/** The SDK features' users: persona generation, coaching, the session builder and persona details. */
export function createSdkUsers(options: SdkUsersOptions): TrafficStream[] {
  const { sdk, random, tally, scenario, speed } = options;
  const briefs = BRIEFS.flatMap((brief) =>
    AGE_RANGES.flatMap((ages) => LOCATIONS.map((place) => `${brief}, aged ${ages}, in ${place}`)),
  );
  // A stable shuffle so that popularity does not follow the list order.
  const popularBriefs = briefs
    .map((brief) => ({ brief, order: random.next() }))
    .sort((left, right) => left.order - right.order)
    .map((entry) => entry.brief);
  const personas = Array.from({ length: 40 }, (_, index) => ({
    personaId: `persona-${index + 1}`,
    updatedAt: 1_760_000_000_000 + index * 86_400_000,
    name: random.pick(['Maya', 'Tom', 'Ines', 'Kenji', 'Ola', 'Sam']),
    age: 22 + Math.floor(random.next() * 40),
  }));

  const feedback = (feature: DemoFeatureKey, result: RunResult) => {
    const rate = scenario.acceptance[feature]?.[result.variant];
    if (rate === undefined || !random.chance(scenario.feedbackShare[feature])) return;
    sdk.feedback(result.requestId, { accepted: random.chance(rate) });
  };
  const run = async (feature: DemoFeatureKey, attributes: Record<string, unknown>, input: unknown) => {
    try {
      const result = await sdk.run(feature, { attributes }, { input });
      const downgraded = result.fallback?.causes.some((cause) => cause.errorClass === 'budget_exceeded');
      tally.record({
        feature,
        result: 'ok',
        variant: result.variant,
        fallback: result.fallback !== undefined,
        cached: result.cached,
        ...(downgraded ? { code: 'BUDGET_DOWNGRADE' } : {}),
      });
      return result;
    } catch (error) {
      tally.record(failure(feature, error));
      if (!(error instanceof SwitchyardError)) throw error;
      return undefined;
    }
  };
  const stream = (name: DemoFeatureKey, send: () => Promise<void>) => ({
    name,
    ratePerSecond: scenario.ratePerSecond[name] * speed,
    send,
  });

  return [
    stream('persona-generation', async () => {
      const userId = `user-${random.popular(600) + 1}`;
      const brief = popularBriefs[random.popular(popularBriefs.length)] as string;
      const result = await run('persona-generation', { userId, tier: 'paid' }, brief);
      if (result) feedback('persona-generation', result);
    }),
    stream('coach-reply', async () => {
      const { userId, tier } = coachUser(random);
      const message = random.chance(0.01) ? '🙂🙂🙂' : random.pick(COACH_MESSAGES);
      const result = await run('coach-reply', { userId, tier }, message);
      if (result) feedback('coach-reply', result);
    }),
    stream('session-builder', async () => {
      const userId = `user-${random.popular(600) + 1}`;
      const input = `Build a ${random.pick(SESSION_REQUESTS)} session`;
      const variants = Object.keys(scenario.sessionPreference);
      try {
        const group = await sdk.runAll(
          'session-builder',
          { attributes: { userId } },
          { input },
          { variants },
        );
        const offered = group.results.filter((result) => result.error === undefined);
        if (offered.length === 0) {
          tally.record({ feature: 'session-builder', result: 'error', code: group.results[0]?.error?.code });
          return;
        }
        const weights = Object.fromEntries(
          offered.map((result) => [result.variant, scenario.sessionPreference[result.variant] ?? 0.01]),
        );
        const selected = random.weighted(weights);
        tally.record({ feature: 'session-builder', result: 'ok', variant: selected });
        if (random.chance(scenario.feedbackShare['session-builder'])) {
          sdk.feedback(group.requestId, { selectedVariant: selected, feature: 'session-builder' });
        }
      } catch (error) {
        tally.record(failure('session-builder', error));
        if (!(error instanceof SwitchyardError)) throw error;
      }
    }),
    stream('persona-details', async () => {
      const persona = personas[random.popular(personas.length)] as (typeof personas)[number];
      // Now and then someone edits the persona: its updatedAt moves, so the cached details are stale.
      if (random.chance(0.03)) persona.updatedAt = options.clock();
      const result = await run(
        'persona-details',
        { userId: `user-${random.popular(600) + 1}` },
        { ...persona },
      );
      if (result && random.chance(scenario.feedbackShare['persona-details'])) {
        const rating = Math.min(10, Math.max(1, Math.round(random.normal(8.5, 1) * 10) / 10));
        sdk.feedback(result.requestId, { rating });
      }
    }),
  ];
}

/** A coaching user: a quarter of messages come from eight chatty free users, who hit 10 a day. */
function coachUser(random: DemoRandom): { userId: string; tier: 'free' | 'paid' } {
  const draw = random.next();
  if (draw < 0.25) return { userId: `chatty-free-${Math.floor(random.next() * 8) + 1}`, tier: 'free' };
  if (draw < 0.35) return { userId: `chatty-paid-${Math.floor(random.next() * 4) + 1}`, tier: 'paid' };
  const index = Math.floor(random.next() * 500) + 1;
  return { userId: `coachee-${index}`, tier: index % 4 === 0 ? 'paid' : 'free' };
}

/** A refusal (rate limit, budget, input) or a failure as the tally records it. */
function failure(feature: string, error: unknown): DemoOutcome {
  const code = error instanceof SwitchyardError ? error.code : 'UNEXPECTED';
  const refused = code === 'RATE_LIMITED' || code === 'BUDGET_EXCEEDED' || code === 'INVALID_INPUT';
  return { feature, result: refused ? 'rejected' : 'error', code };
}
