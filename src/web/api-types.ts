/**
 * The shapes the dashboard reads from the REST API: the types of the layers that build the answers, imported
 * as types only (nothing of those layers reaches the bundle), plus the few shapes only the routes define.
 */
import type { DecisionReason } from '../core/decision.js';
import type { TelemetryEvent } from '../core/event-schema.js';
import type { ExperimentConfig, ExperimentStatus } from '../core/experiment-config.js';
import type { FeatureConfig, RuleConfig, SplitRuleConfig } from '../core/feature-config.js';
import type { RampConfig } from '../core/ramp-config.js';
import type {
  ArmComparison,
  ArmMetricResult,
  ExperimentAnalysis,
  MetricAnalysis,
} from '../stats/experiment-analysis.js';
import type { AlertPage, StoredAlert } from '../store/alert-types.js';
import type { MetricsByVariant, MetricValues } from '../store/analytics/analytics-types.js';
import type { StoredExperiment } from '../store/experiment-types.js';
import type { AuditEntry, AuditPage } from '../store/store.js';
import type { StoredFeature } from '../store/stored-feature.js';

export type {
  AlertPage,
  ArmComparison,
  ArmMetricResult,
  AuditEntry,
  AuditPage,
  DecisionReason,
  ExperimentAnalysis,
  ExperimentConfig,
  ExperimentStatus,
  FeatureConfig,
  MetricAnalysis,
  MetricsByVariant,
  MetricValues,
  RampConfig,
  RuleConfig,
  SplitRuleConfig,
  StoredAlert,
  StoredExperiment,
  StoredFeature,
  TelemetryEvent,
};

/** An API role. */
export type Role = 'admin' | 'editor' | 'viewer' | 'sdk';

/** `GET /api/whoami`. */
export interface Identity {
  id: string;
  name: string;
  role: Role;
}

/** One problem of a config or input, with the path of the field. */
export interface Problem {
  path: string;
  message: string;
}

/** Every error answer: `{ error: { code, message, path?, problems? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; path?: string; problems?: Problem[] };
}

/** What `kill`, `enable` and `disable` answer. */
export interface SwitchResult {
  feature: StoredFeature;
  changed: boolean;
}

/** A page of telemetry events, oldest first. */
export interface EventPage {
  events: TelemetryEvent[];
  nextCursor: string | null;
}

/** A decision, as `POST /api/decide` answers. */
export interface Decision {
  feature: string;
  variant: string;
  reason: DecisionReason;
  ruleId: string | null;
  version: number;
}

/** A verdict on one comparison, or on the experiment. */
export type Verdict =
  | 'significant win'
  | 'significant loss'
  | 'no significant difference'
  | 'insufficient data';

/** `GET /api/experiments/:key/results`. */
export interface ExperimentResults {
  experiment: StoredExperiment;
  range: { from: number; to: number } | null;
  analysis: ExperimentAnalysis | null;
}
