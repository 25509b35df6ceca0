import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { stringify } from 'yaml';
import { FeatureNotFoundError } from '../../core/errors.js';
import { formatFromFileName, loadFeatures } from '../../core/load-features.js';
import { rampCoverage } from '../../core/ramp-config.js';
import { applyFeature, type FeatureSwitch, switchFeature } from '../../store/feature-commands.js';
import type { StoredFeature } from '../../store/store.js';
import { CliError, type CliIo } from '../cli-io.js';
import { formatTable } from '../format-table.js';
import { storeUrl, withStore } from '../open-cli-store.js';
import { addRampCommand } from './ramp-command.js';

const ACTOR = 'cli';

/** Adds `features apply|list|get|enable|disable|kill|ramp|history` to the program. */
export function addFeaturesCommand(program: Command, io: CliIo): void {
  const features = program.command('features').description('create, inspect and switch features');
  const dbOf = (command: Command) => storeUrl(command.optsWithGlobals<{ db?: string }>().db, io);

  features
    .command('apply')
    .description('validate a JSON or YAML file (one feature or a list) and create or update each feature')
    .argument('<file>', 'feature file (.json, .yaml or .yml)')
    .option('--reason <text>', 'why, recorded in the audit log')
    .option('--dry-run', 'validate only; write nothing')
    .action(async (file: string, options: { reason?: string; dryRun?: boolean }, command: Command) => {
      const path = resolve(io.cwd, file);
      const text = await readFile(path, 'utf8').catch((error: unknown) => {
        throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      });
      const configs = loadFeatures(text, formatFromFileName(file));
      if (options.dryRun) {
        io.stdout(`valid: ${configs.map((config) => config.key).join(', ')}\n`);
        return;
      }
      await withStore(dbOf(command), async (store) => {
        for (const config of configs) {
          const outcome = await applyFeature(store, config, withReason(options.reason));
          io.stdout(`${outcome.result} ${outcome.key} (version ${outcome.feature.version})\n`);
        }
      });
    });

  features
    .command('list')
    .description('list features with their state, version and rules')
    .option('--all', 'include archived features')
    .option('--json', 'print JSON')
    .action(async (options: { all?: boolean; json?: boolean }, command: Command) => {
      const list = await withStore(dbOf(command), (store) =>
        store.listFeatures({ includeArchived: options.all === true }),
      );
      if (options.json) {
        io.stdout(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      if (list.length === 0) {
        io.stdout('no features yet: add one with `switchyard features apply <file>`\n');
        return;
      }
      io.stdout(
        formatTable(
          ['KEY', 'STATE', 'VERSION', 'DEFAULT', 'VARIANTS', 'RULES', 'UPDATED'],
          list.map((feature) => [
            feature.key,
            stateOf(feature),
            String(feature.version),
            feature.config.defaultVariant,
            Object.keys(feature.config.variants).join(','),
            describeRules(feature),
            new Date(feature.updatedAt).toISOString(),
          ]),
        ),
      );
    });

  features
    .command('get')
    .description('print one feature config (with its version, ready to edit and apply)')
    .argument('<key>', 'feature key')
    .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .action(async (key: string, options: { format: 'yaml' | 'json' }, command: Command) => {
      const feature = await withStore(dbOf(command), (store) => store.getFeature(key));
      if (!feature) throw new FeatureNotFoundError(key);
      io.stdout(
        options.format === 'json'
          ? `${JSON.stringify(feature.config, null, 2)}\n`
          : stringify(feature.config),
      );
    });

  // A kill is what an on-call reads about later: like the dashboard's kill dialog, it needs a reason.
  const switches: Array<[FeatureSwitch, string, boolean]> = [
    ['enable', 'turn the master switch on (also lifts a kill)', false],
    ['disable', 'turn the master switch off: everyone gets the default variant (reason DISABLED)', false],
    ['kill', 'emergency stop: everyone gets the default variant at once (reason KILLED) until enabled', true],
  ];
  for (const [action, description, reasonRequired] of switches) {
    const sub = features.command(action).description(description).argument('<key>', 'feature key');
    if (reasonRequired) sub.requiredOption('--reason <text>', 'why, recorded in the audit log (required)');
    else sub.option('--reason <text>', 'why, recorded in the audit log');
    sub.action(async (key: string, options: { reason?: string }, command: Command) => {
      if (reasonRequired && options.reason?.trim() === '') {
        throw new CliError(`${action} needs a reason: --reason must not be empty`);
      }
      const { feature, changed } = await withStore(dbOf(command), (store) =>
        switchFeature(store, key, action, withReason(options.reason)),
      );
      const verb = { enable: 'enabled', disable: 'disabled', kill: 'killed' }[action];
      io.stdout(
        changed
          ? `${verb} ${key} (version ${feature.version})\n`
          : `${key} is already ${verb}: nothing changed\n`,
      );
    });
  }

  addRampCommand(features, io, dbOf);

  features
    .command('history')
    .description("print a feature's audit trail, newest first")
    .argument('<key>', 'feature key')
    .option('--limit <count>', 'most entries to print', parseLimit, 50)
    .option('--json', 'print JSON')
    .action(async (key: string, options: { limit: number; json?: boolean }, command: Command) => {
      const entries = await withStore(dbOf(command), async (store) => {
        if (!(await store.getFeature(key, { includeArchived: true }))) throw new FeatureNotFoundError(key);
        return (await store.listAudit({ target: `feature:${key}`, limit: options.limit })).entries;
      });
      if (options.json) {
        io.stdout(`${JSON.stringify(entries, null, 2)}\n`);
        return;
      }
      io.stdout(
        formatTable(
          ['AT', 'ACTOR', 'ACTION', 'VERSION', 'REASON'],
          entries.map((entry) => [
            new Date(entry.at).toISOString(),
            entry.actor,
            entry.action,
            versionOf(entry.after) ?? '-',
            entry.reason ?? '',
          ]),
        ),
      );
    });
}

function withReason(reason: string | undefined) {
  return reason === undefined ? { actor: ACTOR } : { actor: ACTOR, reason };
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new CliError(`invalid --limit: "${value}" is not a whole number from 1 to 10000`);
  }
  return limit;
}

function stateOf(feature: StoredFeature): string {
  if (feature.archived) return 'archived';
  if (feature.config.killed) return 'KILLED';
  return feature.config.enabled ? 'enabled' : 'disabled';
}

function describeRules(feature: StoredFeature): string {
  return (
    feature.config.rules
      .map((rule) => {
        if ('serve' in rule) return `${rule.id ?? 'rule'}→${rule.serve}`;
        const weights = Object.entries(rule.split)
          .map(([variant, weight]) => `${variant}:${weight}`)
          .join('/');
        const coverage = rule.ramp === undefined ? rule.coverage : rampCoverage(rule.ramp);
        const ramp =
          rule.ramp === undefined
            ? ''
            : ` ramp ${rule.ramp.status} ${rule.ramp.step + 1}/${rule.ramp.steps.length}`;
        return `${rule.id ?? 'split'}[${weights}@${Math.round(coverage * 1000) / 10}%${ramp}]`;
      })
      .join(' ') || '-'
  );
}

function versionOf(snapshot: unknown): string | undefined {
  const version = (snapshot as { version?: unknown } | null)?.version;
  return typeof version === 'number' ? String(version) : undefined;
}
