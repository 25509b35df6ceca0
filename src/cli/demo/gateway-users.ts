import type { DemoRandom } from './demo-random.js';
import type { DemoScenario } from './demo-scenario.js';
import type { DemoTally } from './demo-tally.js';
import type { TrafficStream } from './start-traffic.js';

/** What the gateway's users need: where the gateway is, an `sdk` token, and the demo's shared parts. */
export interface GatewayUsersOptions {
  /** The server's base URL (`http://127.0.0.1:4280`). */
  readonly url: string;
  /** An API token with role `sdk`, sent as the OpenAI client's API key would be. */
  readonly token: string;
  readonly random: DemoRandom;
  readonly tally: DemoTally;
  readonly scenario: DemoScenario;
  readonly speed: number;
}

const FEATURE = 'onboarding-recommendations';
const GOALS = [
  'I want to run a 10k by summer.',
  'I just moved and want to meet people.',
  'I want to cook more at home on weeknights.',
  'I am learning Spanish for a trip.',
  'I want to sleep better and stress less.',
];

/**
 * New users finishing onboarding, each a fresh unit, through the OpenAI-compatible gateway: an HTTP
 * `POST /v1/chat/completions` naming the feature and the user in `x-switchyard-*` headers, then
 * `POST /v1/feedback` with whether they accepted the recommendations, at the served arm's true rate.
 */
export function createGatewayUsers(options: GatewayUsersOptions): TrafficStream[] {
  const { url, token, random, tally, scenario } = options;
  const acceptance = scenario.acceptance[FEATURE] ?? {};
  let signups = 0;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

  const send = async () => {
    signups++;
    const userId = `signup-${signups}`;
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...headers, 'x-switchyard-feature': FEATURE, 'x-switchyard-user': userId },
      body: JSON.stringify({
        model: `switchyard/${FEATURE}`,
        messages: [{ role: 'user', content: random.pick(GOALS) }],
      }),
    });
    await response.arrayBuffer();
    if (!response.ok) {
      const refused = response.status === 429 || response.status === 402;
      tally.record({
        feature: FEATURE,
        result: refused ? 'rejected' : 'error',
        code: `HTTP ${response.status}`,
      });
      return;
    }
    const variant = response.headers.get('x-switchyard-variant') ?? 'unknown';
    const requestId = response.headers.get('x-switchyard-request-id');
    tally.record({
      feature: FEATURE,
      result: 'ok',
      variant,
      fallback: (response.headers.get('x-switchyard-fallback') ?? 'none') !== 'none',
      cached: response.headers.get('x-switchyard-cache') === 'hit',
    });
    const rate = acceptance[variant];
    if (requestId === null || rate === undefined || !random.chance(scenario.feedbackShare[FEATURE])) return;
    const feedback = await fetch(`${url}/v1/feedback`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ requestId, accepted: random.chance(rate) }),
    });
    await feedback.arrayBuffer();
  };

  return [{ name: FEATURE, ratePerSecond: scenario.ratePerSecond[FEATURE] * options.speed, send }];
}
