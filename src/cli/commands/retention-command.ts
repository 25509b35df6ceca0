import type { Command } from 'commander';
import { retentionSettingsSchema } from '../../control/retention/retention-settings.js';
import { runRetention } from '../../control/retention/run-retention.js';
import { zodProblems } from '../../core/validate-feature.js';
import { CliError, type CliIo } from '../cli-io.js';
import { storeUrl, withStore } from '../open-cli-store.js';
import { DEFAULT_CONFIG_FILE, readServerConfig } from '../read-server-config.js';

const ACTOR = 'cli';

interface RetentionRunOptions {
  config?: string;
  events?: string;
  content?: string;
  audit?: string;
}

/**
 * Adds `retention run`: applies the retention windows of the config file (or the flags, which win) to the
 * store at once, as the server's hourly pass does, audited as `retention.run` by `cli`.
 */
export function addRetentionCommand(program: Command, io: CliIo): void {
  const retention = program.command('retention').description('what is kept and for how long');
  retention
    .command('run')
    .description(
      'delete events and audit entries older than their window and remove stored prompts and outputs older ' +
        'than `content`, now; prints { deleted: { events, audit }, scrubbed: { events } }',
    )
    .option(
      '--config <file>',
      `server config file with a retention section (default: ./${DEFAULT_CONFIG_FILE} when it exists)`,
    )
    .option('--events <window>', 'delete events older than this (90d, 36h)')
    .option('--content <window>', 'remove stored prompts and outputs older than this')
    .option('--audit <window>', 'delete audit entries older than this')
    .action(async (options: RetentionRunOptions, command: Command) => {
      const config = await readServerConfig(options.config, io);
      const given = Object.fromEntries(
        (['events', 'content', 'audit'] as const)
          .filter((field) => options[field] !== undefined)
          .map((field) => [field, options[field]]),
      );
      const parsed = retentionSettingsSchema.safeParse({ ...config.retention, ...given });
      if (!parsed.success) {
        const problem = zodProblems(parsed.error)[0];
        throw new CliError(`invalid --${problem?.path}: ${problem?.message}`);
      }
      const settings = parsed.data;
      if (settings.events === undefined && settings.content === undefined && settings.audit === undefined) {
        throw new CliError(
          'no retention window: give --events, --content or --audit, or a retention section in the config file',
        );
      }
      const url = storeUrl(
        command.optsWithGlobals<{ db?: string }>().db ?? io.env.SWITCHYARD_DB ?? config.store,
        io,
      );
      const result = await withStore(
        url,
        async (store) => {
          const outcome = await runRetention(store, settings, { now: Date.now() });
          await store.appendAudit({
            actor: ACTOR,
            action: 'retention.run',
            target: 'events',
            before: null,
            after: outcome,
            reason: null,
          });
          return outcome;
        },
        config.privacy === undefined ? {} : { privacy: config.privacy },
      );
      io.stdout(
        `${JSON.stringify({ deleted: result.deleted, scrubbed: result.scrubbed, before: result.before })}\n`,
      );
    });
}
