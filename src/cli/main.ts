import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { SwitchyardError } from '../core/errors.js';
import { CliError, type CliIo, processIo } from './cli-io.js';
import { addAlertsCommand } from './commands/alerts-command.js';
import { addDecideCommand } from './commands/decide-command.js';
import { addDemoCommand } from './commands/demo-command.js';
import { addExperimentsCommand } from './commands/experiments-command.js';
import { addFeaturesCommand } from './commands/features-command.js';
import { addKillAllCommand } from './commands/kill-all-command.js';
import { addServeCommand } from './commands/serve-command.js';
import { addSimulateCommand } from './commands/simulate-command.js';

const BAD_INPUT_CODES = new Set([
  'INVALID_CONFIG',
  'INVALID_INPUT',
  'FEATURE_NOT_FOUND',
  'EXPERIMENT_NOT_FOUND',
  'INVALID_TRANSITION',
  'ALREADY_EXISTS',
]);

/** Builds the `switchyard` command tree writing to `io`. */
export function createProgram(io: CliIo): Command {
  const program = new Command()
    .name('switchyard')
    .description(
      'Ship LLM-powered features safely: flags, rollouts, experiments, fallbacks, limits and telemetry.',
    )
    .option(
      '--db <url>',
      'store URL: sqlite:./switchyard.db (default), sqlite::memory: or postgres://… [env: SWITCHYARD_DB]',
    )
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  addFeaturesCommand(program, io);
  addKillAllCommand(program, io);
  addExperimentsCommand(program, io);
  addAlertsCommand(program, io);
  addDecideCommand(program, io);
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
    return BAD_INPUT_CODES.has(error.code) ? 2 : 1;
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
