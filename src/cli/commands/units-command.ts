import type { Command } from 'commander';
import { CliError, type CliIo } from '../cli-io.js';
import { storeUrl, withStore } from '../open-cli-store.js';
import { DEFAULT_CONFIG_FILE, readServerConfig } from '../read-server-config.js';

/**
 * Adds `units erase <unitId>`: deletes one unit's events (and the events of its requests) and assignments,
 * audited as `unit.erase` by `cli` under the unit's pseudonym. With hashed unit ids the config file's
 * `privacy` (its key) is needed to find the unit.
 */
export function addUnitsCommand(program: Command, io: CliIo): void {
  const units = program.command('units').description("one unit's data");
  units
    .command('erase <unitId>')
    .description(
      "delete the unit's events, the events of its requests (feedback) and its experiment assignments; " +
        'prints { erased: { events, assignments, preferences } }',
    )
    .option(
      '--config <file>',
      `server config file, for its store and privacy key (default: ./${DEFAULT_CONFIG_FILE} when it exists)`,
    )
    .option('--reason <text>', 'why, recorded in the audit log')
    .action(async (unitId: string, options: { config?: string; reason?: string }, command: Command) => {
      if (unitId.trim() === '') throw new CliError('invalid unitId: must not be empty');
      const config = await readServerConfig(options.config, io);
      const url = storeUrl(
        command.optsWithGlobals<{ db?: string }>().db ?? io.env.SWITCHYARD_DB ?? config.store,
        io,
      );
      const change =
        options.reason === undefined ? { actor: 'cli' } : { actor: 'cli', reason: options.reason };
      const erased = await withStore(
        url,
        (store) => store.eraseUnit(unitId, change),
        config.privacy === undefined ? {} : { privacy: config.privacy },
      );
      io.stdout(`${JSON.stringify({ erased })}\n`);
    });
}
