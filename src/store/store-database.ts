import type { Generated } from 'kysely';

/** Table names, prefixed so a store can share a database (or schema) with an application. */
export const TABLES = {
  features: 'switchyard_features',
  auditEntries: 'switchyard_audit_entries',
  counters: 'switchyard_counters',
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

/** The Kysely database shape shared by every adapter. */
export interface StoreDatabase {
  switchyard_features: FeatureRow;
  switchyard_audit_entries: AuditEntryRow;
  switchyard_counters: CounterRow;
}
