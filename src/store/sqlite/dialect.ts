import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import { InvalidConfigError } from '../../core/errors.js';
import type { StoreDialect } from '../store-dialect.js';
import { sqliteEventInserter } from './insert-events.js';

/** How long a write waits for another process's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

/** Bytes per page of a new database file (SQLite's default is 4,096). */
const PAGE_SIZE = 16_384;

/** WAL bytes between automatic checkpoints: 10,000 pages of 4 KB (SQLite's default is 1,000 pages). */
const WAL_CHECKPOINT_BYTES = 40_960_000;

/** The in-memory location: one private database per connection, gone on close. */
const MEMORY = ':memory:';

/**
 * Opens a better-sqlite3 database from a `sqlite:<path>` URL (`sqlite:./a.db`, `sqlite:/abs/a.db`,
 * `sqlite::memory:`) in WAL mode with a busy timeout and foreign keys on.
 */
export async function openSqliteDialect(url: string): Promise<StoreDialect> {
  const location = url.slice('sqlite:'.length);
  if (location === '') {
    throw new InvalidConfigError('invalid store URL', [
      { path: 'store', message: 'sqlite: needs a path, as in sqlite:./switchyard.db or sqlite::memory:' },
    ]);
  }
  const filename = location === MEMORY ? MEMORY : resolve(location);
  if (filename !== MEMORY) {
    // A fresh checkout has no data directory yet; opening should not fail for that alone.
    mkdirSync(dirname(filename), { recursive: true });
  }
  const database = new Database(filename);
  try {
    // 16 KB pages for a new database (an existing one keeps its own): a telemetry batch dirties a quarter as
    // many pages, each written to the WAL and copied back at a checkpoint, which took about a tenth of the
    // CPU per event off ingest with time-ordered ids and a quarter with random ones (docs/benchmarks.md). Set
    // before WAL mode, which fixes the page size.
    database.pragma(`page_size = ${PAGE_SIZE}`);
    // WAL lets readers in other processes proceed while one process writes.
    database.pragma('journal_mode = WAL');
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    database.pragma('foreign_keys = ON');
    // Checkpoint every 40 MB of WAL (10,000 pages of 4 KB) instead of SQLite's 1,000 pages: telemetry batches
    // dirty pages all over the id and request-id indexes, and copying them back less often raised ingest by a
    // third (docs/benchmarks.md). Counted in pages of the file's own size, so the WAL stays bounded by about
    // that size whatever its page size.
    const pageSize = database.pragma('page_size', { simple: true }) as number;
    database.pragma(`wal_autocheckpoint = ${Math.ceil(WAL_CHECKPOINT_BYTES / pageSize)}`);
  } catch (error) {
    database.close();
    throw error;
  }
  return {
    kind: 'sqlite',
    dialect: new SqliteDialect({ database }),
    migrationTableSchema: undefined,
    insertEvents: sqliteEventInserter(database),
  };
}
