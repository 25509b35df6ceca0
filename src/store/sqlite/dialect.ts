import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import { InvalidConfigError } from '../../core/errors.js';
import type { StoreDialect } from '../store-dialect.js';
import { sqliteEventInserter } from './insert-events.js';
import { applyConnectionSettings } from './sqlite-settings.js';
import { workerEventInserter } from './worker-event-inserter.js';

/** Bytes per page of a new database file (SQLite's default is 4,096). */
const PAGE_SIZE = 16_384;

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
  if (filename !== MEMORY) assertDirectoryExists(dirname(filename));
  const database = new Database(filename);
  try {
    // 16 KB pages for a new database (an existing one keeps its own): a telemetry batch dirties a quarter as
    // many pages, each written to the WAL and copied back at a checkpoint, which took about a tenth of the
    // CPU per event off ingest with time-ordered ids and a quarter with random ones (docs/benchmarks.md). Set
    // before WAL mode, which fixes the page size.
    database.pragma(`page_size = ${PAGE_SIZE}`);
    // WAL lets readers in other processes proceed while one process writes.
    database.pragma('journal_mode = WAL');
    database.pragma('foreign_keys = ON');
    applyConnectionSettings(database);
  } catch (error) {
    database.close();
    throw error;
  }
  // A file's events are written from a worker thread with a connection of its own; an in-memory database
  // exists for its one connection only, so its events are written on it.
  const worker = filename === MEMORY ? undefined : workerEventInserter(filename);
  return {
    kind: 'sqlite',
    dialect: new SqliteDialect({ database }),
    migrationTableSchema: undefined,
    insertEvents: worker === undefined ? sqliteEventInserter(database) : worker.insert,
    ...(worker === undefined ? {} : { close: worker.close }),
  };
}

/**
 * Refuses a path whose directory is missing: a typo in `--db` must not silently become a new, empty
 * store that every later command then reads.
 */
function assertDirectoryExists(directory: string): void {
  const stats = statSync(directory, { throwIfNoEntry: false });
  if (stats?.isDirectory()) return;
  throw new InvalidConfigError('invalid store URL', [
    {
      path: 'store',
      message: stats
        ? `${directory} is not a directory`
        : `directory ${directory} does not exist; create it first or choose another path`,
    },
  ]);
}
