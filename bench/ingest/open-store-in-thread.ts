import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { KyselyStore } from '../../src/store/kysely-store.js';
import { migrateStore } from '../../src/store/migrations/migrate-store.js';
import { sqliteEventInserter } from '../../src/store/sqlite/insert-events.js';
import { applyConnectionSettings } from '../../src/store/sqlite/sqlite-settings.js';
import type { Store } from '../../src/store/store.js';
import type { StoreDatabase } from '../../src/store/store-database.js';

/**
 * Today's SQLite store file (16 KB pages, the same connection settings) writing its events on the store's own
 * connection in this thread, as every SQLite store did before file stores got their event thread: the
 * "before" of that change.
 */
export async function openStoreInThread(url: string): Promise<Store> {
  const database = new Database(resolve(url.slice('sqlite:'.length)));
  // The pragmas src/store/sqlite/dialect.ts sets, in the same order.
  database.pragma('page_size = 16384');
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  applyConnectionSettings(database);
  const dialect = new SqliteDialect({ database });
  const db = new Kysely<StoreDatabase>({ dialect });
  await migrateStore(db, { kind: 'sqlite', dialect, migrationTableSchema: undefined });
  return new KyselyStore(db, 'sqlite', Date.now, sqliteEventInserter(database));
}
