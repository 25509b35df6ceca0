import type { Kysely, Transaction } from 'kysely';
import {
  AlreadyExistsError,
  ExperimentNotFoundError,
  InvalidConfigError,
  VersionConflictError,
} from '../core/errors.js';
import {
  EXPERIMENT_STATUSES,
  type ExperimentConfig,
  type ExperimentStatus,
} from '../core/experiment-config.js';
import { insertAuditEntry } from './insert-audit-entry.js';
import { jsonColumn } from './json-column.js';
import type {
  ChangeMeta,
  ExperimentPatch,
  ExperimentUpdateChange,
  ExperimentUpdateResult,
  ListExperimentsOptions,
  StoredExperiment,
  StoredFeature,
  WeightChange,
} from './store.js';
import { type ExperimentRow, type StoreDatabase, TABLES } from './store-database.js';
import { requireChange, requireInteger, requireNumber, requireText } from './store-input.js';

const EXPERIMENT = 'invalid experiment';
const PATCH = 'invalid experiment patch';

/** Writes the feature that goes with an experiment update, inside its transaction; given the experiment's feature key. */
export type FeatureWrite = (
  transaction: Transaction<StoreDatabase>,
  feature: string,
) => Promise<StoredFeature>;

/** Inserts a draft experiment at version 1 with its `experiment.create` audit entry (see `Store.createExperiment`). */
export async function insertExperiment(
  db: Kysely<StoreDatabase>,
  config: ExperimentConfig,
  change: ChangeMeta,
  now: number,
): Promise<StoredExperiment> {
  requireChange(change);
  const { key, feature } = requireExperimentKeys(config);
  const row: ExperimentRow = {
    key,
    feature,
    config: jsonColumn.encode(config) ?? 'null',
    status: 'draft',
    version: 1,
    created_at: now,
    updated_at: now,
    started_at: null,
    ended_at: null,
    winner: null,
    weight_history: '[]',
  };
  try {
    return await db.transaction().execute(async (transaction) => {
      if ((await selectRow(transaction, key)) !== undefined) throw alreadyExists(key);
      await transaction.insertInto(TABLES.experiments).values(row).execute();
      const stored = toStoredExperiment(row);
      await auditExperiment(transaction, 'experiment.create', null, stored, change, now);
      return stored;
    });
  } catch (error) {
    // Two creators that both passed the check race to the primary key; the loser gets the same answer.
    const { code } = (error ?? {}) as { code?: unknown };
    if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505') throw alreadyExists(key);
    throw error;
  }
}

/** One experiment (see `Store.getExperiment`). */
export async function selectExperiment(
  db: Kysely<StoreDatabase>,
  key: string,
): Promise<StoredExperiment | undefined> {
  if (typeof key !== 'string') return undefined;
  const row = await selectRow(db, key);
  return row === undefined ? undefined : toStoredExperiment(row);
}

/** Experiments ordered by key, filtered by feature and status (see `Store.listExperiments`). */
export async function selectExperiments(
  db: Kysely<StoreDatabase>,
  options: ListExperimentsOptions,
): Promise<StoredExperiment[]> {
  let query = db.selectFrom(TABLES.experiments).selectAll().orderBy('key');
  if (options.feature !== undefined) {
    query = query.where('feature', '=', requireText('invalid list options', 'feature', options.feature));
  }
  if (options.status !== undefined) {
    query = query.where('status', '=', requireStatus('invalid list options', 'status', options.status));
  }
  return (await query.execute()).map(toStoredExperiment);
}

/**
 * Applies a patch under the version check, audits it and runs the feature write in the same transaction
 * (see `Store.updateExperiment`); any failure rolls every part back.
 */
export async function updateExperimentRow(
  db: Kysely<StoreDatabase>,
  key: string,
  patch: ExperimentPatch,
  change: ExperimentUpdateChange,
  now: number,
  writeFeature: FeatureWrite | undefined,
): Promise<ExperimentUpdateResult> {
  requireChange(change);
  requireInteger('invalid change', 'expectedVersion', change.expectedVersion, 1, Number.MAX_SAFE_INTEGER);
  requireText('invalid change', 'action', change.action);
  requireText(EXPERIMENT, 'key', key);
  const changes = patchColumns(key, patch);
  return db.transaction().execute(async (transaction) => {
    const current = await selectRow(transaction, key);
    if (current === undefined) throw new ExperimentNotFoundError(key);
    if (current.version !== change.expectedVersion) {
      throw new VersionConflictError(`experiment "${key}"`, change.expectedVersion, current.version);
    }
    const row: ExperimentRow = { ...current, ...changes, version: current.version + 1, updated_at: now };
    // The version guard makes the loser of two concurrent updates change nothing (tokens do the same).
    const updated = await transaction
      .updateTable(TABLES.experiments)
      .set({ ...changes, version: row.version, updated_at: now })
      .where('key', '=', key)
      .where('version', '=', change.expectedVersion)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) {
      const moved = await selectRow(transaction, key);
      if (moved === undefined) throw new ExperimentNotFoundError(key);
      throw new VersionConflictError(`experiment "${key}"`, change.expectedVersion, moved.version);
    }
    const before = toStoredExperiment(current);
    const experiment = toStoredExperiment(row);
    await auditExperiment(transaction, change.action, before, experiment, change, now);
    if (writeFeature === undefined) return { experiment };
    return { experiment, feature: await writeFeature(transaction, row.feature) };
  });
}

/** The columns a patch changes, checked field by field; the config must keep the experiment's key. */
function patchColumns(key: string, patch: ExperimentPatch): Partial<ExperimentRow> {
  if (typeof patch !== 'object' || patch === null) {
    throw new InvalidConfigError(PATCH, [{ path: '', message: 'must be an object' }]);
  }
  const columns: Partial<ExperimentRow> = {};
  if (patch.config !== undefined) {
    const keys = requireExperimentKeys(patch.config, 'config.');
    if (keys.key !== key) {
      throw new InvalidConfigError(PATCH, [
        { path: 'config.key', message: `must be "${key}", the experiment being updated` },
      ]);
    }
    columns.config = jsonColumn.encode(patch.config) ?? 'null';
    columns.feature = keys.feature;
  }
  if (patch.status !== undefined) columns.status = requireStatus(PATCH, 'status', patch.status);
  if (patch.startedAt !== undefined) columns.started_at = optionalTime('startedAt', patch.startedAt);
  if (patch.endedAt !== undefined) columns.ended_at = optionalTime('endedAt', patch.endedAt);
  if (patch.winner !== undefined) {
    columns.winner = patch.winner === null ? null : requireText(PATCH, 'winner', patch.winner);
  }
  if (patch.weightHistory !== undefined) {
    columns.weight_history = jsonColumn.encode(requireWeightHistory(patch.weightHistory)) ?? '[]';
  }
  return columns;
}

function requireExperimentKeys(config: ExperimentConfig, prefix = ''): { key: string; feature: string } {
  if (typeof config !== 'object' || config === null) {
    throw new InvalidConfigError(EXPERIMENT, [{ path: prefix || '', message: 'must be an object' }]);
  }
  return {
    key: requireText(EXPERIMENT, `${prefix}key`, config.key),
    feature: requireText(EXPERIMENT, `${prefix}feature`, config.feature),
  };
}

function requireStatus(subject: string, field: string, status: unknown): ExperimentStatus {
  if (!(EXPERIMENT_STATUSES as readonly unknown[]).includes(status)) {
    throw new InvalidConfigError(subject, [
      { path: field, message: `must be one of ${EXPERIMENT_STATUSES.join(', ')}` },
    ]);
  }
  return status as ExperimentStatus;
}

function optionalTime(field: string, value: number | null): number | null {
  return value === null ? null : requireNumber(PATCH, field, value);
}

function requireWeightHistory(history: unknown): WeightChange[] {
  if (!Array.isArray(history)) {
    throw new InvalidConfigError(PATCH, [{ path: 'weightHistory', message: 'must be an array' }]);
  }
  history.forEach((entry: unknown, index) => {
    const { at, weights } = (entry ?? {}) as { at?: unknown; weights?: unknown };
    requireNumber(PATCH, `weightHistory[${index}].at`, at);
    if (typeof weights !== 'object' || weights === null || Array.isArray(weights)) {
      throw new InvalidConfigError(PATCH, [
        { path: `weightHistory[${index}].weights`, message: 'must be an object of variant weights' },
      ]);
    }
  });
  return history as WeightChange[];
}

function selectRow(db: Kysely<StoreDatabase>, key: string): Promise<ExperimentRow | undefined> {
  return db.selectFrom(TABLES.experiments).selectAll().where('key', '=', key).executeTakeFirst();
}

async function auditExperiment(
  transaction: Transaction<StoreDatabase>,
  action: string,
  before: StoredExperiment | null,
  after: StoredExperiment,
  change: ChangeMeta,
  at: number,
): Promise<void> {
  await insertAuditEntry(transaction, {
    at,
    actor: change.actor,
    action,
    target: `experiment:${after.key}`,
    before,
    after,
    reason: change.reason ?? null,
  });
}

function alreadyExists(key: string): AlreadyExistsError {
  return new AlreadyExistsError(`experiment "${key}"`);
}

function toStoredExperiment(row: ExperimentRow): StoredExperiment {
  return {
    key: row.key,
    feature: row.feature,
    config: jsonColumn.decode(row.config) as ExperimentConfig,
    status: row.status as ExperimentStatus,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    winner: row.winner,
    weightHistory: jsonColumn.decode(row.weight_history) as WeightChange[],
  };
}
