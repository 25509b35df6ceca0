import { isDeepStrictEqual } from 'node:util';
import { FeatureNotFoundError, InvalidConfigError } from '../core/errors.js';
import type { FeatureConfig } from '../core/feature-config.js';
import { parseFeature } from '../core/validate-feature.js';
import { keepRampProgress } from './keep-ramp-progress.js';
import type { ChangeMeta, Store, StoredFeature } from './store.js';

/** What applying one feature did. */
export interface ApplyOutcome {
  readonly key: string;
  readonly result: 'created' | 'updated' | 'unchanged';
  readonly feature: StoredFeature;
}

/**
 * Creates a feature or updates it to match `config` (optimistic on `config.version` when given).
 * A kill survives re-applying a file that does not mention `killed`: only `enable` lifts a kill; an
 * experiment's mark on its split rule survives the same way, and so does a ramp's progress (keepRampProgress).
 *
 * @example
 * const outcome = await applyFeature(store, parseFeature(config), { actor: 'cli' });
 */
export async function applyFeature(
  store: Store,
  config: FeatureConfig,
  change: ChangeMeta,
): Promise<ApplyOutcome> {
  const existing = await store.getFeature(config.key, { includeArchived: true });
  if (!existing) {
    const { version: _ignored, ...fresh } = config;
    return { key: config.key, result: 'created', feature: await store.createFeature(fresh, change) };
  }
  if (existing.archived) {
    throw new InvalidConfigError('invalid feature', [
      { path: 'key', message: `feature "${config.key}" is archived; choose another key` },
    ]);
  }
  const expectedVersion = config.version ?? existing.version;
  const next: FeatureConfig = { ...config, version: existing.version };
  if (config.killed === undefined && existing.config.killed !== undefined) {
    next.killed = existing.config.killed;
    if (existing.config.killReason !== undefined) next.killReason = existing.config.killReason;
  }
  next.rules = keepRampProgress(existing.config, keepExperimentMarks(existing.config, next.rules));
  if (expectedVersion === existing.version && isDeepStrictEqual(next, existing.config)) {
    return { key: config.key, result: 'unchanged', feature: existing };
  }
  const feature = await store.updateFeature(config.key, next, { ...change, expectedVersion });
  return { key: config.key, result: 'updated', feature };
}

/**
 * A running or paused experiment's mark on its split survives re-applying a file that does not mention it
 * (files are written by people; the mark is written by the experiment's transitions).
 */
function keepExperimentMarks(existing: FeatureConfig, rules: FeatureConfig['rules']): FeatureConfig['rules'] {
  const marks = new Map(
    existing.rules.flatMap((rule) =>
      'split' in rule && rule.experiment && rule.id ? [[rule.id, rule.experiment]] : [],
    ),
  );
  if (marks.size === 0) return rules;
  return rules.map((rule) => {
    const mark = rule.id === undefined ? undefined : marks.get(rule.id);
    return 'split' in rule && rule.experiment === undefined && mark ? { ...rule, experiment: mark } : rule;
  });
}

/** Operator actions on a feature's serving state. */
export type FeatureSwitch = 'enable' | 'disable' | 'kill';

/**
 * Enables, disables or kills a feature, audited as `feature.<action>`; a no-op when already in that state.
 * `enable` also lifts a kill; `kill` serves the default to everyone at once (reason KILLED).
 */
export async function switchFeature(
  store: Store,
  key: string,
  action: FeatureSwitch,
  change: ChangeMeta & { expectedVersion?: number },
): Promise<{ feature: StoredFeature; changed: boolean }> {
  const existing = await store.getFeature(key);
  if (!existing) throw new FeatureNotFoundError(key);
  const next = switchedConfig(existing.config, action, change.reason);
  if (isDeepStrictEqual(next, existing.config)) return { feature: existing, changed: false };
  const feature = await store.updateFeature(key, parseFeature(next), {
    actor: change.actor,
    ...(change.reason === undefined ? {} : { reason: change.reason }),
    expectedVersion: change.expectedVersion ?? existing.version,
    action: `feature.${action}`,
  });
  return { feature, changed: true };
}

function switchedConfig(
  config: FeatureConfig,
  action: FeatureSwitch,
  reason: string | undefined,
): FeatureConfig {
  const { killed: _killed, killReason: _killReason, ...alive } = config;
  switch (action) {
    case 'enable':
      return { ...alive, enabled: true };
    case 'disable':
      return { ...config, enabled: false };
    case 'kill':
      return config.killed
        ? config
        : { ...config, killed: true, ...(reason === undefined ? {} : { killReason: reason }) };
  }
}
