import { createHash } from 'node:crypto';
import type { FeatureConfig } from '../../core/feature-config.js';
import type { Store, StoredFeature } from '../../store/store.js';

/** One live feature as SDKs receive it. */
export interface ConfigFeature {
  readonly key: string;
  readonly version: number;
  readonly revision: number;
  readonly config: FeatureConfig;
}

/** Everything an SDK needs: every live feature and the store revision they reflect. */
export interface ConfigDocument {
  /** The highest feature revision seen, archives included; it grows with every feature write. */
  readonly revision: number;
  /** Live features, ordered by key. */
  readonly features: readonly ConfigFeature[];
}

/** A config document with its serialised body and strong ETag, computed once per change. */
export interface ConfigSnapshot {
  readonly document: ConfigDocument;
  readonly body: string;
  readonly etag: string;
}

/** What one poll found: the features written since the previous poll (`archived: true` ones are gone). */
export interface ConfigChange {
  readonly revision: number;
  readonly features: ReadonlyArray<ConfigFeature & { readonly archived: boolean }>;
}

/** Keeps the server's view of the features in step with the store, for `/api/config` and its stream. */
export interface ConfigPoller {
  /** The current snapshot. */
  snapshot(): ConfigSnapshot;
  /** Whether the store held a feature with this key at the last pull, archived or not. */
  knows(key: string): boolean;
  /** Pulls changes now (concurrent calls share one pull); listeners hear of any. */
  refresh(): Promise<void>;
  /** Calls `listener` after every pull that found changes; returns the unsubscribe function. */
  subscribe(listener: (change: ConfigChange, snapshot: ConfigSnapshot) => void): () => void;
  /** Stops polling. */
  close(): void;
}

/** Options for `createConfigPoller`. */
export interface ConfigPollerOptions {
  readonly store: Store;
  /** Time between polls; default 200 ms. */
  readonly intervalMs?: number;
  /** Told of failed polls and throwing listeners; the last good snapshot stays. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Loads every feature once, then polls `listFeatures({ changedSince })` on one timer per server, however
 * many streams listen. The store hands out revisions in commit order, so nothing is missed between polls.
 */
export async function createConfigPoller(options: ConfigPollerOptions): Promise<ConfigPoller> {
  const { store } = options;
  const onError = options.onError ?? (() => {});
  const live = new Map<string, ConfigFeature>();
  const known = new Set<string>();
  const listeners = new Set<(change: ConfigChange, snapshot: ConfigSnapshot) => void>();
  let revision = 0;
  let current: ConfigSnapshot;
  let pending: Promise<void> | undefined;
  let closed = false;

  const apply = (features: readonly StoredFeature[]): ConfigChange => {
    for (const feature of features) {
      revision = Math.max(revision, feature.revision);
      known.add(feature.key);
      if (feature.archived) live.delete(feature.key);
      else live.set(feature.key, toConfigFeature(feature));
    }
    current = buildSnapshot(revision, live);
    return {
      revision,
      features: features.map((feature) => ({ ...toConfigFeature(feature), archived: feature.archived })),
    };
  };

  const pull = async () => {
    const changed = await store.listFeatures({ changedSince: revision });
    if (changed.length === 0 || closed) return;
    // In the order they were written, so a client applying them one by one ends in the store's state.
    changed.sort((left, right) => left.revision - right.revision);
    const change = apply(changed);
    for (const listener of listeners) {
      try {
        listener(change, current);
      } catch (error) {
        onError(error);
      }
    }
  };

  // Archived features too: the revision must be the highest one written, so that the same revision always
  // means the same document on every server.
  apply(await store.listFeatures({ includeArchived: true }));
  const timer = setInterval(() => {
    if (pending === undefined) refresh().catch(onError);
  }, options.intervalMs ?? 200);
  timer.unref();

  function refresh(): Promise<void> {
    if (closed) return Promise.resolve();
    pending ??= pull().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  return {
    snapshot: () => current,
    knows: (key) => known.has(key),
    refresh,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      clearInterval(timer);
      listeners.clear();
    },
  };
}

function toConfigFeature(feature: StoredFeature): ConfigFeature {
  return { key: feature.key, version: feature.version, revision: feature.revision, config: feature.config };
}

function buildSnapshot(revision: number, live: ReadonlyMap<string, ConfigFeature>): ConfigSnapshot {
  const features = [...live.values()].sort((left, right) => (left.key < right.key ? -1 : 1));
  const document: ConfigDocument = { revision, features };
  const body = JSON.stringify(document);
  // A hash of the exact bytes: equal tags always mean identical bodies, on every server.
  const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
  return { document, body, etag };
}
