import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import { InvalidConfigError } from '../../core/errors.js';
import type { StoreDialect } from '../store-dialect.js';
import { sqliteEventInserter } from './insert-events.js';

/** How long a write waits for another process's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

/** WAL pages between automatic checkpoints (SQLite's default is 1,000). */
const WAL_CHECKPOINT_PAGES = 10_000;

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
    // WAL lets readers in other processes proceed while one process writes.
    database.pragma('journal_mode = WAL');
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    database.pragma('foreign_keys = ON');
    // Checkpoint every 10,000 WAL pages (about 40 MB) instead of 1,000: telemetry batches dirty pages all over
    // the id and request-id indexes, and copying them back ten times less often raised ingest by a third
    // (docs/benchmarks.md). The WAL file stays bounded by about that size.
    database.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
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
