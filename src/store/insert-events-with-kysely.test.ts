import { Kysely } from 'kysely';
import { afterAll, describe } from 'vitest';
import { KyselyStore } from './kysely-store.js';
import { migrateStore } from './migrations/migrate-store.js';
import type { OpenStoreOptions } from './open-store.js';
import { openPostgresDialect } from './postgres/dialect.js';
import { openSqliteDialect } from './sqlite/dialect.js';
import type { Store } from './store.js';
import type { StoreDatabase } from './store-database.js';
import { eventCases } from './store-events.case.js';
import { useStoreHarness } from './store-harness.case.js';
import { postgresTestDatabase } from './testing/postgres-test-database.js';

/** A store whose events go through the portable Kysely insert instead of the dialect's native one. */
async function openPortableStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const dialect = url.startsWith('sqlite:') ? await openSqliteDialect(url) : await openPostgresDialect(url);
  const db = new Kysely<StoreDatabase>({ dialect: dialect.dialect });
  await migrateStore(db, dialect);
  return new KyselyStore(db, dialect.kind, options.clock ?? Date.now);
}

describe('portable Kysely event insert on SQLite', () => {
  eventCases(useStoreHarness((options) => openPortableStore('sqlite::memory:', options)));
});

const postgres = await postgresTestDatabase('portable-events');

describe.skipIf(postgres === undefined)('portable Kysely event insert on PostgreSQL', () => {
  afterAll(() => postgres?.cleanup());
  eventCases(useStoreHarness((options) => openPortableStore(postgres!.schemaUrl(), options)));
});
