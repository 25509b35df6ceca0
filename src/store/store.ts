import type { TelemetryEvent } from '../core/event-schema.js';
import type { ExperimentConfig } from '../core/experiment-config.js';
import type { FeatureConfig } from '../core/feature-config.js';
import type { ExperimentData } from '../stats/experiment-data.js';
import type {
  AlertPage,
  AlertQuery,
  AlertResolution,
  NewAlert,
  OpenAlertResult,
  StoredAlert,
} from './alert-types.js';
import type { MetricsByVariant, MetricsQuery, StatsQuery, StatsTotals } from './analytics/analytics-types.js';
import type {
  Assignment,
  ExperimentDataQuery,
  ExperimentPatch,
  ExperimentUpdateChange,
  ExperimentUpdateResult,
  ListExperimentsOptions,
  StoredExperiment,
} from './experiment-types.js';
import type { ScrubBatch, ScrubCursor } from './retention-types.js';
import type { ChangeMeta, StoredFeature } from './stored-feature.js';
import type { UnitErasure } from './unit-erasure.js';

export type {
  AlertEvidence,
  AlertPage,
  AlertQuery,
  AlertResolution,
  AlertSeverity,
  AlertStatus,
  NewAlert,
  OpenAlertResult,
  StoredAlert,
} from './alert-types.js';
export type {
  Assignment,
  ExperimentDataQuery,
  ExperimentPatch,
  ExperimentUpdateChange,
  ExperimentUpdateResult,
  ListExperimentsOptions,
  StoredExperiment,
  WeightChange,
} from './experiment-types.js';
export type { ScrubBatch, ScrubCursor } from './retention-types.js';
export type { ChangeMeta, StoredFeature } from './stored-feature.js';
export type { UnitErasure } from './unit-erasure.js';

/** One append-only audit record: who did what to which target, with the state before and after. */
export interface AuditEntry {
  /** Opaque, increasing with insertion order. */
  id: string;
  /** Epoch milliseconds from the store's clock (or the caller's `at`). */
  at: number;
  actor: string;
  /** Dotted verb such as `feature.update`, `feature.kill`, `token.create`. */
  action: string;
  /** What was changed, as `kind:name` (`feature:coach-reply`). */
  target: string;
  /** JSON value before the change, or null when there was none. */
  before: unknown;
  /** JSON value after the change, or null when there is none. */
  after: unknown;
  reason: string | null;
}

/** An audit entry to append: the store assigns `id`, and `at` from its clock unless given. */
export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'> & { at?: number };

/** Filters and keyset pagination for `listAudit`; every filter is an exact match. */
export interface AuditQuery {
  target?: string;
  actor?: string;
  action?: string;
  /** Inclusive lower bound on `at` (epoch ms). */
  from?: number;
  /** Exclusive upper bound on `at` (epoch ms). */
  to?: number;
  /** Page size, 1 to 1000; default 50. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** One page of audit entries, newest first; `nextCursor` is null on the last page. */
export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}

/** How an update is checked and audited. */
export interface FeatureUpdateChange extends ChangeMeta {
  /** The version the caller read; the update fails with VersionConflictError when it moved on. */
  expectedVersion: number;
  /** Audit action; default `feature.update` (`feature.kill`, `feature.enable`, ...). */
  action?: string;
}

/** How an archive is checked and audited. */
export interface FeatureArchiveChange extends ChangeMeta {
  /** When given, the archive fails with VersionConflictError unless it is the current version. */
  expectedVersion?: number;
}

/** Options for `getFeature`. */
export interface GetFeatureOptions {
  /** Return the feature even when it is archived; default false. */
  includeArchived?: boolean;
}

/** Options for `listFeatures`. */
export interface ListFeaturesOptions {
  /** Include archived features; default false, but true when `changedSince` is given. */
  includeArchived?: boolean;
  /** Only features whose `revision` is greater than this one. */
  changedSince?: number;
}

/** What `appendEvents` did: events new to the store, and events whose id it already held. */
export interface AppendEventsResult {
  inserted: number;
  /** Events skipped because an event with the same id was stored before (or earlier in the batch). */
  duplicates: number;
}

/** Filters for reading events; every filter is an exact match, times are epoch milliseconds. */
export interface EventFilter {
  type?: TelemetryEvent['type'];
  feature?: string;
  /** The event's `variant`: the decided variant of decision and call events, the variant of feedback. */
  variant?: string;
  requestId?: string;
  /** Inclusive lower bound on `at`. */
  from?: number;
  /** Exclusive upper bound on `at`. */
  to?: number;
}

/** Filters plus keyset pagination for `listEvents`. */
export interface EventQuery extends EventFilter {
  /** Page size, 1 to 1000; default 100. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** One page of events in (at, id) order; `nextCursor` is null on the last page. */
export interface EventPage {
  events: TelemetryEvent[];
  nextCursor: string | null;
}

/** Options for `streamEvents`. */
export interface StreamEventsOptions {
  /** Events read per query, 1 to 10000; default 1000. Memory use is bounded by one batch. */
  batchSize?: number;
}

/** An API token as listed: never its secret, never its hash. */
export interface StoredToken {
  /** The public part of the token (`sy_<id>_<secret>`), used to look it up. */
  id: string;
  /** Unique among live tokens; audit entries name the token by it (`token:<name>`). */
  name: string;
  /** A role name (`admin`, `editor`, `viewer`, `sdk`); the server decides what it grants. */
  role: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds, or null while the token is live. */
  revokedAt: number | null;
  /** Epoch milliseconds of the last recorded use, or null when never used. */
  lastUsedAt: number | null;
}

/** A token with what verifies its secret: the scrypt hash and salt (both base64url). */
export interface TokenRecord extends StoredToken {
  hash: string;
  salt: string;
}

/** A token to store: the caller generates the id and secret and hashes the secret; the store never sees it. */
export interface NewToken {
  id: string;
  name: string;
  role: string;
  hash: string;
  salt: string;
}

/** Options for `listTokens`. */
export interface ListTokensOptions {
  /** Include revoked tokens; default false. */
  includeRevoked?: boolean;
}

/** Evidence to add to one entry of a preference profile. */
export interface PreferenceUpdateInput {
  readonly feature: string;
  /** The context attribute the profile is kept by (`userId`, `tenant`), or `*` for the global profile. */
  readonly scope: string;
  /** The attribute's value (a unit id, a tenant), or `*` for the global profile. */
  readonly profile: string;
  readonly attribute: string;
  readonly value: string;
  readonly successes: number;
  readonly failures: number;
  /** When it was observed, epoch ms. */
  readonly at: number;
  readonly halfLifeMs: number;
}

/** One stored entry of a preference profile. */
export interface StoredPreference {
  readonly feature: string;
  readonly scope: string;
  readonly profile: string;
  readonly attribute: string;
  readonly value: string;
  /** Decayed weights as of `updatedAt`. */
  readonly successes: number;
  readonly failures: number;
  readonly updatedAt: number;
}

/** Which profiles of a feature to read. */
export interface PreferenceQuery {
  readonly feature: string;
  readonly profiles: readonly { readonly scope: string; readonly profile: string }[];
}

/** Which database a store talks to. */
export type StoreKind = 'sqlite' | 'postgres';

/**
 * Persistence for features, the audit log, telemetry events and API tokens: every feature write is versioned,
 * gets a new store-wide revision and writes its audit entry in the same transaction, and token writes audit
 * themselves the same way.
 */
export interface Store {
  readonly specificationVersion: 1;
  readonly kind: StoreKind;
  /**
   * How this store keeps unit ids (`openStore`'s `privacy`): `hashed` stores the HMAC-SHA256 pseudonym of
   * every unit id it is given (events, assignments) and looks ids up by it; callers always pass clear ids.
   */
  readonly unitIds: 'clear' | 'hashed';

  /** Creates a feature at version 1; AlreadyExistsError when the key exists, archived or not. */
  createFeature(config: FeatureConfig, change: ChangeMeta): Promise<StoredFeature>;

  /**
   * Replaces a feature's config when `expectedVersion` is current and bumps the version by 1;
   * VersionConflictError when it is not, FeatureNotFoundError when the feature is absent or archived.
   */
  updateFeature(key: string, config: FeatureConfig, change: FeatureUpdateChange): Promise<StoredFeature>;

  /** The feature, or undefined when absent (or archived, unless `includeArchived`). */
  getFeature(key: string, options?: GetFeatureOptions): Promise<StoredFeature | undefined>;

  /** Features ordered by key. */
  listFeatures(options?: ListFeaturesOptions): Promise<StoredFeature[]>;

  /** Archives a live feature (bumping its version); FeatureNotFoundError when absent or archived already. */
  archiveFeature(key: string, change: FeatureArchiveChange): Promise<StoredFeature>;

  /** Audit entries, newest first, filtered and paginated by id. */
  listAudit(query?: AuditQuery): Promise<AuditPage>;

  /** Appends an audit entry for a mutation the store does not audit itself (experiments, alerts). */
  appendAudit(entry: NewAuditEntry): Promise<AuditEntry>;

  /**
   * Stores a batch of events in one transaction, idempotent by event `id` (the first write of an id wins).
   * Callers validate events with `eventSchema`; the store checks only what its columns need. Text columns
   * hold U+0000 and lone surrogates as U+FFFD (PostgreSQL text cannot hold NUL; ids differing only there are
   * one id), filters match the same way, and reads return the exact event from its stored JSON.
   */
  appendEvents(events: readonly TelemetryEvent[]): Promise<AppendEventsResult>;

  /**
   * Events ordered by (at, id) ascending (ids compared as UTF-8 bytes on both databases), filtered and
   * paginated by keyset, exactly as they were written.
   */
  listEvents(query?: EventQuery): Promise<EventPage>;

  /** Every event matching the filter in (at, id) order, read in keyset pages so memory stays constant. */
  streamEvents(filter?: EventFilter, options?: StreamEventsOptions): AsyncIterable<TelemetryEvent>;

  /**
   * One feature's metrics per variant as a time series (requests, error, fallback, cache-hit and parse-error
   * rates, latency quantiles, tokens, cost, feedback), aggregated in SQL; definitions in docs/metrics.md.
   * InvalidInputError naming the field for a bad range, interval or feature.
   */
  metricsByVariant(query: MetricsQuery): Promise<MetricsByVariant>;

  /** The same metrics as totals per feature and variant over a range, for every feature or one. */
  statsTotals(query: StatsQuery): Promise<StatsTotals>;

  /**
   * Stores a token and its `token.create` audit entry (without hash or salt) in one transaction;
   * AlreadyExistsError when the id exists or a live token already has the name.
   */
  createToken(token: NewToken, change: ChangeMeta): Promise<StoredToken>;

  /** Tokens ordered by creation time, without secrets or hashes; live ones only unless `includeRevoked`. */
  listTokens(options?: ListTokensOptions): Promise<StoredToken[]>;

  /** The token with its hash and salt, revoked or not, or undefined when no token has the id. */
  findToken(id: string): Promise<TokenRecord | undefined>;

  /**
   * Revokes a live token and appends its `token.revoke` audit entry in one transaction; a token revoked
   * already comes back unchanged (and is not audited again); undefined when no token has the id.
   */
  revokeToken(id: string, change: ChangeMeta): Promise<StoredToken | undefined>;

  /** Records that a token was used at `at` (default: the store's clock); not audited, unknown ids ignored. */
  markTokenUsed(id: string, at?: number): Promise<void>;

  /** Creates a draft experiment at version 1 with its `experiment.create` audit entry; AlreadyExistsError when the key exists. */
  createExperiment(config: ExperimentConfig, change: ChangeMeta): Promise<StoredExperiment>;

  /** The experiment, or undefined. */
  getExperiment(key: string): Promise<StoredExperiment | undefined>;

  /** Experiments ordered by key. */
  listExperiments(options?: ListExperimentsOptions): Promise<StoredExperiment[]>;

  /**
   * Applies a patch when `expectedVersion` is current (VersionConflictError otherwise, ExperimentNotFoundError
   * when absent), bumps the version and audits it (`experiment:<key>` target, before and after), together with the
   * optional feature write, all in one transaction: either everything is written or nothing.
   */
  updateExperiment(
    key: string,
    patch: ExperimentPatch,
    change: ExperimentUpdateChange,
  ): Promise<ExperimentUpdateResult>;

  /** Stores the assignment unless the unit already has one in that experiment; returns the one that holds. */
  assignOnce(assignment: Assignment): Promise<Assignment>;

  /** The unit's assignment in the experiment, or undefined. Assignments carry the unit id the caller gave. */
  findAssignment(experiment: string, unitId: string): Promise<Assignment | undefined>;

  /**
   * Adds evidence to preference profiles of ranking features: each stored entry is decayed to the later of
   * its time and the update's (by the update's half-life), then the update is added, atomically per entry.
   * With hashed unit ids every profile key but the global `*` is stored as its pseudonym.
   */
  addPreferences(updates: readonly PreferenceUpdateInput[]): Promise<void>;

  /** The stored entries (as of their `updatedAt`, not decayed further) of the named profiles of a feature. */
  listPreferences(query: PreferenceQuery): Promise<StoredPreference[]>;

  /**
   * Per-arm sufficient statistics of an experiment's metrics, aggregated in SQL at the unit level: decision
   * events of the rule are the exposures, joined by requestId to their run, attempt and feedback events (runs
   * and feedback from `from` on, even after `to`, since they follow their decision; attempts within the range).
   * InvalidInputError naming the field for a bad query.
   */
  experimentData(query: ExperimentDataQuery): Promise<ExperimentData>;

  /**
   * Records that a rule is firing: when its incident (rule, feature, variant or whole feature) has an open
   * alert, replaces its evidence, sets `updatedAt` and counts one more occurrence (`opened: false`); otherwise
   * inserts a new open alert under `alert.id` (`opened: true`). One statement on a unique index of open
   * alerts, so of several stores racing on one database exactly one opens it. Not audited (the monitor
   * audits what it does); InvalidInputError naming the field for bad input, AlreadyExistsError when a new
   * alert's id is taken.
   */
  openAlert(alert: NewAlert): Promise<OpenAlertResult>;

  /**
   * Resolves an open alert at `resolution.at`, replacing its evidence when given; an alert resolved already
   * comes back unchanged, and undefined when no alert has the id.
   */
  resolveAlert(id: string, resolution: AlertResolution): Promise<StoredAlert | undefined>;

  /** Alerts newest first by (openedAt, id), filtered and paginated by keyset; InvalidInputError naming the field. */
  listAlerts(query?: AlertQuery): Promise<AlertPage>;

  /** The alert, or undefined. */
  getAlert(id: string): Promise<StoredAlert | undefined>;

  /**
   * Takes or renews the named lease until `now + ttlMs` and returns true when it was free, expired (its
   * expiry at or before `now`) or held by `holder` already; returns false, changing nothing, while another
   * holder's lease is live. One atomic statement, so of several stores racing exactly one wins.
   */
  acquireLease(name: string, holder: string, ttlMs: number, now: number): Promise<boolean>;

  /** Gives the lease up when `holder` holds it (live or expired); true when it did, false otherwise. */
  releaseLease(name: string, holder: string): Promise<boolean>;

  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;

  /**
   * Deletes up to `limit` (at most 10,000) of the oldest events with `at < before` and answers how many it
   * deleted; retention calls it in batches until it answers fewer than `limit`.
   */
  deleteEventsBefore(before: number, limit: number): Promise<number>;

  /**
   * Removes the stored prompt and output of call events with `at < before`, looking at up to `limit` events
   * after `cursor` in (at, id) order; answers how many it scrubbed and where the next batch starts (null
   * once the range is done). Every other field of each event stays as it was.
   */
  scrubEventContent(before: number, limit: number, cursor: ScrubCursor | null): Promise<ScrubBatch>;

  /**
   * Erases one unit (its clear id; the store hashes it when it keeps hashed ids): its events, every event
   * sharing a request with them (feedback), and its assignments, with the `unit.erase` audit entry, in one
   * transaction. The entry's target is `unit:<pseudonym>` with hashed ids and `unit:sha256:<hex>` with
   * clear ids, never the id itself. Idempotent: a unit without data answers zeros (and is audited).
   */
  eraseUnit(unitId: string, change: ChangeMeta): Promise<UnitErasure>;

  /** Deletes up to `limit` (at most 10,000) of the oldest audit entries with `at < before`; answers how many. */
  deleteAuditBefore(before: number, limit: number): Promise<number>;

  /** Releases connections; safe to call more than once. */
  close(): Promise<void>;
}
