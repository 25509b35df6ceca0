import type { Generated } from 'kysely';

/** Table names, prefixed so a store can share a database (or schema) with an application. */
export const TABLES = {
  features: 'switchyard_features',
  auditEntries: 'switchyard_audit_entries',
  counters: 'switchyard_counters',
  events: 'switchyard_events',
  tokens: 'switchyard_tokens',
  experiments: 'switchyard_experiments',
  assignments: 'switchyard_assignments',
  preferences: 'switchyard_preferences',
} as const;

/** The counter row whose value is the last feature revision handed out. */
export const FEATURE_REVISION_COUNTER = 'feature_revision';

/** One feature row; JSON columns hold `JSON.stringify` text, times are epoch milliseconds. */
export interface FeatureRow {
  key: string;
  version: number;
  config: string;
  revision: number;
  created_at: number;
  updated_at: number;
  archived_at: number | null;
}

/** One audit row; `before` and `after` are JSON text or NULL. */
export interface AuditEntryRow {
  id: Generated<number>;
  at: number;
  actor: string;
  action: string;
  target: string;
  before: string | null;
  after: string | null;
  reason: string | null;
}

/** A named counter, bumped inside the transactions that need an ordered number. */
export interface CounterRow {
  name: string;
  value: number;
}

/**
 * One telemetry event: typed columns for the fields SQL filters and aggregates on, booleans as 0 / 1, NULL
 * where the event type lacks them; `data` holds JSON text of the other fields (`eventColumnValues` writes a
 * row, `eventFromColumns` reads the event back; rows from before 0013 hold the whole event in `data`).
 */
export interface EventRow {
  id: string;
  type: string;
  at: number;
  request_id: string;
  feature: string;
  variant: string | null;
  unit_id: string | null;
  scope: string | null;
  served_variant: string | null;
  outcome: string | null;
  error_class: string | null;
  fallback: number | null;
  cached: number | null;
  latency_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  accepted: number | null;
  selected_variant: string | null;
  rating: number | null;
  metric: string | null;
  value: number | null;
  /** The decision's reason (`SPLIT`, `STICKY`, ...); NULL on other events. */
  reason: string | null;
  /** The id of the rule that decided; NULL on other events and on decisions no rule made. */
  rule_id: string | null;
  data: string;
}

/** One API token row: the scrypt hash and salt of the secret (base64url), never the secret itself. */
export interface TokenRow {
  id: string;
  name: string;
  role: string;
  hash: string;
  salt: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

/** One experiment row; `config` and `weight_history` are JSON text, times are epoch milliseconds. */
export interface ExperimentRow {
  key: string;
  feature: string;
  config: string;
  status: string;
  version: number;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  ended_at: number | null;
  winner: string | null;
  weight_history: string;
}

/** One unit's sticky arm in an experiment; the primary key (experiment, unit_id) makes the first write win. */
export interface AssignmentRow {
  experiment: string;
  unit_id: string;
  variant: string;
  seed: string;
  at: number;
}

/** Decayed evidence for one item attribute value in one preference profile. */
export interface PreferenceRow {
  feature: string;
  scope: string;
  profile: string;
  attribute: string;
  value: string;
  successes: number;
  failures: number;
  updated_at: number;
}

/** The Kysely database shape shared by every adapter. */
export interface StoreDatabase {
  switchyard_features: FeatureRow;
  switchyard_audit_entries: AuditEntryRow;
  switchyard_counters: CounterRow;
  switchyard_events: EventRow;
  switchyard_tokens: TokenRow;
  switchyard_experiments: ExperimentRow;
  switchyard_assignments: AssignmentRow;
  switchyard_preferences: PreferenceRow;
}
