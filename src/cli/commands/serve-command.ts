import type { Command } from 'commander';
import type { MissingHandler } from '../../core/handler-variants.js';
import { parseApiToken } from '../../server/auth/api-token.js';
import { createServer } from '../../server/create-server.js';
import { startOtlpExport } from '../../server/telemetry/start-otlp-export.js';
import { CliError, type CliIo } from '../cli-io.js';
import { storeUrl } from '../open-cli-store.js';
import { DEFAULT_CONFIG_FILE, readServerConfig } from '../read-server-config.js';

interface ServeOptions {
  config?: string;
  port?: number;
  host?: string;
  redis?: string;
}

/**
 * Adds `serve`: runs the control-plane server until SIGTERM or SIGINT, then stops accepting, finishes
 * in-flight requests, flushes telemetry and exits 0.
 */
export function addServeCommand(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description(
      'run the control-plane server (REST API, gateway, OpenFeature OFREP, dashboard, guardrail monitor, config stream, tokens, /health, /metrics, /docs)',
    )
    .option('--config <file>', `YAML or JSON config file (default: ./${DEFAULT_CONFIG_FILE} when it exists)`)
    .option('--port <port>', 'port to listen on, 0 for any free one (default 4280)', parsePort)
    .option('--host <host>', 'interface to listen on (default 127.0.0.1)')
    .option('--redis <url>', 'Redis URL for cache and counters shared across processes')
    .addHelpText(
      'after',
      '\nThe first admin token comes from SWITCHYARD_ADMIN_TOKEN (sy_<id>_<secret>); without it one is\n' +
        'generated and printed once, on the first start against a store without an admin token.\n' +
        'OTEL_EXPORTER_OTLP_ENDPOINT (with OTEL_EXPORTER_OTLP_PROTOCOL http/protobuf or http/json) exports\n' +
        'OpenTelemetry traces and metrics over OTLP; nothing is exported without it.',
    )
    .action(async (options: ServeOptions, command: Command) => {
      const adminToken = io.env.SWITCHYARD_ADMIN_TOKEN;
      if (adminToken !== undefined && parseApiToken(adminToken) === undefined) {
        throw new CliError(
          'invalid SWITCHYARD_ADMIN_TOKEN: must read sy_<id>_<secret> (id 8-32 of a-z 0-9, secret 32-128 of A-Z a-z 0-9 _ -)',
        );
      }
      const config = await readServerConfig(options.config, io);
      const otlp = startOtlpExport(io.env);
      const server = await createServer({
        store: storeUrl(
          command.optsWithGlobals<{ db?: string }>().db ?? io.env.SWITCHYARD_DB ?? config.store,
          io,
        ),
        ...definedEntries({
          redis: options.redis ?? config.redis,
          providers: config.providers,
          pricing: config.pricing,
          features: config.features,
          monitor: config.monitor,
          cors: config.cors,
          routes: config.routes,
          ofrepRateLimit: config.ofrepRateLimit,
          redisKeyPrefix: config.redisKeyPrefix,
          privacy: config.privacy,
          retention: config.retention,
          adminToken,
        }),
        host: options.host ?? config.host ?? '127.0.0.1',
        port: options.port ?? config.port ?? 4280,
        logger: { level: io.env.SWITCHYARD_LOG_LEVEL ?? 'info' },
      });
      const stopped = untilSignal();
      let url: string;
      try {
        url = await server.listen();
      } catch (error) {
        await server.close();
        await otlp?.shutdown();
        throw new CliError(`cannot listen: ${error instanceof Error ? error.message : String(error)}`, 1);
      }
      if (server.adminToken !== undefined) {
        io.stdout(
          `switchyard: created the first admin token; it is shown this once, store it now:\n${server.adminToken}\n`,
        );
      }
      for (const gap of server.missingHandlers) io.stderr(`${describeMissingHandler(gap)}\n`);
      io.stdout(`switchyard: listening on ${url}\n`);
      if (otlp !== undefined) {
        io.stdout(
          `switchyard: exporting OpenTelemetry traces and metrics (OTLP ${otlp.protocol}) to ${otlp.endpoint}\n`,
        );
      }
      const signal = await stopped;
      io.stdout(`switchyard: ${signal}: finishing in-flight requests and flushing telemetry\n`);
      await server.close();
      await otlp?.shutdown();
      io.stdout('switchyard: stopped\n');
    });
}

/** One warning line for a handler variant that this server cannot run. */
export function describeMissingHandler(gap: MissingHandler): string {
  return (
    `switchyard: warning: feature ${gap.feature} serves variant "${gap.variant}" (${gap.servedBy.join(', ')}), ` +
    'a code handler that this server does not have: gateway calls that land on it fail (502 handler_missing). ' +
    'Make it an llm variant, or serve it from an SDK process that registers the handler.'
  );
}

/** Resolves with the first of SIGTERM and SIGINT, removing both listeners then. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
    const listeners = signals.map((signal) => {
      const listener = () => {
        signals.forEach((name, index) => {
          process.off(name, listeners[index]!);
        });
        resolveSignal(signal);
      };
      process.on(signal, listener);
      return listener;
    });
  });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^[0-9]{1,5}$/.test(value) || port > 65_535) {
    throw new CliError(`invalid --port: "${value}" is not a port number from 0 to 65535`);
  }
  return port;
}

function definedEntries<T extends Record<string, unknown>>(entries: T): Partial<T> {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined)) as Partial<T>;
}
