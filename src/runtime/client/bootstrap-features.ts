import { AlreadyExistsError, VersionConflictError } from '../../core/errors.js';
import type { FeatureConfig } from '../../core/feature-config.js';
import { applyFeature } from '../../store/feature-commands.js';
import type { Store } from '../../store/store.js';

/**
 * Applies features a client was started with: a feature the store lacks is created; one the store has
 * is updated only when the given config carries a higher `version` (the store stays the source of
 * truth, so a kill or an edit made elsewhere is not undone by a restart).
 */
export async function bootstrapFeatures(store: Store, features: readonly FeatureConfig[]): Promise<void> {
  for (const feature of features) {
    const existing = await store.getFeature(feature.key, { includeArchived: true });
    if (existing && (feature.version === undefined || feature.version <= existing.version)) continue;
    try {
      await applyFeature(store, existing ? { ...feature, version: existing.version } : feature, {
        actor: 'sdk',
        reason: 'bootstrap',
      });
    } catch (error) {
      // Another process starting at the same moment bootstrapped it first: the store already has it.
      if (error instanceof AlreadyExistsError || error instanceof VersionConflictError) continue;
      throw error;
    }
  }
}
