import type { FastifyBaseLogger } from 'fastify';
import type { Registry } from 'prom-client';
import type { Switchyard } from '../runtime/client/switchyard-client.js';
import type { Store } from '../store/store.js';
import type { Permission } from './auth/permissions.js';
import type { TokenAuthenticator } from './auth/token-authenticator.js';
import type { ConfigPoller } from './config/config-poller.js';
import type { BanditScheduler } from './experiments/bandit-scheduler.js';
import type { ProviderType } from './gateway/provider-fields.js';
import type { Monitor } from './monitor/start-monitor.js';
import type { RouteDocs } from './openapi/route-docs.js';
import type { Retention } from './retention/start-retention.js';

/** The state of one dependency as `/health` reports it; `disabled` counts as healthy. */
export interface HealthCheckResult {
  readonly status: 'ok' | 'degraded' | 'error' | 'disabled';
  readonly message?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Checks one dependency; a rejection or a timeout reads as `error`. */
export type HealthCheck = () => Promise<HealthCheckResult>;

/** A registered route and what it requires, as the server recorded it when the route was added. */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  readonly permission: Permission | 'public';
}

/**
 * What route files share: every `registerXRoutes(app, context)` receives the one context of its server.
 * It holds the server's single runtime client (decisions, runs, feedback and telemetry for the gateway and the
 * REST routes alike), the store, the clock, the config poller, the token authenticator and the Prometheus
 * registry, plus the per-server registries that routes add to (OpenAPI entries, health checks, closers).
 */
export interface ServerContext {
  readonly store: Store;
  /** The server's runtime client, created with its store, Redis, providers and pricing. */
  readonly switchyard: Switchyard;
  /** Epoch-ms clock shared by every part of the server. */
  readonly clock: () => number;
  /** One poller per server: `/api/config`, its stream and anything else that follows feature changes. */
  readonly configPoller: ConfigPoller;
  readonly auth: TokenAuthenticator;
  /** This server's Prometheus registry (never prom-client's global one): add metrics here. */
  readonly promRegistry: Registry;
  /** OpenAPI entries: describe every route added (`defineRoute` does it). */
  readonly routeDocs: RouteDocs;
  /** Every route registered so far, with its permission (filled in by the server as routes are added). */
  readonly routes: readonly RegisteredRoute[];
  /** Dependency checks `/health` runs, by name (`store`, `redis`, `providers`, ...); add your own. */
  readonly healthChecks: Map<string, HealthCheck>;
  /** Names of the configured LLM providers. */
  readonly providers: readonly string[];
  readonly logger: FastifyBaseLogger;
  /** Time between keep-alive comments on server-sent event streams. */
  readonly keepAliveIntervalMs: number;
  /** The gateway's CORS allow-list (`cors.origins`); empty: no browser origin may call it. */
  readonly corsOrigins: readonly string[];
  /** Each configured provider's kind (`openai`, `anthropic`, …) by name. */
  readonly providerTypes: Readonly<Record<string, ProviderType>>;
  /** Raw model names the gateway serves, by the feature each runs (`*`: any other name). */
  readonly modelRoutes: Readonly<Record<string, string>>;
  /**
   * Runs `close` when the server closes: after it stopped accepting and finished in-flight requests, before
   * telemetry is flushed and the store closed; closers run in reverse order of registration.
   */
  onClose(close: () => Promise<void> | void): void;
  /**
   * Runs `end` as the server begins to close, before waiting for in-flight requests: long-lived answers
   * (event streams) end here so that closing does not wait for them forever.
   */
  onShutdown(end: () => void): () => void;
  /** Tells the poller and the runtime client that features changed, so this server serves them at once. */
  featuresChanged(): Promise<void>;
  /** Re-weighs due bandits on its own interval; `tick()` runs a pass now. */
  readonly bandits: BanditScheduler;
  /** Evaluates guardrails and moves ramps on its own interval; `tick()` runs a pass now. */
  readonly monitor: Monitor;
  /** Applies the `retention` windows hourly (on one server per store) and on request. */
  readonly retention: Retention;
}
