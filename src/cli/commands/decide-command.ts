import type { Command } from 'commander';
import { compileFeature } from '../../core/compile-feature.js';
import type { EvaluationContext } from '../../core/decision.js';
import { FeatureNotFoundError } from '../../core/errors.js';
import { evaluate } from '../../core/evaluate.js';
import { CliError, type CliIo } from '../cli-io.js';
import { storeUrl, withStore } from '../open-cli-store.js';

/** Adds `decide <key> --context '<json>'`: evaluates a stored feature and prints the Decision. */
export function addDecideCommand(program: Command, io: CliIo): void {
  program
    .command('decide')
    .description('evaluate a feature for a context and print the Decision as JSON')
    .argument('<key>', 'feature key')
    .option(
      '--context <json>',
      'evaluation context: {"attributes": {"userId": "u-1", ...}, "overrides": {"<feature>": "<variant>"}}',
      '{}',
    )
    .action(async (key: string, options: { context: string }, command: Command) => {
      const context = parseContext(options.context);
      const url = storeUrl(command.optsWithGlobals<{ db?: string }>().db, io);
      const stored = await withStore(url, (store) => store.getFeature(key));
      if (!stored) throw new FeatureNotFoundError(key);
      io.stdout(`${JSON.stringify(evaluate(compileFeature(stored.config), context), null, 2)}\n`);
    });
}

/** Parses and checks `--context`, naming the field that is wrong. */
export function parseContext(text: string): EvaluationContext {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`invalid --context: not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError('invalid --context: must be a JSON object such as {"attributes": {"userId": "u-1"}}');
  }
  for (const field of Object.keys(value)) {
    if (field !== 'attributes' && field !== 'overrides') {
      throw new CliError(
        `invalid --context: unknown field "${field}" (put unit attributes under "attributes", forced variants under "overrides")`,
      );
    }
  }
  const { attributes, overrides } = value as { attributes?: unknown; overrides?: unknown };
  if (attributes !== undefined && !isObject(attributes)) {
    throw new CliError('invalid --context: attributes must be an object');
  }
  if (overrides !== undefined) {
    if (!isObject(overrides)) throw new CliError('invalid --context: overrides must be an object');
    for (const [feature, variant] of Object.entries(overrides)) {
      if (typeof variant !== 'string') {
        throw new CliError(`invalid --context: overrides.${feature} must be a variant name`);
      }
    }
  }
  return value as EvaluationContext;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
