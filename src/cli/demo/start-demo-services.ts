import { createSwitchyard } from '../../runtime/client/create-switchyard.js';
import type { Switchyard } from '../../runtime/client/switchyard-client.js';
import { createServer, type SwitchyardServer } from '../../server/create-server.js';
import type { Store } from '../../store/store.js';
import { type FakeUpstream, startFakeUpstream } from '../../testing/fake-upstream.js';
import { createSeededRandom, deriveSeed } from '../../testing/seeded-random.js';
import { CliError } from '../cli-io.js';
import { createDemoHandlers } from './demo-handlers.js';
import type { DemoRandom } from './demo-random.js';
import type { DemoScenario } from './demo-scenario.js';
import type { DemoConfig } from './load-demo-config.js';

/** Options of `startDemoServices`. */
export interface DemoServicesOptions {
  readonly store: Store;
  readonly config: DemoConfig;
  readonly scenario: DemoScenario;
  /** 0 for any free port. */
  readonly port: number;
  readonly speed: number;
  readonly seed: number;
  /** The admin token to store (`sy_<id>_<secret>`); without it the server generates one. */
  readonly adminToken?: string;
  readonly random: DemoRandom;
  readonly clock: () => number;
  readonly onError: (error: unknown) => void;
}

/** Everything the demo runs, on 127.0.0.1 only. */
export interface DemoServices {
  readonly server: SwitchyardServer;
  readonly upstream: FakeUpstream;
  /** The application's SDK client, on the same store as the server. */
  readonly sdk: Switchyard;
  /** The server's base URL. */
  readonly url: string;
  readonly adminToken: string;
  /** A token with role `sdk`, for the gateway's users. */
  readonly sdkToken: string;
  /** Closes the SDK client (flushing its telemetry), then the server (flushing its own), then the upstream. */
  close(): Promise<void>;
}

/** The monitor's interval at speed 1: every 2 s, so a rollback lands within seconds of its evidence. */
const MONITOR_INTERVAL_MS = 2_000;
/** How often the server checks for a due bandit re-weighing, at speed 1. */
const BANDIT_TICK_MS = 1_000;
const PROVIDER = 'local';

/**
 * Starts the demo's parts: the fake OpenAI-compatible upstream with the scenario's models, the control-plane
 * server (dashboard, API, gateway, monitor and bandit scheduler, intervals divided by `speed`) with the demo's
 * features, an `sdk` token, the demo's experiments created and started through the REST API, and the SDK
 * client the simulated application uses.
 */
export async function startDemoServices(options: DemoServicesOptions): Promise<DemoServices> {
  const { store, config, speed, clock, onError } = options;
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(onError);
  };
  try {
    const upstream = await startFakeUpstream({
      models: { ...options.scenario.models },
      seed: options.seed,
      clock,
    });
    closers.push(() => upstream.close());
    const providers = {
      [PROVIDER]: { type: 'openai-compatible' as const, baseURL: upstream.url, apiKey: 'demo-no-key' },
    };
    const server = await createServer({
      store,
      host: '127.0.0.1',
      port: options.port,
      features: config.features,
      providers,
      ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
      clock,
      random: createSeededRandom(deriveSeed(options.seed, 'bandit')),
      banditTickMs: Math.max(250, Math.round(BANDIT_TICK_MS / speed)),
      monitor: { intervalMs: Math.max(500, Math.round(MONITOR_INTERVAL_MS / speed)) },
      telemetry: { flushIntervalMs: 250 },
    });
    closers.push(() => server.close());
    const url = await server.listen().catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      throw new CliError(
        `cannot listen on 127.0.0.1:${options.port}: ${message} (try another --port, or 0)`,
        1,
      );
    });
    const adminToken = server.adminToken ?? options.adminToken;
    if (adminToken === undefined) {
      throw new CliError('the store has an admin token already and none was given', 1);
    }
    const api = apiClient(url, adminToken);
    const issued = (await api('POST', '/api/tokens', { name: 'demo-gateway-users', role: 'sdk' })) as {
      token: string;
    };
    for (const experiment of config.experiments) {
      await api('POST', '/api/experiments', experiment);
      await api('POST', `/api/experiments/${experiment.key}/start`, { reason: 'demo: start of traffic' });
    }
    const sdk = await createSwitchyard({
      store,
      providers,
      handlers: createDemoHandlers({ random: options.random, latencyMs: options.scenario.handlerLatencyMs }),
      clock,
      random: createSeededRandom(deriveSeed(options.seed, 'retry-jitter')),
      telemetry: { flushIntervalMs: 250, flushOnSignals: false },
      onError,
    });
    closers.push(() => sdk.close());
    return {
      server,
      upstream,
      sdk,
      url,
      adminToken,
      sdkToken: issued.token,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** Calls the control-plane API with the admin token; a non-2xx answer throws its error message. */
function apiClient(url: string, token: string) {
  return async (method: string, path: string, body: unknown): Promise<unknown> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
    if (!response.ok) {
      throw new CliError(`${method} ${path}: ${response.status} ${answer.error?.message ?? 'failed'}`, 1);
    }
    return answer;
  };
}
