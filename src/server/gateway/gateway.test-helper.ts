import { createServer } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { FeatureConfigInput } from '../../core/feature-config.js';
import { createSwitchyard, type SwitchyardOptions } from '../../runtime/client/create-switchyard.js';
import type { Switchyard } from '../../runtime/client/switchyard-client.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { type GatewayOptions, registerGatewayRoutes } from './register-gateway-routes.js';
import { serveChatCompletions } from './serve-chat-completions.js';

/** The reply of the fake model behind `coach-reply`'s v2. */
export const COACH_REPLY = 'Small steps every day add up to a big change over a month.';

/** A feature served by an LLM variant (`v2`) that falls back to a handler (`v1`, the default). */
export const coachFeature: FeatureConfigInput = {
  key: 'coach-reply',
  defaultVariant: 'v1',
  variants: {
    v1: { type: 'handler' },
    v2: { type: 'llm', provider: 'fake', model: 'gpt-4o-mini', system: 'Be kind.', fallback: ['v1'] },
  },
  rules: [{ id: 'everyone', serve: 'v2' }],
};

/** `coach-reply` under another key, with v2 on another provider and model and the given policy. */
export function coachWith(
  key: string,
  provider: string,
  model: string,
  policy: FeatureConfigInput['policy'] = {},
): FeatureConfigInput {
  return {
    ...coachFeature,
    key,
    policy,
    variants: { ...coachFeature.variants, v2: { ...coachFeature.variants.v2, provider, model } },
  } as FeatureConfigInput;
}

/** A gateway over a fresh runtime and an in-memory store. */
export interface TestGateway {
  readonly app: FastifyInstance;
  readonly runtime: Switchyard;
  readonly store: Store;
  /** Listens on 127.0.0.1 and returns the base URL an OpenAI client takes (`…/v1`). */
  listen(): Promise<string>;
  /** Closes the app and the runtime (which flushes telemetry); the store stays open for reading. */
  close(): Promise<void>;
}

/** Starts a gateway for `features`, with a `v1` handler that echoes its input. */
export async function startGateway(
  features: FeatureConfigInput[],
  providers: NonNullable<SwitchyardOptions['providers']>,
  extra: { runtime?: SwitchyardOptions; gateway?: Partial<GatewayOptions> } = {},
): Promise<TestGateway> {
  const store = await openStore('sqlite::memory:');
  const runtime = await createSwitchyard({
    store,
    providers,
    features,
    handlers: { v1: ({ input }) => `legacy: ${String(input)}` },
    telemetry: { flushOnSignals: false },
    ...extra.runtime,
  });
  // Over HTTP the chat route is served from node:http first, as createServer serves it; `inject` (and a
  // gateway with its own authorize hook, which only Fastify runs) goes through the Fastify route.
  const serve =
    extra.gateway?.authorize === undefined
      ? serveChatCompletions({ runtime, ...(extra.gateway?.clock ? { clock: extra.gateway.clock } : {}) })
      : undefined;
  const app = Fastify({
    serverFactory: (handler) =>
      createServer((request, response) => {
        if (serve?.(request, response) !== true) handler(request, response);
      }),
  });
  registerGatewayRoutes(app, { runtime, ...extra.gateway });
  await app.ready();
  let closed = false;
  return {
    app,
    runtime,
    store,
    listen: async () => `${await app.listen({ host: '127.0.0.1', port: 0 })}/v1`,
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
      await runtime.close();
    },
  };
}
