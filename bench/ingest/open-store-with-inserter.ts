import { Kysely } from 'kysely';
import type { EventInserter } from '../../src/store/event-inserter.js';
import { KyselyStore } from '../../src/store/kysely-store.js';
import { migrateStore } from '../../src/store/migrations/migrate-store.js';
import { openPostgresDialect } from '../../src/store/postgres/dialect.js';
import { openSqliteDialect } from '../../src/store/sqlite/dialect.js';
import type { Store } from '../../src/store/store.js';
import type { StoreDatabase } from '../../src/store/store-database.js';

/**
 * A store like `openStore`'s, but inserting events through another insert than the dialect's native one:
 * by default the portable Kysely multi-row insert, the "before" of the ingest optimisation.
 */
export async function openStoreWithInserter(url: string, insertEvents?: EventInserter): Promise<Store> {
  const dialect = url.startsWith('sqlite:') ? await openSqliteDialect(url) : await openPostgresDialect(url);
  const db = new Kysely<StoreDatabase>({ dialect: dialect.dialect });
  await migrateStore(db, dialect);
  return new KyselyStore(db, dialect.kind, Date.now, insertEvents, dialect.close);
}
