import { isAbsolute, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { parseApiToken } from '../../server/auth/api-token.js';
import { CliError, type CliIo } from '../cli-io.js';
import { parseDuration, parsePort, parseSeed, parseSpeed } from '../demo/demo-flags.js';
import { runDemo } from '../demo/run-demo.js';

interface DemoFlags {
  duration: number;
  speed: number;
  port: number;
  seed: number;
  dbFile: string;
  progress?: boolean;
}

const DEMO_FLAGS = ['duration', 'speed', 'port', 'seed', 'db-file'] as const;

/**
 * Refuses what npm did to the demo's options. `npm run demo --port 0` hands the demo only `0` and
 * `npm run demo --port=0` nothing at all: npm keeps `--port` for itself and sets `npm_config_port`, which is
 * how this names the options npm took.
 */
function checkArguments(args: readonly string[], io: CliIo): void {
  const viaNpm = io.env.npm_lifecycle_event === 'demo';
  const taken = viaNpm
    ? DEMO_FLAGS.filter((flag) => io.env[`npm_config_${flag.replace('-', '_')}`] !== undefined)
    : [];
  if (taken.length > 0) {
    const passed = args.length === 0 ? 'nothing of them' : `only "${args.join(' ')}"`;
    throw new CliError(
      `npm kept ${taken.map((flag) => `--${flag}`).join(', ')} for itself and passed on ${passed}: ` +
        "put the demo's options after --, as in npm run demo -- --duration 90s --port 0",
    );
  }
  if (args.length > 0) {
    throw new CliError(`demo takes no arguments, got "${args.join(' ')}" (options start with --)`);
  }
}

/**
 * Adds `demo`: the whole product in one command, offline. It starts the server with its dashboard and a fake
 * OpenAI-compatible upstream on 127.0.0.1, loads the example features and experiments, drives simulated users
 * through the SDK and the gateway, and ends with a summary table; SIGINT or SIGTERM end it early, cleanly.
 */
export function addDemoCommand(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description(
      'run the whole product on simulated users: dashboard, rollouts, experiments, a bandit, a rollback',
    )
    .addOption(
      new Option('--duration <time>', 'how long users send traffic: 3m, 90s, 1m30s (1s to 24h)')
        .argParser(parseDuration)
        .default(180_000, '3m'),
    )
    .option(
      '--speed <n>',
      'multiply traffic and shorten ramp, bandit and monitor intervals (0.1 to 100)',
      parseSpeed,
      1,
    )
    .option('--port <port>', 'server port on 127.0.0.1, 0 for any free one', parsePort, 4280)
    .option('--seed <n>', 'seed of every simulated user, input and fault', parseSeed, 1)
    .option(
      '--db-file <path>',
      'SQLite file of the demo, DELETED and recreated at each start (:memory: for none)',
      './switchyard-demo.db',
    )
    .option('--no-progress', 'no live progress line: periodic plain lines only')
    // Checked in the action, to tell `npm run demo --port 0` (npm keeps the flag, passes the value) apart.
    .allowExcessArguments()
    .addHelpText(
      'after',
      [
        '',
        'Everything runs on 127.0.0.1 with no API keys and no network: the LLM calls go to a local fake',
        'upstream with latency and fault injection. The demo never uses --db or SWITCHYARD_DB: it recreates',
        'its own SQLite file (./switchyard-demo.db unless --db-file says otherwise) so every run starts clean,',
        'and keeps it afterwards for the CLI. The admin token comes from SWITCHYARD_ADMIN_TOKEN or is generated',
        'and printed at start. Ctrl-C (or SIGTERM) stops early and still prints the summary.',
        '',
        'Examples:',
        '  npm run demo',
        '  npm run demo -- --duration 90s --port 0     (npm passes options on only after --)',
        '  npx switchyard demo --duration 1m --speed 3 --port 0',
      ].join('\n'),
    )
    .action(async (flags: DemoFlags, command: Command) => {
      checkArguments(command.args, io);
      if (command.optsWithGlobals<{ db?: string }>().db !== undefined) {
        throw new CliError('demo does not take --db: it recreates its own SQLite file (see --db-file)');
      }
      const adminToken = io.env.SWITCHYARD_ADMIN_TOKEN;
      if (adminToken !== undefined && parseApiToken(adminToken) === undefined) {
        throw new CliError('invalid SWITCHYARD_ADMIN_TOKEN: must read sy_<id>_<secret>');
      }
      const file =
        flags.dbFile === ':memory:' || isAbsolute(flags.dbFile)
          ? flags.dbFile
          : resolve(io.cwd, flags.dbFile);
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const live = flags.progress !== false && process.stdout.isTTY === true && io.env.CI !== 'true';
        await runDemo({
          store: `sqlite:${file}`,
          port: flags.port,
          durationMs: flags.duration,
          speed: flags.speed,
          seed: flags.seed,
          ...(adminToken === undefined ? {} : { adminToken }),
          progress: live ? 'live' : 'plain',
          columns: process.stdout.columns ?? 120,
          write: io.stdout,
          signal: stop.signal,
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
