import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { createExperiment } from '../../control/experiments/create-experiment.js';
import { experimentResults } from '../../control/experiments/experiment-results.js';
import {
  type ExperimentTransition,
  transitionExperiment,
} from '../../control/experiments/transition-experiment.js';
import { CliError, type CliIo } from '../cli-io.js';
import { formatResults } from '../format-results.js';
import { formatTable } from '../format-table.js';
import { storeUrl, withStore } from '../open-cli-store.js';

const ACTOR = 'cli';

/** Options of `experiments create` that build a config without a file. */
interface CreateOptions {
  file?: string;
  key?: string;
  feature?: string;
  rule?: string;
  control?: string;
  primary?: string;
  secondary?: string[];
  guardrail?: string[];
  hypothesis?: string;
  alpha?: string;
  power?: string;
  mde?: string;
  minSample?: string;
  correction?: string;
  sequential?: boolean;
  bandit?: boolean;
  banditInterval?: string;
}

/** Adds `experiments list|create|start|pause|resume|stop|promote|results` to the program. */
export function addExperimentsCommand(program: Command, io: CliIo): void {
  const experiments = program
    .command('experiments')
    .description("create, run, analyse and promote experiments on a feature's split rule");
  const dbOf = (command: Command) => storeUrl(command.optsWithGlobals<{ db?: string }>().db, io);

  experiments
    .command('list')
    .description('list experiments with their feature, status and primary metric')
    .option('--feature <key>', "only this feature's experiments")
    .option('--json', 'print JSON')
    .action(async (options: { feature?: string; json?: boolean }, command: Command) => {
      const list = await withStore(dbOf(command), (store) =>
        store.listExperiments(options.feature === undefined ? {} : { feature: options.feature }),
      );
      if (options.json) return io.stdout(`${JSON.stringify(list, null, 2)}\n`);
      if (list.length === 0)
        return io.stdout('no experiments yet: add one with `switchyard experiments create`\n');
      io.stdout(
        formatTable(
          ['KEY', 'FEATURE', 'STATUS', 'ARMS', 'PRIMARY', 'ALLOCATION', 'STARTED'],
          list.map((experiment) => [
            experiment.key,
            experiment.feature,
            experiment.status,
            (experiment.config.arms ?? []).join(','),
            experiment.config.primaryMetric,
            experiment.config.allocation.type,
            experiment.startedAt === null ? '-' : new Date(experiment.startedAt).toISOString(),
          ]),
        ),
      );
    });

  const collect = (value: string, previous: string[] = []) => [...previous, value];
  experiments
    .command('create')
    .description('create a draft experiment from a JSON or YAML file, or from flags')
    .option('--file <path>', 'experiment config (.json, .yaml or .yml); flags override its fields')
    .option('--key <key>', 'experiment key')
    .option('--feature <key>', 'the feature whose split rule the experiment owns')
    .option('--rule <id>', "the split rule (default: the feature's first split rule)")
    .option(
      '--control <variant>',
      "the arm others are compared with (default: the feature's default variant)",
    )
    .option(
      '--primary <metric>',
      'primary metric: acceptance-rate, error-rate, mean-cost, p95-latency, feedback:<name>, ...',
    )
    .option('--secondary <metric>', 'a secondary metric (repeat for more)', collect)
    .option('--guardrail <metric>', 'a guardrail metric (repeat for more)', collect)
    .option('--hypothesis <text>', 'what you expect and why')
    .option('--alpha <number>', 'significance level (default 0.05)')
    .option('--power <number>', 'target power (default 0.8)')
    .option('--mde <number>', 'minimum detectable effect, relative (default 0.1)')
    .option('--min-sample <count>', 'units per arm before any verdict (default 30)')
    .option('--correction <method>', 'holm (default), bonferroni, bh or none')
    .option('--sequential', 'always-valid intervals and p-values (safe to peek)')
    .option('--bandit', 'Thompson-sampling allocation instead of fixed weights')
    .option('--bandit-interval <ms>', 'milliseconds between bandit weight updates (default 3600000)')
    .action(async (options: CreateOptions, command: Command) => {
      const config = { ...(await readConfigFile(options.file, io)), ...configFromFlags(options) };
      const experiment = await withStore(dbOf(command), (store) =>
        createExperiment(store, config, { actor: ACTOR }),
      );
      io.stdout(
        `created ${experiment.key} on ${experiment.feature} rule ${experiment.config.ruleId} ` +
          `(arms ${(experiment.config.arms ?? []).join(', ')}; control ${experiment.config.control})\n`,
      );
    });

  const steps: Array<[ExperimentTransition, string]> = [
    ['start', 'start enrolling units; assignments become sticky'],
    ['pause', 'keep assigned units in their arm; enrol nobody new'],
    ['resume', 'enrol units again'],
    ['stop', 'end the experiment: the rule serves the control to everyone'],
  ];
  for (const [step, description] of steps) {
    experiments
      .command(step)
      .description(description)
      .argument('<key>', 'experiment key')
      .option('--reason <text>', 'why, recorded in the audit log')
      .action(async (key: string, options: { reason?: string }, command: Command) => {
        const { experiment, feature } = await withStore(dbOf(command), (store) =>
          transitionExperiment(store, key, step, { ...withReason(options.reason), now: Date.now() }),
        );
        io.stdout(
          `${key} is ${experiment.status}${feature ? ` (feature ${feature.key} version ${feature.version})` : ''}\n`,
        );
      });
  }

  experiments
    .command('promote')
    .description('serve the winning variant to everyone the rule matches and end the experiment')
    .argument('<key>', 'experiment key')
    .argument('<variant>', 'the arm to promote')
    .option('--reason <text>', 'why, recorded in the audit log')
    .action(async (key: string, variant: string, options: { reason?: string }, command: Command) => {
      const { feature } = await withStore(dbOf(command), (store) =>
        transitionExperiment(store, key, 'promote', {
          ...withReason(options.reason),
          variant,
          now: Date.now(),
        }),
      );
      io.stdout(
        `promoted ${variant} in ${key}${feature ? ` (feature ${feature.key} version ${feature.version})` : ''}\n`,
      );
    });

  experiments
    .command('results')
    .description(
      'analyse an experiment: per arm and metric, intervals, lifts, p-values, verdicts, SRM and power',
    )
    .argument('<key>', 'experiment key')
    .option('--json', 'print JSON')
    .action(async (key: string, options: { json?: boolean }, command: Command) => {
      const results = await withStore(dbOf(command), (store) => experimentResults(store, key, Date.now()));
      io.stdout(options.json ? `${JSON.stringify(results, null, 2)}\n` : formatResults(results));
    });
}

async function readConfigFile(file: string | undefined, io: CliIo): Promise<Record<string, unknown>> {
  if (file === undefined) return {};
  const text = await readFile(resolve(io.cwd, file), 'utf8').catch((error: unknown) => {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  });
  let parsed: unknown;
  try {
    parsed = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new CliError(`cannot parse ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(`${file}: must hold one experiment object`);
  }
  return parsed as Record<string, unknown>;
}

function configFromFlags(options: CreateOptions): Record<string, unknown> {
  const number = (flag: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed)) throw new CliError(`invalid --${flag}: "${value}" is not a number`);
    return parsed;
  };
  const entries: Array<[string, unknown]> = [
    ['key', options.key],
    ['feature', options.feature],
    ['ruleId', options.rule],
    ['control', options.control],
    ['primaryMetric', options.primary],
    ['secondaryMetrics', options.secondary],
    ['guardrailMetrics', options.guardrail],
    ['hypothesis', options.hypothesis],
    ['alpha', number('alpha', options.alpha)],
    ['power', number('power', options.power)],
    ['mde', number('mde', options.mde)],
    ['minSamplePerArm', number('min-sample', options.minSample)],
    ['correction', options.correction],
    ['sequential', options.sequential],
  ];
  if (options.bandit) {
    const intervalMs = number('bandit-interval', options.banditInterval);
    entries.push(['allocation', { type: 'bandit', ...(intervalMs === undefined ? {} : { intervalMs }) }]);
  }
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
}

function withReason(reason: string | undefined) {
  return reason === undefined ? { actor: ACTOR } : { actor: ACTOR, reason };
}
