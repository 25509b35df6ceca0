import { transitionExperiment } from '../../control/experiments/transition-experiment.js';
import { writeRamp } from '../../control/ramps/feature-ramp.js';
import type { AlertAction } from '../../core/alert-rule.js';
import { VersionConflictError } from '../../core/errors.js';
import { findRamp } from '../../core/find-ramp.js';
import { unreachable } from '../../core/unreachable.js';
import { switchFeature } from '../../store/feature-commands.js';
import type { Store } from '../../store/store.js';

/** The actor the monitor writes as. */
export const MONITOR_ACTOR = 'monitor';

/** What the monitor did about a new alert, as recorded in webhooks and the alert's evidence. */
export interface ActionOutcome {
  /** The rule's action. */
  readonly action: AlertAction;
  /** What was done, in a few words (`killed the feature; stopped experiment coach-v2`, `nothing to halt`). */
  readonly done: string;
  /** Whether a feature write happened (so this server should serve the change at once). */
  readonly changed: boolean;
}

/** The alert being acted on: its rule's action, the feature and experiment it is about, and why. */
export interface AlertToAct {
  readonly action: AlertAction;
  readonly feature: string;
  readonly experiment: string | null;
  /** One line naming the rule and its evidence; becomes the audit and kill reason. */
  readonly reason: string;
}

/**
 * Carries out a rule's action once, when its alert opens, writing as actor `monitor` (audited by the store):
 * - `rollback`: kills the feature (everyone gets the default, reason KILLED) and marks its ramp `rolled-back`
 *   in one write, then stops its running or paused experiment (the split serves the control);
 * - `pause-experiment`: pauses the alert's (or the feature's) running experiment;
 * - `halt-ramp`: holds the feature's running or paused ramp at its step (status `halted`);
 * - `alert`: nothing beyond the alert itself.
 * A write that loses a race with another writer is retried once against the fresh version.
 */
export async function actOnAlert(store: Store, alert: AlertToAct, now: number): Promise<ActionOutcome> {
  const once = () => act(store, alert, now);
  try {
    return await once();
  } catch (error) {
    if (!(error instanceof VersionConflictError)) throw error;
    return once();
  }
}

async function act(store: Store, alert: AlertToAct, now: number): Promise<ActionOutcome> {
  const action = alert.action;
  switch (action) {
    case 'alert':
      return outcomeOf(action, 'recorded the alert', false);
    case 'halt-ramp':
      return haltRamp(store, alert);
    case 'pause-experiment':
      return pauseExperiment(store, alert, now);
    case 'rollback':
      return rollback(store, alert, now);
    default:
      return unreachable(action, 'alert action');
  }
}

function outcomeOf(action: AlertAction, done: string, changed: boolean): ActionOutcome {
  return { action, done, changed };
}

async function haltRamp(store: Store, alert: AlertToAct): Promise<ActionOutcome> {
  const change = { actor: MONITOR_ACTOR, reason: alert.reason };
  const outcome = (done: string, changed: boolean) => outcomeOf(alert.action, done, changed);
  const feature = await store.getFeature(alert.feature);
  if (feature === undefined) return outcome('nothing: the feature is gone', false);
  const located = findRamp(feature.config);
  if (located === undefined || !['running', 'paused'].includes(located.ramp.status)) {
    return outcome(`nothing: no running ramp (${located?.ramp.status ?? 'none'})`, false);
  }
  await writeRamp(
    store,
    feature,
    located,
    { ...located.ramp, status: 'halted', reason: alert.reason },
    { ...change, action: 'ramp.halt' },
  );
  return outcome(`halted the ramp at step ${located.ramp.step + 1} of ${located.ramp.steps.length}`, true);
}

/** The feature's running or paused experiments. */
async function liveExperiments(store: Store, feature: string) {
  const experiments = await store.listExperiments({ feature });
  return experiments.filter(
    (experiment) => experiment.status === 'running' || experiment.status === 'paused',
  );
}

async function pauseExperiment(store: Store, alert: AlertToAct, now: number): Promise<ActionOutcome> {
  const change = { actor: MONITOR_ACTOR, reason: alert.reason };
  const outcome = (done: string, changed: boolean) => outcomeOf(alert.action, done, changed);
  if ((await store.getFeature(alert.feature)) === undefined) {
    return outcome('nothing: the feature is gone', false);
  }
  const live = await liveExperiments(store, alert.feature);
  const target =
    live.find((experiment) => experiment.key === alert.experiment && experiment.status === 'running') ??
    live.find((experiment) => experiment.status === 'running');
  if (target === undefined) return outcome('nothing: no running experiment', false);
  await transitionExperiment(store, target.key, 'pause', { ...change, now });
  return outcome(`paused experiment ${target.key}`, true);
}

async function rollback(store: Store, alert: AlertToAct, now: number): Promise<ActionOutcome> {
  const change = { actor: MONITOR_ACTOR, reason: alert.reason };
  const feature = await store.getFeature(alert.feature);
  if (feature === undefined) return outcomeOf(alert.action, 'nothing: the feature is gone', false);
  const live = await liveExperiments(store, alert.feature);
  const done: string[] = [];
  const located = findRamp(feature.config);
  if (located !== undefined && located.ramp.status !== 'rolled-back') {
    await writeRamp(
      store,
      feature,
      located,
      { ...located.ramp, status: 'rolled-back', reason: alert.reason },
      {
        ...change,
        action: 'ramp.rollback',
        feature: (config) => (config.killed ? config : { ...config, killed: true, killReason: alert.reason }),
      },
    );
    done.push('killed the feature and rolled its ramp back');
  } else {
    const result = await switchFeature(store, alert.feature, 'kill', change);
    done.push(result.changed ? 'killed the feature' : 'the feature was killed already');
  }
  for (const experiment of live) {
    await transitionExperiment(store, experiment.key, 'stop', { ...change, now });
    done.push(`stopped experiment ${experiment.key}`);
  }
  return outcomeOf(alert.action, done.join('; '), true);
}
