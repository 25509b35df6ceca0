import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { KyselyStore } from '../../src/store/kysely-store.js';
import { migrateStore } from '../../src/store/migrations/migrate-store.js';
import { sqliteEventInserter } from '../../src/store/sqlite/insert-events.js';
import type { Store } from '../../src/store/store.js';
import type { StoreDatabase } from '../../src/store/store-database.js';
import { insertEventsWithJson } from './insert-events-with-json.js';
import { openStoreWithInserter } from './open-store-with-inserter.js';

/**
 * The store as it was before COPY and 16 KB pages, kept so the bench shows before and after in one run: on
 * SQLite a new file with SQLite's default 4 KB pages and the former checkpoint every 10,000 pages (the same
 * 40 MB of WAL), on PostgreSQL the JSON-array insert (`insert-events-with-json.ts`).
 */
export async function openStoreBefore(url: string): Promise<Store> {
  if (!url.startsWith('sqlite:')) {
    return openStoreWithInserter(url, insertEventsWithJson);
  }
  // The pragmas src/store/sqlite/dialect.ts set before, in the same order.
  const database = new Database(resolve(url.slice('sqlite:'.length)));
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  database.pragma('wal_autocheckpoint = 10000');
  const dialect = new SqliteDialect({ database });
  const db = new Kysely<StoreDatabase>({ dialect });
  await migrateStore(db, { kind: 'sqlite', dialect, migrationTableSchema: undefined });
  return new KyselyStore(db, 'sqlite', Date.now, sqliteEventInserter(database));
}
