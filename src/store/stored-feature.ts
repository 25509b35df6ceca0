import type { FeatureConfig } from '../core/feature-config.js';

/** Who made a change and why; every mutation carries one and its audit entry records it. */
export interface ChangeMeta {
  /** The token name, user or `monitor` that made the change. */
  actor: string;
  reason?: string;
}

/** A feature as the store holds it: the config plus the bookkeeping the store owns. */
export interface StoredFeature {
  key: string;
  /** Starts at 1 and grows by 1 on every write; `config.version` always equals it. */
  version: number;
  config: FeatureConfig;
  archived: boolean;
  /** Store-wide, strictly increasing number assigned on every feature write (poll with `changedSince`). */
  revision: number;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds. */
  updatedAt: number;
}
