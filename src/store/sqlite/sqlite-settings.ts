import type Database from 'better-sqlite3';

/** How long a write waits for another connection's lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5_000;

/** WAL bytes between automatic checkpoints: 10,000 pages of 4 KB (SQLite's default is 1,000 pages). */
const WAL_CHECKPOINT_BYTES = 40_960_000;

/**
 * The per-connection settings every connection to a store file gets, the store's own and the event writer's:
 * a busy timeout, and a checkpoint every 40 MB of WAL instead of SQLite's 1,000 pages. Telemetry batches
 * dirty pages all over the id and request-id indexes, and copying them back less often raised ingest by a
 * third (docs/benchmarks.md). Counted in pages of the file's own size, so the WAL stays bounded by about
 * that size whatever its page size.
 */
export function applyConnectionSettings(database: Database.Database): void {
  database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const pageSize = database.pragma('page_size', { simple: true }) as number;
  database.pragma(`wal_autocheckpoint = ${Math.ceil(WAL_CHECKPOINT_BYTES / pageSize)}`);
}
