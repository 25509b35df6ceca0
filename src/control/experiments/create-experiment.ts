import { InvalidConfigError } from '../../core/errors.js';
import { type ExperimentConfig, experimentConfigSchema } from '../../core/experiment-config.js';
import { zodProblems } from '../../core/validate-feature.js';
import type { ChangeMeta, Store, StoredExperiment } from '../../store/store.js';
import { requireSplitRule } from './experiment-rule.js';

/** Experiments that still own their rule. */
const LIVE = new Set(['draft', 'running', 'paused']);

/**
 * Validates an experiment against its feature and stores it as a draft (audited `experiment.create`):
 * the rule defaults to the feature's first split, arms are the split's variants, the control defaults to
 * the feature's default variant when it is an arm. InvalidConfigError names every problem's field.
 *
 * @example
 * await createExperiment(store, { key: 'coach-v2', feature: 'coach-reply', primaryMetric: 'acceptance-rate' }, { actor: 'cli' });
 */
export async function createExperiment(
  store: Store,
  input: unknown,
  change: ChangeMeta,
): Promise<StoredExperiment> {
  const parsed = experimentConfigSchema.safeParse(input);
  if (!parsed.success) throw new InvalidConfigError('invalid experiment', zodProblems(parsed.error));
  const config = parsed.data;
  const feature = await store.getFeature(config.feature);
  if (!feature) {
    throw new InvalidConfigError('invalid experiment', [
      { path: 'feature', message: `feature "${config.feature}" not found` },
    ]);
  }
  const located = requireSplitRule(feature.config, config.ruleId);
  const split = located.rule.split;
  const arms = Object.keys(split);
  const problems = [];
  if (arms.length < 2) problems.push({ path: 'ruleId', message: 'the split needs at least two variants' });
  if (config.arms !== undefined && config.arms.join('\u0000') !== arms.join('\u0000')) {
    problems.push({ path: 'arms', message: `must be the split's variants: ${arms.join(', ')}` });
  }
  const control =
    config.control ??
    (arms.includes(feature.config.defaultVariant) ? feature.config.defaultVariant : arms[0]);
  if (control === undefined || !arms.includes(control)) {
    problems.push({ path: 'control', message: `must be one of the arms: ${arms.join(', ')}` });
  }
  if (config.allocation.type === 'bandit' && config.primaryMetric === 'p95-latency') {
    problems.push({
      path: 'primaryMetric',
      message: 'a bandit optimises a rate or a mean; p95-latency can only be a secondary or guardrail metric',
    });
  }
  const owners = await store.listExperiments({ feature: config.feature });
  const owner = owners.find(
    (experiment) => LIVE.has(experiment.status) && experiment.config.ruleId === located.id,
  );
  if (owner) {
    problems.push({
      path: 'ruleId',
      message: `rule "${located.id}" belongs to experiment "${owner.key}" (${owner.status})`,
    });
  }
  if (problems.length > 0) throw new InvalidConfigError('invalid experiment', problems);

  const total = arms.reduce((sum, arm) => sum + (split[arm] ?? 0), 0);
  const resolved: ExperimentConfig = {
    ...config,
    ruleId: located.id,
    arms,
    control: control as string,
    weights: Object.fromEntries(arms.map((arm) => [arm, total > 0 ? (split[arm] ?? 0) / total : 0])),
  };
  return store.createExperiment(resolved, change);
}
