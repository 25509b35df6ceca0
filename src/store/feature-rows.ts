import type { Kysely, Transaction } from 'kysely';
import { FeatureNotFoundError, VersionConflictError } from '../core/errors.js';
import type { FeatureConfig } from '../core/feature-config.js';
import { type AuditRecord, insertAuditEntry } from './insert-audit-entry.js';
import { jsonColumn } from './json-column.js';
import type { ChangeMeta, FeatureUpdateChange } from './store.js';
import { FEATURE_REVISION_COUNTER, type FeatureRow, type StoreDatabase, TABLES } from './store-database.js';
import type { StoredFeature } from './stored-feature.js';

/**
 * Takes the next store-wide revision. The counter row stays locked until the transaction ends, so feature
 * writes commit in revision order and a poller that has seen revision N has seen everything below it
 * (a sequence would hand out numbers that can commit out of order).
 */
export async function nextRevision(transaction: Transaction<StoreDatabase>): Promise<number> {
  const counter = await transaction
    .updateTable(TABLES.counters)
    .set((expression) => ({ value: expression('value', '+', 1) }))
    .where('name', '=', FEATURE_REVISION_COUNTER)
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(counter.value);
}

/** The feature's row, archived or not. */
export function findRow(db: Kysely<StoreDatabase>, key: string): Promise<FeatureRow | undefined> {
  return db.selectFrom(TABLES.features).selectAll().where('key', '=', key).executeTakeFirst();
}

/** The live (not archived) row, checked against the version the caller expects when it names one. */
export async function findLiveRow(
  transaction: Transaction<StoreDatabase>,
  key: string,
  expectedVersion: number | undefined,
): Promise<FeatureRow> {
  const row = await findRow(transaction, key);
  if (row === undefined || row.archived_at !== null) {
    throw new FeatureNotFoundError(key);
  }
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    throw new VersionConflictError(`feature "${key}"`, expectedVersion, row.version);
  }
  return row;
}

/** The config as stored: its `version` field always equals the row's version. */
export function withVersion(config: FeatureConfig, version: number): FeatureConfig {
  return { ...config, version };
}

/** A feature row as the Store returns it. */
export function toStoredFeature(row: FeatureRow): StoredFeature {
  return {
    key: row.key,
    version: row.version,
    config: jsonColumn.decode(row.config) as FeatureConfig,
    archived: row.archived_at !== null,
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Writes a checked feature update inside the caller's transaction: takes the next revision, checks the
 * expected version, bumps it and audits the write, at the clock's time once the revision is taken. `updateFeature` and `updateExperiment` share it.
 */
export async function writeFeatureUpdate(
  transaction: Transaction<StoreDatabase>,
  key: string,
  config: FeatureConfig,
  change: FeatureUpdateChange,
  clock: () => number,
): Promise<StoredFeature> {
  const revision = await nextRevision(transaction);
  const current = await findLiveRow(transaction, key, change.expectedVersion);
  const now = clock();
  const version = current.version + 1;
  const row: FeatureRow = {
    ...current,
    version,
    config: jsonColumn.encode(withVersion(config, version)) ?? 'null',
    revision,
    updated_at: now,
  };
  await transaction
    .updateTable(TABLES.features)
    .set({ version, config: row.config, revision, updated_at: now })
    .where('key', '=', key)
    .execute();
  await auditFeatureWrite(transaction, key, change.action ?? 'feature.update', current, row, change, now);
  return toStoredFeature(row);
}

/** Appends the audit entry of a feature write inside the write's own transaction. */
export async function auditFeatureWrite(
  transaction: Transaction<StoreDatabase>,
  key: string,
  action: string,
  before: FeatureRow | null,
  after: FeatureRow | null,
  change: ChangeMeta,
  at: number,
): Promise<void> {
  const record: AuditRecord = {
    at,
    actor: change.actor,
    action,
    target: `feature:${key}`,
    before: before === null ? null : jsonColumn.decode(before.config),
    after: after === null ? null : jsonColumn.decode(after.config),
    reason: change.reason ?? null,
  };
  await insertAuditEntry(transaction, record);
}
