import {
  FeatureNotFoundError,
  InvalidConfigError,
  InvalidInputError,
  InvalidTransitionError,
} from '../../core/errors.js';
import type { FeatureConfig } from '../../core/feature-config.js';
import { findRamp, type LocatedRamp } from '../../core/find-ramp.js';
import type { RampConfig } from '../../core/ramp-config.js';
import { parseFeature } from '../../core/validate-feature.js';
import type { ChangeMeta, Store, StoredFeature } from '../../store/store.js';
import { withRule } from '../experiments/experiment-rule.js';

/** The stored feature and its ramp; FeatureNotFoundError, or InvalidConfigError naming `rules` without a ramp. */
export async function requireRamp(
  store: Store,
  key: string,
): Promise<{ feature: StoredFeature; located: LocatedRamp }> {
  const feature = await store.getFeature(key);
  if (feature === undefined) throw new FeatureNotFoundError(key);
  const located = findRamp(feature.config);
  if (located === undefined) {
    throw new InvalidConfigError('no ramp', [
      { path: 'rules', message: `feature "${key}" has no split rule with a ramp` },
    ]);
  }
  return { feature, located };
}

/** How a ramp write is checked and audited. */
export interface RampWrite extends ChangeMeta {
  /** Audit action such as `ramp.advance`, `ramp.pause`, `ramp.rollback`. */
  action: string;
  /** Other changes to the feature made in the same write (a rollback's kill). */
  feature?: (config: FeatureConfig) => FeatureConfig;
}

/**
 * Writes a new ramp state into the feature's ramp rule, versioned against the feature read (VersionConflictError
 * when someone wrote in between) and audited with the given action, in one store write.
 */
export function writeRamp(
  store: Store,
  feature: StoredFeature,
  located: LocatedRamp,
  ramp: RampConfig,
  change: RampWrite,
): Promise<StoredFeature> {
  const withRamp = withRule(feature.config, located, { ...located.rule, ramp });
  const next = change.feature === undefined ? withRamp : change.feature(withRamp);
  return store.updateFeature(feature.key, parseFeature(next), {
    actor: change.actor,
    ...(change.reason === undefined ? {} : { reason: change.reason }),
    expectedVersion: feature.version,
    action: change.action,
  });
}

/** What a person can do to a ramp. */
export const RAMP_COMMANDS = ['pause', 'resume'] as const;
/** One of RAMP_COMMANDS. */
export type RampCommand = (typeof RAMP_COMMANDS)[number];

/** Which states each command leaves from. */
const COMMAND_FROM: Record<RampCommand, readonly RampConfig['status'][]> = {
  pause: ['running'],
  resume: ['paused', 'halted', 'rolled-back'],
};

/**
 * Pauses or resumes a feature's ramp, audited as `ramp.pause` or `ramp.resume`: `pause` holds a running ramp at
 * its step; `resume` lets a paused or halted ramp go on from its step (the step's minimum time starts again)
 * and restarts a rolled-back ramp from its first step (its comparisons start again too). Resuming does not
 * lift the kill a rollback wrote: enabling the feature does, on purpose a separate step. InvalidTransitionError
 * (409) for a command the ramp's state does not allow.
 *
 * @example
 * await changeRamp(store, 'persona-generation', 'resume', { actor: 'cli', reason: 'provider fixed', now: Date.now() });
 */
export async function changeRamp(
  store: Store,
  key: string,
  command: RampCommand,
  change: ChangeMeta & { now: number },
): Promise<StoredFeature> {
  if (!RAMP_COMMANDS.includes(command)) {
    throw new InvalidInputError('command', `must be one of ${RAMP_COMMANDS.join(', ')}`);
  }
  const { feature, located } = await requireRamp(store, key);
  const { ramp } = located;
  if (!COMMAND_FROM[command].includes(ramp.status)) {
    throw new InvalidTransitionError(`ramp of "${key}"`, ramp.status, command);
  }
  const { reason: _previous, ...rest } = ramp;
  const next: RampConfig =
    command === 'pause'
      ? { ...rest, status: 'paused' }
      : ramp.status === 'rolled-back'
        ? { ...rest, status: 'running', step: 0, startedAt: change.now, stepStartedAt: change.now }
        : { ...rest, status: 'running', stepStartedAt: change.now };
  if (change.reason !== undefined) next.reason = change.reason;
  return writeRamp(store, feature, located, next, { ...change, action: `ramp.${command}` });
}
