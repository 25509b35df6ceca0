import type { Dialect } from 'kysely';
import type { EventInserter } from './event-inserter.js';
import type { StoreKind } from './store.js';

/** What an adapter folder hands to the shared Kysely store: the driver and its few particulars. */
export interface StoreDialect {
  readonly kind: StoreKind;
  readonly dialect: Dialect;
  /** Schema holding the migration bookkeeping tables (PostgreSQL); undefined where schemas do not exist. */
  readonly migrationTableSchema: string | undefined;
  /** The dialect's native bulk insert for events; the portable Kysely insert when undefined. */
  readonly insertEvents?: EventInserter;
  /** Releases what the dialect holds beside Kysely's connections (a worker thread), before they close. */
  readonly close?: () => Promise<void>;
}
