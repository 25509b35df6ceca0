import type { ExperimentConfig, ExperimentStatus } from '../core/experiment-config.js';
import type { FeatureConfig } from '../core/feature-config.js';
import type { ChangeMeta, StoredFeature } from './stored-feature.js';

/** One bandit re-weighing: the split weights written at `at`; each entry starts a period. */
export interface WeightChange {
  /** Epoch milliseconds. */
  at: number;
  /** Variant -> weight, summing to 1. */
  weights: Record<string, number>;
}

/** An experiment as the store holds it. */
export interface StoredExperiment {
  key: string;
  feature: string;
  config: ExperimentConfig;
  status: ExperimentStatus;
  /** Starts at 1 and grows by 1 on every write. */
  version: number;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds. */
  updatedAt: number;
  /** When it first started running (the analysis range starts here), or null while a draft. */
  startedAt: number | null;
  /** When it was stopped or promoted (the analysis range ends here), or null while live. */
  endedAt: number | null;
  /** The promoted variant, or null. */
  winner: string | null;
  /** Bandit weight changes, oldest first (empty for fixed allocation). */
  weightHistory: WeightChange[];
}

/** Fields an experiment update may change; absent fields keep their value. */
export interface ExperimentPatch {
  config?: ExperimentConfig;
  status?: ExperimentStatus;
  startedAt?: number | null;
  endedAt?: number | null;
  winner?: string | null;
  /** Replaces the whole history. */
  weightHistory?: WeightChange[];
}

/** How an experiment update is checked and audited, and the feature write that goes with it. */
export interface ExperimentUpdateChange extends ChangeMeta {
  /** The experiment version the caller read; VersionConflictError when it moved on. */
  expectedVersion: number;
  /** Audit action such as `experiment.start`, `experiment.promote`, `experiment.reweigh`. */
  action: string;
  /**
   * A feature write committed in the same transaction (the split rule's weights or experiment marker):
   * versioned and audited as `updateFeature` would, with the same actor, reason and action.
   */
  feature?: { config: FeatureConfig; expectedVersion: number };
}

/** What an experiment update wrote. */
export interface ExperimentUpdateResult {
  experiment: StoredExperiment;
  /** The feature as written, when the change carried one. */
  feature?: StoredFeature;
}

/** Filters for `listExperiments`. */
export interface ListExperimentsOptions {
  feature?: string;
  status?: ExperimentStatus;
}

/** A unit's arm in an experiment, kept when weights move; first write wins. */
export interface Assignment {
  experiment: string;
  unitId: string;
  variant: string;
  /** The split's hash seed when assigned; an assignment under another seed no longer holds. */
  seed: string;
  /** Epoch milliseconds. */
  at: number;
}

/** What an experiment's analysis needs aggregated: arms, range, metrics and optional bandit periods. */
export interface ExperimentDataQuery {
  feature: string;
  /** The experiment's split rule: only decisions made by it (reason SPLIT or STICKY) are exposures. */
  ruleId: string;
  arms: string[];
  /** Inclusive, epoch milliseconds. */
  from: number;
  /** Exclusive, epoch milliseconds. */
  to: number;
  /** Metric names (`BUILT_IN_EXPERIMENT_METRICS` or `feedback:<name>`); `p95-latency` fills `latency`. */
  metrics: string[];
  /** When given, also per period of this length from `from`, by each unit's first exposure. */
  periodMs?: number;
  /**
   * An arm whose decisions with reason DEFAULT (no rule matched, or a ramp's coverage left the unit out)
   * also count as exposures: how a ramp compares its split with the units still on the default variant.
   */
  fallthroughArm?: string;
}
