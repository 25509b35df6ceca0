import { ExperimentNotFoundError, InvalidInputError, InvalidTransitionError } from '../../core/errors.js';
import type { ExperimentStatus } from '../../core/experiment-config.js';
import type { FeatureConfig, SplitRuleConfig } from '../../core/feature-config.js';
import { parseFeature } from '../../core/validate-feature.js';
import type {
  ChangeMeta,
  ExperimentPatch,
  ExperimentUpdateResult,
  Store,
  StoredExperiment,
} from '../../store/store.js';
import { findRule, requireSplitRule, serveRule, withRule } from './experiment-rule.js';

/** The lifecycle steps of an experiment. */
export const EXPERIMENT_TRANSITIONS = ['start', 'pause', 'resume', 'stop', 'promote'] as const;
/** One lifecycle step. */
export type ExperimentTransition = (typeof EXPERIMENT_TRANSITIONS)[number];

/** Which states each step leaves from, and where it goes. */
const STEPS: Record<ExperimentTransition, { from: readonly ExperimentStatus[]; to: ExperimentStatus }> = {
  start: { from: ['draft'], to: 'running' },
  pause: { from: ['running'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
  stop: { from: ['running', 'paused'], to: 'stopped' },
  promote: { from: ['running', 'paused', 'stopped'], to: 'promoted' },
};

/** Options of one transition. */
export interface TransitionOptions extends ChangeMeta {
  /** The variant to promote (promote only). */
  variant?: string;
  /** Epoch milliseconds of the change. */
  now: number;
  /** The experiment version the caller read; default the current one. */
  expectedVersion?: number;
}

/**
 * Moves an experiment through its lifecycle and rewrites its feature's rule to match, in one transaction,
 * audited as `experiment.<step>` (and the feature's `experiment.<step>` entry):
 * - `start`: the split rule is marked as the experiment's (assignments become sticky); a bandit starts on
 *   equal weights. The analysis range starts now.
 * - `pause`: units already assigned keep their arm; new units are not enrolled and fall through the rule
 *   (to later rules or the default). Their exposures are not counted.
 * - `resume`: enrolment goes on with the same assignments.
 * - `stop`: the rule serves the control to everyone it matches; the analysis range ends now.
 * - `promote <variant>`: the rule serves the winner to everyone it matches (holdback included).
 * InvalidTransitionError (409) for a step the state does not allow, InvalidInputError for a bad variant.
 *
 * @example
 * await transitionExperiment(store, 'coach-v2', 'promote', { actor: 'cli', variant: 'v2', now: Date.now() });
 */
export async function transitionExperiment(
  store: Store,
  key: string,
  transition: ExperimentTransition,
  options: TransitionOptions,
): Promise<ExperimentUpdateResult> {
  const step = STEPS[transition];
  if (step === undefined) {
    throw new InvalidInputError('transition', `must be one of ${Object.keys(STEPS).join(', ')}`);
  }
  const experiment = await store.getExperiment(key);
  if (!experiment) throw new ExperimentNotFoundError(key);
  const arms = experiment.config.arms ?? [];
  if (!step.from.includes(experiment.status)) {
    throw new InvalidTransitionError(`experiment "${key}"`, experiment.status, transition);
  }
  if (transition === 'promote' && (options.variant === undefined || !arms.includes(options.variant))) {
    throw new InvalidInputError('variant', `must be one of the arms: ${arms.join(', ')}`);
  }
  const feature = await store.getFeature(experiment.feature);
  if (!feature) {
    throw new InvalidTransitionError(
      `experiment "${key}"`,
      experiment.status,
      transition,
      'its feature is gone',
    );
  }
  const patch: ExperimentPatch = { status: step.to };
  const next = nextFeature(experiment, feature.config, transition, options, patch);
  return store.updateExperiment(key, patch, {
    actor: options.actor,
    ...(options.reason === undefined ? {} : { reason: options.reason }),
    expectedVersion: options.expectedVersion ?? experiment.version,
    action: `experiment.${transition}`,
    ...(next === undefined
      ? {}
      : { feature: { config: parseFeature(next), expectedVersion: feature.version } }),
  });
}

/** The feature config after the step (undefined when the step does not change it), filling in the patch. */
function nextFeature(
  experiment: StoredExperiment,
  feature: FeatureConfig,
  transition: ExperimentTransition,
  options: TransitionOptions,
  patch: ExperimentPatch,
): FeatureConfig | undefined {
  const { config } = experiment;
  if (transition === 'promote' && experiment.status === 'stopped') {
    // The rule serves the control since the stop; it is found by its id, no longer a split.
    patch.winner = options.variant ?? null;
    const stopped = findRule(feature, config.ruleId);
    if (stopped === undefined) {
      throw new InvalidTransitionError(
        `experiment "${experiment.key}"`,
        experiment.status,
        transition,
        `feature "${feature.key}" has no rule "${config.ruleId}" any more`,
      );
    }
    return withRule(feature, stopped, serveRule(stopped, options.variant as string));
  }
  const located = requireSplitRule(feature, config.ruleId);
  const split: SplitRuleConfig = located.rule;
  const arms = config.arms ?? [];
  if (transition === 'start') {
    const current = Object.keys(split.split);
    if (current.join('\u0000') !== arms.join('\u0000')) {
      throw new InvalidTransitionError(
        `experiment "${experiment.key}"`,
        experiment.status,
        transition,
        `the split's variants changed to ${current.join(', ')}; create a new experiment`,
      );
    }
    patch.startedAt = options.now;
    let weights = split.split;
    if (config.allocation.type === 'bandit') {
      weights = Object.fromEntries(arms.map((arm) => [arm, 1 / arms.length]));
      patch.weightHistory = [{ at: options.now, weights }];
    }
    return withRule(feature, located, {
      ...split,
      split: weights,
      experiment: { key: experiment.key, status: 'running' },
    });
  }
  if (transition === 'pause' || transition === 'resume') {
    const status = transition === 'pause' ? 'paused' : 'running';
    return withRule(feature, located, { ...split, experiment: { key: experiment.key, status } });
  }
  patch.endedAt = options.now;
  if (transition === 'stop') return withRule(feature, located, serveRule(located, config.control as string));
  patch.winner = options.variant ?? null;
  return withRule(feature, located, serveRule(located, options.variant as string));
}
