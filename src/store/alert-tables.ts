import type { Kysely } from 'kysely';
import type { StoreDatabase } from './store-database.js';

/** Names of the tables migration 0005 creates. */
export const ALERT_TABLES = {
  alerts: 'switchyard_alerts',
  leases: 'switchyard_leases',
} as const;

/** One alert row; `evidence` is JSON text, times are epoch milliseconds. */
export interface AlertRow {
  id: string;
  rule_id: string;
  feature: string;
  experiment: string | null;
  variant: string | null;
  metric: string;
  severity: string;
  status: string;
  action: string;
  opened_at: number;
  updated_at: number;
  resolved_at: number | null;
  evidence: string;
  occurrences: number;
}

/** One named lease: who holds it and until when (epoch milliseconds). */
export interface LeaseRow {
  name: string;
  holder: string;
  expires_at: number;
}

/** The store's database with the alert and lease tables. */
export interface AlertDatabase extends StoreDatabase {
  switchyard_alerts: AlertRow;
  switchyard_leases: LeaseRow;
}

/** The same connection, typed with the alert and lease tables (kept apart from `StoreDatabase`'s file). */
export function withAlertTables(db: Kysely<StoreDatabase>): Kysely<AlertDatabase> {
  return db.withTables<{ switchyard_alerts: AlertRow; switchyard_leases: LeaseRow }>();
}
