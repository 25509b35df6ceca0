import type { Command } from 'commander';
import { killAllFeatures } from '../../store/kill-all-features.js';
import { CliError, type CliIo } from '../cli-io.js';
import { storeUrl, withStore } from '../open-cli-store.js';

const ACTOR = 'cli';

/**
 * Adds `kill-all [--reason <text>]`: the emergency stop for every feature at once. It prints one line per
 * feature and a summary, and exits 1 when some feature could not be killed (after the others were).
 */
export function addKillAllCommand(program: Command, io: CliIo): void {
  program
    .command('kill-all')
    .description(
      'emergency stop: kill every live feature, so everyone gets its default variant (reason KILLED); ' +
        'lift it feature by feature with `features enable <key>`',
    )
    .option('--reason <text>', 'why, recorded in the audit log as "kill-all: <text>"')
    .action(async (options: { reason?: string }, command: Command) => {
      const url = storeUrl(command.optsWithGlobals<{ db?: string }>().db, io);
      const change =
        options.reason === undefined ? { actor: ACTOR } : { actor: ACTOR, reason: options.reason };
      const outcome = await withStore(url, (store) => killAllFeatures(store, change));
      for (const { key, version } of outcome.killed) io.stdout(`killed ${key} (version ${version})\n`);
      for (const key of outcome.alreadyKilled) io.stdout(`already killed ${key}\n`);
      for (const failure of outcome.failed) io.stdout(`FAILED ${failure.key}: ${failure.message}\n`);
      const total = outcome.killed.length + outcome.alreadyKilled.length + outcome.failed.length;
      if (total === 0) {
        io.stdout('no live features: nothing to kill\n');
        return;
      }
      io.stdout(
        `${outcome.killed.length} killed, ${outcome.alreadyKilled.length} already killed, ` +
          `${outcome.failed.length} failed; undo one with \`switchyard features enable <key>\`\n`,
      );
      if (outcome.failed.length > 0) {
        // The others are killed; a non-zero exit makes a script or an operator look at what is still served.
        const keys = outcome.failed.map((failure) => failure.key).join(', ');
        throw new CliError(`kill-all: not killed: ${keys} (run it again, or kill each one)`, 1);
      }
    });
}
