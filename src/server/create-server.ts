import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { type MissingHandler, missingHandlers } from '../core/handler-variants.js';
import { createSwitchyard } from '../runtime/client/create-switchyard.js';
import { DEFAULT_STORE_URL, openStore } from '../store/open-store.js';
import { authenticateGateway, registerAuthentication } from './auth/authenticate-request.js';
import { bootstrapAdminToken } from './auth/bootstrap-admin-token.js';
import { checkPermission } from './auth/require-permission.js';
import { registerRouteGuard } from './auth/route-guard.js';
import { createTokenAuthenticator } from './auth/token-authenticator.js';
import { createConfigPoller } from './config/config-poller.js';
import { startBanditScheduler } from './experiments/bandit-scheduler.js';
import { GatewayCors } from './gateway/gateway-cors.js';
import type { ProviderType } from './gateway/provider-fields.js';
import { CHAT_COMPLETIONS_PATH, serveChatCompletions } from './gateway/serve-chat-completions.js';
import { builtInHealthChecks } from './health-checks.js';
import { registerErrorHandling } from './http/error-handler.js';
import { registerHttpMetrics } from './http/http-metrics.js';
import { registerTextParameterChecks } from './http/refuse-unstorable-text.js';
import { trackConnections } from './http/track-connections.js';
import { startServerMonitor } from './monitor/start-server-monitor.js';
import { RouteDocs } from './openapi/route-docs.js';
import { registerRoutes } from './register-routes.js';
import { startRetention } from './retention/start-retention.js';
import type { RegisteredRoute, ServerContext } from './server-context.js';
import { checkServerOptions, type ServerOptions } from './server-options.js';

/** A created server: the Fastify app (ready for `inject`), its context, and listen / close. */
export interface SwitchyardServer {
  readonly app: FastifyInstance;
  readonly context: ServerContext;
  /** The bound URL once `listen` resolved. */
  readonly url: string | undefined;
  /** The admin token generated at this start (the store had none and none was given); shown once. */
  readonly adminToken?: string;
  /**
   * Handler variants that features in the store may serve at start while this server has no handler of that
   * name (`switchyard serve` has none): gateway calls landing on one fail with `handler_missing`.
   * `switchyard serve` prints each as a warning.
   */
  readonly missingHandlers: readonly MissingHandler[];
  /** Listens on the configured host and port; resolves to the URL (`http://127.0.0.1:4280`). */
  listen(): Promise<string>;
  /**
   * Stops accepting, ends event streams, finishes in-flight requests, flushes telemetry, then releases the
   * runtime client, Redis and (when the server opened it) the store. Safe to call more than once.
   */
  close(): Promise<void>;
}

const MEBIBYTE = 1_048_576;

/**
 * Creates the control-plane server: REST API, config for SDKs and its event stream, tokens, audit,
 * health, Prometheus metrics and API docs, over one store and one runtime client.
 *
 * @example
 * const server = await createServer({ store: 'sqlite:./switchyard.db', port: 4280 });
 * if (server.adminToken) console.log(`admin token (shown once): ${server.adminToken}`);
 * console.log(`listening on ${await server.listen()}`);
 * process.once('SIGTERM', () => void server.close());
 */
export async function createServer(options: ServerOptions = {}): Promise<SwitchyardServer> {
  checkServerOptions(options);
  const clock = options.clock ?? Date.now;
  /** The gateway's chat route, answered before Fastify routes (set once the runtime is up; off while closing). */
  let fastPath: ((request: IncomingMessage, response: ServerResponse) => boolean) | undefined;
  const app = Fastify({
    logger: (options.logger ?? false) as FastifyServerOptions['logger'],
    bodyLimit: options.bodyLimit ?? MEBIBYTE,
    exposeHeadRoutes: false,
    // No line per request: /metrics counts them, and the gateway's hot path should not log twice per call.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // Fastify's own server, with its timeouts, behind the gateway's fast path.
    serverFactory: (handler, settings) => {
      const server = createHttpServer((request, response) => {
        // On every answer, the gateway's and errors included: no browser guesses a type from content.
        response.setHeader('x-content-type-options', 'nosniff');
        if (fastPath?.(request, response) !== true) handler(request, response);
      });
      server.keepAliveTimeout = settings.keepAliveTimeout as number;
      server.requestTimeout = settings.requestTimeout as number;
      server.setTimeout(settings.connectionTimeout as number);
      if ((settings.maxRequestsPerSocket as number) > 0) {
        server.maxRequestsPerSocket = settings.maxRequestsPerSocket as number;
      }
      return server;
    },
  });
  const onError = (error: unknown) => app.log.warn({ err: error }, 'background task failed');
  const closers: Array<() => Promise<void> | void> = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await Promise.resolve(close()).catch(onError);
  };

  try {
    const ownsStore = typeof options.store !== 'object';
    const store =
      typeof options.store === 'object'
        ? options.store
        : await openStore(options.store ?? DEFAULT_STORE_URL, {
            clock,
            ...(options.privacy === undefined ? {} : { privacy: options.privacy }),
          });
    if (ownsStore) closers.push(() => store.close());
    const providers = Object.keys(options.providers ?? {});
    const switchyard = await createSwitchyard({
      store,
      ...(options.redis === undefined ? {} : { redis: options.redis }),
      ...(options.redisKeyPrefix === undefined ? {} : { redisKeyPrefix: options.redisKeyPrefix }),
      ...(options.providers === undefined ? {} : { providers: options.providers }),
      ...(options.pricing === undefined ? {} : { pricing: options.pricing }),
      ...(options.features === undefined ? {} : { features: options.features }),
      ...(options.handlers === undefined ? {} : { handlers: options.handlers }),
      ...(options.guards === undefined ? {} : { guards: options.guards }),
      ...(options.privacy === undefined ? {} : { privacy: options.privacy }),
      clock,
      // The server owns shutdown: it flushes through close(), after in-flight requests have finished.
      telemetry: { ...options.telemetry, flushOnSignals: false },
      onError,
    });
    // Closed after the HTTP server stopped, so the telemetry of the last requests is flushed.
    closers.push(() => switchyard.close());
    const auth = createTokenAuthenticator({
      store,
      clock,
      onError,
      ...(options.tokenCacheTtlMs === undefined ? {} : { cacheTtlMs: options.tokenCacheTtlMs }),
    });
    const bootstrap = await bootstrapAdminToken(store, auth, options.adminToken);
    if (bootstrap.result === 'exists' && bootstrap.ignoredGiven) {
      app.log.warn('the given admin token was not stored: the store has an admin token already');
    }
    const configPoller = await createConfigPoller({
      store,
      onError,
      ...(options.configPollIntervalMs === undefined ? {} : { intervalMs: options.configPollIntervalMs }),
    });
    closers.push(() => configPoller.close());
    const bandits = startBanditScheduler({
      store,
      clock,
      random: options.random ?? Math.random,
      ...(options.banditTickMs === undefined ? {} : { tickMs: options.banditTickMs }),
      onReweigh: async () => {
        await Promise.all([configPoller.refresh(), switchyard.refresh()]).catch(onError);
      },
      onError,
    });
    closers.push(() => bandits.close());
    const monitor = startServerMonitor({
      settings: options.monitor,
      store,
      clock,
      ...(options.random === undefined ? {} : { random: options.random }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      onChange: async () => {
        await Promise.all([configPoller.refresh(), switchyard.refresh()]).catch(onError);
      },
      onError,
    });
    closers.push(() => monitor.close());
    const retention = startRetention({ settings: options.retention, store, clock, onError });
    closers.push(() => retention.close());
    const health = builtInHealthChecks({ store, redis: options.redis, providers, onError });
    closers.push(() => health.close());

    const promRegistry = new Registry();
    collectDefaultMetrics({ register: promRegistry });
    const routes: RegisteredRoute[] = [];
    const shutdownListeners = new Set<() => void>();
    const context: ServerContext = {
      store,
      switchyard,
      clock,
      configPoller,
      auth,
      promRegistry,
      routeDocs: new RouteDocs(),
      routes,
      healthChecks: health.checks,
      providers,
      logger: app.log,
      keepAliveIntervalMs: options.keepAliveIntervalMs ?? 15_000,
      corsOrigins: options.cors?.origins ?? [],
      providerTypes: providerTypesOf(options.providers),
      modelRoutes: options.routes ?? {},
      onClose: (close) => {
        closers.push(close);
      },
      onShutdown: (end) => {
        shutdownListeners.add(end);
        return () => shutdownListeners.delete(end);
      },
      bandits,
      monitor,
      retention,
      featuresChanged: async () => {
        // The write succeeded; a failed refresh only delays what this server serves until the next poll.
        await Promise.all([configPoller.refresh(), switchyard.refresh()]).catch(onError);
      },
    };

    registerErrorHandling(app);
    registerRouteGuard(app, routes);
    registerAuthentication(app, { auth, store, clock });
    registerTextParameterChecks(app);
    const observeHttp = registerHttpMetrics(app, promRegistry);
    const connections = trackConnections(app.server);
    app.addHook('preClose', async () => {
      // Requests that arrive from now on go to Fastify, which answers 503 while it closes.
      fastPath = undefined;
      for (const end of [...shutdownListeners]) end();
      connections.drain(options.shutdownTimeoutMs ?? 25_000);
    });
    closers.unshift(() => connections.stop());
    app.addHook('onClose', closeAll);
    registerRoutes(app, context, packageVersion(), { ofrepRateLimit: options.ofrepRateLimit });
    await app.ready();
    fastPath = serveChatCompletions({
      runtime: switchyard,
      clock,
      authorize: async (request) => {
        const client = request.socket.remoteAddress ?? 'unknown';
        checkPermission(await authenticateGateway(auth, request.headers, client), 'gateway');
      },
      cors: new GatewayCors(context.corsOrigins),
      providerTypes: context.providerTypes,
      routes: context.modelRoutes,
      observe: (status, seconds) => observeHttp('POST', CHAT_COMPLETIONS_PATH, status, seconds),
      onUnexpectedError: (error) => app.log.error({ err: error }, 'gateway request failed'),
    });

    const missing = missingHandlers(
      (await store.listFeatures()).map((feature) => feature.config),
      new Set(Object.keys(options.handlers ?? {})),
    );
    let url: string | undefined;
    let closing: Promise<void> | undefined;
    return {
      app,
      context,
      missingHandlers: missing,
      get url() {
        return url;
      },
      ...(bootstrap.result === 'generated' ? { adminToken: bootstrap.token } : {}),
      async listen() {
        url = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 4280 });
        return url;
      },
      close() {
        closing ??= app.close();
        return closing;
      },
    };
  } catch (error) {
    await closeAll();
    await app.close().catch(onError);
    throw error;
  }
}

/** Each provider's kind by name, as configured (the runtime client has checked them). */
function providerTypesOf(providers: ServerOptions['providers']): Record<string, ProviderType> {
  const types: Record<string, ProviderType> = {};
  for (const [name, provider] of Object.entries(providers ?? {})) {
    const type = (provider as { type?: unknown } | null)?.type;
    if (type === 'openai' || type === 'anthropic' || type === 'google' || type === 'openai-compatible') {
      types[name] = type;
    }
  }
  return types;
}

/** The package's version, for the OpenAPI document (the same relative path from src/ and dist/). */
function packageVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const { version } = JSON.parse(text) as { version?: unknown };
    return typeof version === 'string' ? version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
