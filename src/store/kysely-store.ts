import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { AlreadyExistsError, InvalidConfigError } from '../core/errors.js';
import type { TelemetryEvent } from '../core/event-schema.js';
import type { ExperimentConfig } from '../core/experiment-config.js';
import type { FeatureConfig } from '../core/feature-config.js';
import type { ExperimentData } from '../stats/experiment-data.js';
import { resolveAlertRow, selectAlert, upsertOpenAlert } from './alert-queries.js';
import type { MetricsByVariant, MetricsQuery, StatsQuery, StatsTotals } from './analytics/analytics-types.js';
import { metricsByVariant } from './analytics/metrics-by-variant.js';
import { statsTotals } from './analytics/stats-totals.js';
import { insertAssignmentOnce, selectAssignment } from './assignment-queries.js';
import { eraseUnitRows } from './erase-unit-rows.js';
import { columnText, requireEventColumns } from './event-columns.js';
import type { EventInserter } from './event-inserter.js';
import { listEventPage, streamEventPages } from './event-pages.js';
import {
  insertExperiment,
  selectExperiment,
  selectExperiments,
  updateExperimentRow,
} from './experiment-queries.js';
import { selectExperimentData } from './experiments/select-experiment-data.js';
import {
  auditFeatureWrite,
  findLiveRow,
  findRow,
  nextRevision,
  toStoredFeature,
  withVersion,
  writeFeatureUpdate,
} from './feature-rows.js';
import { requireInputText } from './input-fields.js';
import { insertAuditEntry } from './insert-audit-entry.js';
import { insertEventsWithKysely } from './insert-events-with-kysely.js';
import { jsonColumn } from './json-column.js';
import { deleteLease, upsertLease } from './lease-queries.js';
import { selectPreferences, upsertPreferences } from './preference-queries.js';
import { deleteAuditBefore, deleteEventsBefore, scrubEventContent } from './retention-queries.js';
import type { ScrubBatch, ScrubCursor } from './retention-types.js';
import { selectAlertPage } from './select-alert-page.js';
import { selectAuditPage } from './select-audit-page.js';
import type {
  AlertPage,
  AlertQuery,
  AlertResolution,
  AppendEventsResult,
  Assignment,
  AuditEntry,
  AuditPage,
  AuditQuery,
  ChangeMeta,
  EventFilter,
  EventPage,
  EventQuery,
  ExperimentDataQuery,
  ExperimentPatch,
  ExperimentUpdateChange,
  ExperimentUpdateResult,
  FeatureArchiveChange,
  FeatureUpdateChange,
  GetFeatureOptions,
  ListExperimentsOptions,
  ListFeaturesOptions,
  ListTokensOptions,
  NewAlert,
  NewAuditEntry,
  NewToken,
  OpenAlertResult,
  PreferenceQuery,
  PreferenceUpdateInput,
  Store,
  StoredAlert,
  StoredExperiment,
  StoredFeature,
  StoredPreference,
  StoredToken,
  StoreKind,
  StreamEventsOptions,
  TokenRecord,
} from './store.js';
import { type FeatureRow, type StoreDatabase, TABLES } from './store-database.js';
import {
  requireChange,
  requireFeatureKey,
  requireInteger,
  requireNumber,
  requireText,
} from './store-input.js';
import { insertToken, revokeTokenRow, selectToken, selectTokens, updateTokenUse } from './token-queries.js';
import type { UnitErasure } from './unit-erasure.js';
import { CLEAR_UNIT_IDS, type UnitPseudonymizer } from './unit-pseudonyms.js';

const CHANGE = 'invalid change';

/**
 * The one `Store` implementation, over any Kysely dialect the adapter folders provide; every feature
 * write runs in one transaction that takes the next revision, writes the row and appends its audit entry.
 */
export class KyselyStore implements Store {
  readonly specificationVersion = 1 as const;
  readonly kind: StoreKind;
  readonly #db: Kysely<StoreDatabase>;
  readonly #clock: () => number;
  readonly #insertEvents: EventInserter;
  readonly #closeDialect: (() => Promise<void>) | undefined;
  readonly unitIds: 'clear' | 'hashed';
  readonly #pseudonymizer: UnitPseudonymizer | undefined;
  #closing: Promise<void> | undefined;

  /**
   * `insertEvents` is the dialect's native bulk insert; the portable Kysely one serves any other dialect.
   * `closeDialect` releases what the dialect holds beside Kysely's connections; `close()` calls it first.
   */
  constructor(
    db: Kysely<StoreDatabase>,
    kind: StoreKind,
    clock: () => number,
    insertEvents: EventInserter = insertEventsWithKysely,
    closeDialect?: () => Promise<void>,
    units: { unitIds: 'clear' | 'hashed'; pseudonymize: UnitPseudonymizer | undefined } = {
      unitIds: 'clear',
      pseudonymize: CLEAR_UNIT_IDS,
    },
  ) {
    this.unitIds = units.unitIds;
    this.#pseudonymizer = units.pseudonymize;
    this.#db = db;
    this.kind = kind;
    this.#clock = clock;
    this.#insertEvents = insertEvents;
    this.#closeDialect = closeDialect;
  }

  async createFeature(config: FeatureConfig, change: ChangeMeta): Promise<StoredFeature> {
    requireChange(change);
    const key = requireFeatureKey(config);
    return this.#db.transaction().execute(async (transaction) => {
      const revision = await nextRevision(transaction);
      const existing = await findRow(transaction, key);
      if (existing !== undefined) {
        throw new AlreadyExistsError(
          existing.archived_at === null ? `feature "${key}"` : `archived feature "${key}"`,
        );
      }
      const now = this.#clock();
      const stored = withVersion(config, 1);
      const row: FeatureRow = {
        key,
        version: 1,
        config: jsonColumn.encode(stored) ?? 'null',
        revision,
        created_at: now,
        updated_at: now,
        archived_at: null,
      };
      await transaction.insertInto(TABLES.features).values(row).execute();
      await auditFeatureWrite(transaction, key, 'feature.create', null, row, change, now);
      return toStoredFeature(row);
    });
  }

  async updateFeature(
    key: string,
    config: FeatureConfig,
    change: FeatureUpdateChange,
  ): Promise<StoredFeature> {
    requireFeatureUpdate(config, change, key);
    return this.#db
      .transaction()
      .execute((transaction) => writeFeatureUpdate(transaction, key, config, change, this.#clock));
  }

  async getFeature(key: string, options: GetFeatureOptions = {}): Promise<StoredFeature | undefined> {
    const row = await findRow(this.#db, key);
    if (row === undefined || (row.archived_at !== null && options.includeArchived !== true)) {
      return undefined;
    }
    return toStoredFeature(row);
  }

  async listFeatures(options: ListFeaturesOptions = {}): Promise<StoredFeature[]> {
    const { changedSince } = options;
    if (changedSince !== undefined) {
      requireNumber('invalid list options', 'changedSince', changedSince);
    }
    // A poller must see archives too, or it would keep serving a feature that is gone.
    const includeArchived = options.includeArchived ?? changedSince !== undefined;
    let query = this.#db.selectFrom(TABLES.features).selectAll().orderBy('key');
    if (!includeArchived) {
      query = query.where('archived_at', 'is', null);
    }
    if (changedSince !== undefined) {
      query = query.where('revision', '>', changedSince);
    }
    const rows = await query.execute();
    return rows.map(toStoredFeature);
  }

  async archiveFeature(key: string, change: FeatureArchiveChange): Promise<StoredFeature> {
    requireChange(change);
    if (change.expectedVersion !== undefined) {
      requireInteger(CHANGE, 'expectedVersion', change.expectedVersion, 1, Number.MAX_SAFE_INTEGER);
    }
    return this.#db.transaction().execute(async (transaction) => {
      const revision = await nextRevision(transaction);
      const current = await findLiveRow(transaction, key, change.expectedVersion);
      const now = this.#clock();
      const version = current.version + 1;
      const config = withVersion(jsonColumn.decode(current.config) as FeatureConfig, version);
      const row: FeatureRow = {
        ...current,
        version,
        config: jsonColumn.encode(config) ?? 'null',
        revision,
        updated_at: now,
        archived_at: now,
      };
      await transaction
        .updateTable(TABLES.features)
        .set({ version, config: row.config, revision, updated_at: now, archived_at: now })
        .where('key', '=', key)
        .execute();
      await auditFeatureWrite(transaction, key, 'feature.archive', current, null, change, now);
      return toStoredFeature(row);
    });
  }

  async listAudit(query: AuditQuery = {}): Promise<AuditPage> {
    return selectAuditPage(this.#db, query);
  }

  async appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    requireText('invalid audit entry', 'actor', entry.actor);
    requireText('invalid audit entry', 'action', entry.action);
    requireText('invalid audit entry', 'target', entry.target);
    const at = requireNumber('invalid audit entry', 'at', entry.at ?? this.#clock());
    // Field by field: a caller passing a listed entry back (with its id) must not smuggle that id through.
    return insertAuditEntry(this.#db, {
      at,
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      before: entry.before,
      after: entry.after,
      reason: entry.reason ?? null,
    });
  }

  async appendEvents(events: readonly TelemetryEvent[]): Promise<AppendEventsResult> {
    if (events.length === 0) {
      return { inserted: 0, duplicates: 0 };
    }
    // Every event is checked before the transaction starts: a bad event fails the batch and inserts nothing.
    events.forEach(requireEventColumns);
    const inserted = await this.#insertEvents(this.#db, this.#storedEvents(events));
    return { inserted, duplicates: events.length - inserted };
  }

  listEvents(query: EventQuery = {}): Promise<EventPage> {
    return listEventPage(this.#db, query);
  }

  streamEvents(filter: EventFilter = {}, options: StreamEventsOptions = {}): AsyncGenerator<TelemetryEvent> {
    return streamEventPages(this.#db, filter, options);
  }

  metricsByVariant(query: MetricsQuery): Promise<MetricsByVariant> {
    return metricsByVariant(this.#db, this.kind, query);
  }

  statsTotals(query: StatsQuery): Promise<StatsTotals> {
    return statsTotals(this.#db, this.kind, query);
  }

  createToken(token: NewToken, change: ChangeMeta): Promise<StoredToken> {
    return insertToken(this.#db, token, change, this.#clock());
  }

  listTokens(options: ListTokensOptions = {}): Promise<StoredToken[]> {
    return selectTokens(this.#db, options);
  }

  findToken(id: string): Promise<TokenRecord | undefined> {
    return selectToken(this.#db, id);
  }

  revokeToken(id: string, change: ChangeMeta): Promise<StoredToken | undefined> {
    return revokeTokenRow(this.#db, id, change, this.#clock());
  }

  markTokenUsed(id: string, at?: number): Promise<void> {
    return updateTokenUse(this.#db, id, at ?? this.#clock());
  }

  createExperiment(config: ExperimentConfig, change: ChangeMeta): Promise<StoredExperiment> {
    return insertExperiment(this.#db, config, change, this.#clock());
  }

  getExperiment(key: string): Promise<StoredExperiment | undefined> {
    return selectExperiment(this.#db, key);
  }

  listExperiments(options: ListExperimentsOptions = {}): Promise<StoredExperiment[]> {
    return selectExperiments(this.#db, options);
  }

  updateExperiment(
    key: string,
    patch: ExperimentPatch,
    change: ExperimentUpdateChange,
  ): Promise<ExperimentUpdateResult> {
    const write = change.feature;
    if (write === undefined) {
      return updateExperimentRow(this.#db, key, patch, change, this.#clock(), undefined);
    }
    // The feature write is checked and written exactly as `updateFeature` would, with the same actor, reason
    // and action, before the experiment's transaction commits.
    const featureChange: FeatureUpdateChange = {
      actor: change.actor,
      ...(change.reason === undefined ? {} : { reason: change.reason }),
      expectedVersion: write.expectedVersion,
      action: change.action,
    };
    if (
      typeof write !== 'object' ||
      write === null ||
      typeof write.config !== 'object' ||
      write.config === null
    ) {
      throw new InvalidConfigError(CHANGE, [{ path: 'feature.config', message: 'must be a feature config' }]);
    }
    requireFeatureUpdate(write.config, featureChange);
    const now = this.#clock();
    return updateExperimentRow(this.#db, key, patch, change, now, (transaction, feature) => {
      requireFeatureKey(write.config, feature);
      return writeFeatureUpdate(transaction, feature, write.config, featureChange, () => now);
    });
  }

  async eraseUnit(unitId: string, change: ChangeMeta): Promise<UnitErasure> {
    requireChange(change);
    const id = requireInputText('unitId', unitId);
    const stored = this.unitIds === 'clear' ? id : this.#pseudonymize(id);
    const target =
      this.unitIds === 'clear'
        ? `unit:sha256:${createHash('sha256').update(id, 'utf8').digest('hex')}`
        : `unit:${stored}`;
    return eraseUnitRows(this.#db, columnText(stored), {
      actor: change.actor,
      target,
      reason: change.reason ?? null,
      at: this.#clock(),
    });
  }

  deleteEventsBefore(before: number, limit: number): Promise<number> {
    return deleteEventsBefore(this.#db, before, limit);
  }

  scrubEventContent(before: number, limit: number, cursor: ScrubCursor | null): Promise<ScrubBatch> {
    return scrubEventContent(this.#db, this.kind, before, limit, cursor);
  }

  deleteAuditBefore(before: number, limit: number): Promise<number> {
    return deleteAuditBefore(this.#db, before, limit);
  }

  async assignOnce(assignment: Assignment): Promise<Assignment> {
    if (this.unitIds === 'clear' || typeof assignment?.unitId !== 'string') {
      return insertAssignmentOnce(this.#db, assignment);
    }
    const stored = await insertAssignmentOnce(this.#db, {
      ...assignment,
      unitId: this.#pseudonymize(assignment.unitId),
    });
    return { ...stored, unitId: assignment.unitId };
  }

  async findAssignment(experiment: string, unitId: string): Promise<Assignment | undefined> {
    if (this.unitIds === 'clear' || typeof unitId !== 'string') {
      return selectAssignment(this.#db, experiment, unitId);
    }
    const stored = await selectAssignment(this.#db, experiment, this.#pseudonymize(unitId));
    return stored === undefined ? undefined : { ...stored, unitId };
  }

  async addPreferences(updates: readonly PreferenceUpdateInput[]): Promise<void> {
    const stored =
      this.unitIds === 'clear' || !Array.isArray(updates)
        ? updates
        : updates.map((update) =>
            update?.scope === '*' || typeof update?.profile !== 'string'
              ? update
              : { ...update, profile: this.#pseudonymize(update.profile) },
          );
    await upsertPreferences(this.#db, this.kind, stored);
  }

  async listPreferences(query: PreferenceQuery): Promise<StoredPreference[]> {
    if (this.unitIds === 'clear' || !Array.isArray(query?.profiles))
      return selectPreferences(this.#db, query);
    // Stored under pseudonyms: look up by them, answer with the keys the caller gave.
    const clear = new Map<string, string>();
    const profiles = query.profiles.map((profile) => {
      if (profile.scope === '*' || typeof profile.profile !== 'string') return profile;
      const pseudonym = this.#pseudonymize(profile.profile);
      clear.set(`${profile.scope}\u0000${pseudonym}`, profile.profile);
      return { scope: profile.scope, profile: pseudonym };
    });
    const rows = await selectPreferences(this.#db, { feature: query.feature, profiles });
    return rows.map((row) => ({
      ...row,
      profile: clear.get(`${row.scope}\u0000${row.profile}`) ?? row.profile,
    }));
  }

  /** The stored form of a unit id; INVALID_CONFIG when the store hashes ids but was opened without the key. */
  #pseudonymize(unitId: string): string {
    if (this.#pseudonymizer === undefined) {
      throw new InvalidConfigError('invalid store options', [
        {
          path: 'privacy.key',
          message:
            'this store keeps hashed unit ids: open it with privacy { unitIds: hashed, key } to store or look up a unit',
        },
      ]);
    }
    return this.#pseudonymizer(unitId);
  }

  /** Events as stored: with hashed unit ids, each unit id becomes its pseudonym. */
  #storedEvents(events: readonly TelemetryEvent[]): readonly TelemetryEvent[] {
    if (this.unitIds === 'clear') return events;
    return events.map((event) =>
      'unitId' in event && typeof event.unitId === 'string'
        ? { ...event, unitId: this.#pseudonymize(event.unitId) }
        : event,
    );
  }

  experimentData(query: ExperimentDataQuery): Promise<ExperimentData> {
    return selectExperimentData(this.#db, this.kind, query);
  }

  openAlert(alert: NewAlert): Promise<OpenAlertResult> {
    return upsertOpenAlert(this.#db, alert);
  }

  resolveAlert(id: string, resolution: AlertResolution): Promise<StoredAlert | undefined> {
    return resolveAlertRow(this.#db, id, resolution);
  }

  listAlerts(query: AlertQuery = {}): Promise<AlertPage> {
    return selectAlertPage(this.#db, query);
  }

  getAlert(id: string): Promise<StoredAlert | undefined> {
    return selectAlert(this.#db, id);
  }

  acquireLease(name: string, holder: string, ttlMs: number, now: number): Promise<boolean> {
    return upsertLease(this.#db, name, holder, ttlMs, now);
  }

  releaseLease(name: string, holder: string): Promise<boolean> {
    return deleteLease(this.#db, name, holder);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.#db);
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      try {
        await this.#closeDialect?.();
      } finally {
        await this.#db.destroy();
      }
    })();
    return this.#closing;
  }
}

/** Checks a feature update before its transaction opens: who, the expected version, the action and the key. */
function requireFeatureUpdate(config: FeatureConfig, change: FeatureUpdateChange, key?: string): void {
  requireChange(change);
  requireInteger(CHANGE, 'expectedVersion', change.expectedVersion, 1, Number.MAX_SAFE_INTEGER);
  if (change.action !== undefined) {
    requireText(CHANGE, 'action', change.action);
  }
  requireFeatureKey(config, key);
}
