import { type CompiledFeature, compileFeature } from '../../core/compile-feature.js';
import type { Store, StoredFeature } from '../../store/store.js';
import { type FeatureEventListener, FeatureEvents } from './feature-events.js';

/** Compiled features kept in step with the store by polling its revision. */
export interface FeatureRegistry {
  /** The compiled feature, or undefined when the store has no live feature of that key. */
  get(key: string): CompiledFeature | undefined;
  /** Keys of every live feature, sorted. */
  keys(): string[];
  /** Pulls every change written since the last pull; concurrent calls share one pull. */
  refresh(): Promise<void>;
  /** Tells `listener` of changed features (and, when following a server, of a lost and regained stream). */
  subscribe(listener: FeatureEventListener): () => void;
  /** Stops polling. */
  close(): void;
}

/** Options for `createFeatureRegistry`. */
export interface FeatureRegistryOptions {
  readonly store: Store;
  /** How often to poll for changes; default 250 ms, so a change reaches the client well within 1 s. */
  readonly refreshIntervalMs?: number;
  /** Called when a poll fails or a stored config no longer compiles; the last good state is kept. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Loads every live feature, compiles it once, and polls `listFeatures({ changedSince })` so that a
 * change made by another process (CLI, server, another client) is served within one interval.
 */
export async function createFeatureRegistry(options: FeatureRegistryOptions): Promise<FeatureRegistry> {
  const { store } = options;
  const onError = options.onError ?? (() => {});
  const compiled = new Map<string, CompiledFeature>();
  let revision = 0;
  let pending: Promise<void> | undefined;
  let closed = false;
  const events = new FeatureEvents(onError);

  const apply = (features: readonly StoredFeature[]) => {
    for (const feature of features) {
      revision = Math.max(revision, feature.revision);
      if (feature.archived) {
        compiled.delete(feature.key);
        continue;
      }
      try {
        compiled.set(feature.key, compileFeature(feature.config));
      } catch (error) {
        // A config that no longer compiles keeps serving its last good version rather than vanishing.
        onError(error);
      }
    }
  };

  const pull = async () => {
    const changed = await store.listFeatures({ changedSince: revision });
    if (closed) return;
    apply(changed);
    events.emit({ type: 'changed', features: [...new Set(changed.map((feature) => feature.key))].sort() });
  };

  const refresh = () => {
    if (closed) return Promise.resolve();
    pending ??= pull().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  apply(await store.listFeatures());
  const timer = setInterval(() => {
    refresh().catch(onError);
  }, options.refreshIntervalMs ?? 250);
  timer.unref();

  return {
    get: (key) => compiled.get(key),
    keys: () => [...compiled.keys()].sort(),
    refresh,
    subscribe: (listener) => events.subscribe(listener),
    close() {
      closed = true;
      clearInterval(timer);
    },
  };
}
