import type { Kysely } from 'kysely';
import type { TelemetryEvent } from '../core/event-schema.js';
import type { StoreDatabase } from './store-database.js';

/**
 * Inserts events (already checked by `requireEventColumns`) in one transaction, skipping ids already stored
 * or repeated earlier in the batch, and resolves to the number of rows inserted.
 */
export type EventInserter = (db: Kysely<StoreDatabase>, events: readonly TelemetryEvent[]) => Promise<number>;
