import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { SwitchyardError, type SwitchyardErrorCode } from '../core/errors.js';
import { unreachable } from '../core/unreachable.js';
import { CliError, type CliIo, processIo } from './cli-io.js';
import { addAlertsCommand } from './commands/alerts-command.js';
import { addDecideCommand } from './commands/decide-command.js';
import { addDemoCommand } from './commands/demo-command.js';
import { addExperimentsCommand } from './commands/experiments-command.js';
import { addFeaturesCommand } from './commands/features-command.js';
import { addKillAllCommand } from './commands/kill-all-command.js';
import { addRetentionCommand } from './commands/retention-command.js';
import { addServeCommand } from './commands/serve-command.js';
import { addSimulateCommand } from './commands/simulate-command.js';
import { addTokensCommand } from './commands/tokens-command.js';
import { addUnitsCommand } from './commands/units-command.js';

/** Exit code 2 for what the user got wrong (bad input, unknown names), 1 for everything else. */
function exitCodeOf(code: SwitchyardErrorCode): 1 | 2 {
  switch (code) {
    case 'INVALID_CONFIG':
    case 'INVALID_INPUT':
    case 'FEATURE_NOT_FOUND':
    case 'EXPERIMENT_NOT_FOUND':
    case 'INVALID_TRANSITION':
    case 'ALREADY_EXISTS':
      return 2;
    case 'VERSION_CONFLICT':
    case 'RATE_LIMITED':
    case 'BUDGET_EXCEEDED':
    case 'ALL_VARIANTS_FAILED':
    case 'CANCELLED':
    case 'MODEL_CALL_FAILED':
    case 'REMOTE_REQUEST_FAILED':
      return 1;
    default:
      return unreachable(code, 'error code');
  }
}

/** The package's version, read from its package.json (two levels up from src/cli and dist/cli alike). */
function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/** Builds the `switchyard` command tree writing to `io`. */
export function createProgram(io: CliIo): Command {
  const program = new Command()
    .name('switchyard')
    .description(
      'Ship LLM-powered features safely: flags, rollouts, experiments, fallbacks, limits and telemetry.',
    )
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .option(
      '--db <url>',
      'store URL: sqlite:./switchyard.db (default), sqlite::memory: or postgres://… [env: SWITCHYARD_DB]',
    )
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  addFeaturesCommand(program, io);
  addKillAllCommand(program, io);
  addRetentionCommand(program, io);
  addUnitsCommand(program, io);
  addExperimentsCommand(program, io);
  addAlertsCommand(program, io);
  addDecideCommand(program, io);
  addTokensCommand(program, io);
  addServeCommand(program, io);
  addDemoCommand(program, io);
  addSimulateCommand(program, io);
  for (const command of program.commands) {
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    for (const sub of command.commands)
      sub.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  }
  return program;
}

/**
 * Runs the CLI with `argv` (without node and script) and resolves to the exit code:
 * 0 success, 2 bad input (one line naming the problem, nothing written), 1 any other failure.
 *
 * @example
 * process.exitCode = await runCli(['features', 'list'], processIo());
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = createProgram(io);
  if (argv.length === 0) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander already printed its one-line message; help and version are not failures.
    if (error.exitCode === 0) return 0;
    return 2;
  }
  if (error instanceof CliError) {
    io.stderr(`switchyard: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof SwitchyardError) {
    io.stderr(`switchyard: ${error.message}\n`);
    return exitCodeOf(error.code);
  }
  io.stderr(`switchyard: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}

/** Entry point of the `switchyard` bin. */
export async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2), processIo());
}

const invokedPath = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (invokedPath === fileURLToPath(import.meta.url)) await main();
