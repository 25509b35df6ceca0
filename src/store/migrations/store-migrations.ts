import type { Migration } from 'kysely';
import type { StoreKind } from '../store.js';
import { alertsAndLeases } from './alerts-and-leases.js';
import { experiments } from './experiments.js';
import { featuresAndAudit } from './features-and-audit.js';
import { preferences } from './preferences.js';
import { telemetryEvents } from './telemetry-events.js';
import { tokens } from './tokens.js';

/**
 * Every store migration, keyed by name in the order they run; defined in code so a built package
 * migrates without reading files from disk. Append new ones; never edit a shipped one.
 */
export function storeMigrations(kind: StoreKind): Record<string, Migration> {
  return {
    '0001_features_and_audit': featuresAndAudit(kind),
    '0002_telemetry_events': telemetryEvents(kind),
    '0003_tokens': tokens(kind),
    '0004_experiments': experiments(kind),
    '0005_alerts_and_leases': alertsAndLeases(kind),
    '0006_preferences': preferences(kind),
  };
}
