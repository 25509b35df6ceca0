import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { InvalidConfigError } from '../../core/errors.js';
import { type ExperimentConfigInput, experimentConfigSchema } from '../../core/experiment-config.js';
import type { FeatureConfig } from '../../core/feature-config.js';
import { formatFromFileName, loadFeatures } from '../../core/load-features.js';
import { zodProblems } from '../../core/validate-feature.js';

/** The demo's features and experiments, with their intervals scaled to the demo's speed. */
export interface DemoConfig {
  readonly features: FeatureConfig[];
  /** Experiments in file order, to create and start through the API. */
  readonly experiments: ExperimentConfigInput[];
}

/** Bandits never re-weigh more often than the experiment schema allows. */
const MIN_BANDIT_INTERVAL_MS = 1_000;
const CONFIG_FILE = /\.(ya?ml|json)$/i;

/**
 * The folder of the demo's files, `examples/demo/` of the package: the same relative path from `src/cli/demo`
 * and `dist/cli/demo`.
 */
export function defaultDemoDirectory(): string {
  return fileURLToPath(new URL('../../../examples/demo/', import.meta.url));
}

/**
 * Reads every feature file in `directory` (validated by the feature schema, like `features apply`) and every
 * experiment in its `experiments/` folder (validated by the experiment schema), then divides ramp step times
 * and bandit intervals by `speed`. InvalidConfigError names the file and the field.
 *
 * @example
 * const { features, experiments } = await loadDemoConfig(defaultDemoDirectory(), 1);
 */
export async function loadDemoConfig(directory: string, speed: number): Promise<DemoConfig> {
  if (!existsSync(directory)) {
    throw new InvalidConfigError('demo files', [{ path: directory, message: 'folder not found' }]);
  }
  const features: FeatureConfig[] = [];
  for (const name of await configFiles(directory)) {
    const text = await readFile(join(directory, name), 'utf8');
    features.push(...withFileName(name, () => loadFeatures(text, formatFromFileName(name))));
  }
  const experimentsDirectory = join(directory, 'experiments');
  const experiments: ExperimentConfigInput[] = [];
  if (existsSync(experimentsDirectory)) {
    for (const name of await configFiles(experimentsDirectory)) {
      const text = await readFile(join(experimentsDirectory, name), 'utf8');
      experiments.push(withFileName(`experiments/${name}`, () => parseExperiment(text)));
    }
  }
  return {
    features: features.map((feature) => scaleRamps(feature, speed)),
    experiments: experiments.map((experiment) => scaleBandit(experiment, speed)),
  };
}

async function configFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && CONFIG_FILE.test(entry.name))
    .map((entry) => entry.name)
    .sort();
}

function parseExperiment(text: string): ExperimentConfigInput {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new InvalidConfigError('invalid experiment file', [
      { path: '', message: `not valid YAML: ${message}` },
    ]);
  }
  const parsed = experimentConfigSchema.safeParse(document);
  if (!parsed.success) throw new InvalidConfigError('invalid experiment', zodProblems(parsed.error));
  return document as ExperimentConfigInput;
}

/** Runs `load`, prefixing the paths of any InvalidConfigError with the file name. */
function withFileName<T>(name: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    throw new InvalidConfigError(
      `invalid demo file ${name}`,
      error.problems.map((problem) => ({ path: problem.path || '(file)', message: problem.message })),
    );
  }
}

function scaleRamps(feature: FeatureConfig, speed: number): FeatureConfig {
  return {
    ...feature,
    rules: feature.rules.map((rule) =>
      'split' in rule && rule.ramp !== undefined
        ? { ...rule, ramp: { ...rule.ramp, minMinutesPerStep: rule.ramp.minMinutesPerStep / speed } }
        : rule,
    ),
  };
}

function scaleBandit(experiment: ExperimentConfigInput, speed: number): ExperimentConfigInput {
  const allocation = experiment.allocation;
  if (allocation?.type !== 'bandit') return experiment;
  const intervalMs = allocation.intervalMs ?? 3_600_000;
  return {
    ...experiment,
    allocation: {
      ...allocation,
      intervalMs: Math.max(MIN_BANDIT_INTERVAL_MS, Math.round(intervalMs / speed)),
    },
  };
}
