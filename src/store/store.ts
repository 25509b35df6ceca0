import type { TelemetryEvent } from '../core/event-schema.js';
import type { FeatureConfig } from '../core/feature-config.js';
import type { MetricsByVariant, MetricsQuery, StatsQuery, StatsTotals } from './analytics/analytics-types.js';

/** Who made a change and why; every mutation carries one and its audit entry records it. */
export interface ChangeMeta {
  /** The token name, user or `monitor` that made the change. */
  actor: string;
  reason?: string;
}

/** A feature as the store holds it: the config plus the bookkeeping the store owns. */
export interface StoredFeature {
  key: string;
  /** Starts at 1 and grows by 1 on every write; `config.version` always equals it. */
  version: number;
  config: FeatureConfig;
  archived: boolean;
  /** Store-wide, strictly increasing number assigned on every feature write (poll with `changedSince`). */
  revision: number;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds. */
  updatedAt: number;
}

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

  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;

  /** Releases connections; safe to call more than once. */
  close(): Promise<void>;
}
