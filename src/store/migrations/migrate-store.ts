import { type Kysely, Migrator } from 'kysely';
import type { StoreDatabase } from '../store-database.js';
import type { StoreDialect } from '../store-dialect.js';
import { storeMigrations } from './store-migrations.js';

/** Brings the database up to the latest schema; safe to run from several processes at once. */
export async function migrateStore(db: Kysely<StoreDatabase>, dialect: StoreDialect): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => storeMigrations(dialect.kind) },
    migrationTableName: 'switchyard_migrations',
    migrationLockTableName: 'switchyard_migrations_lock',
    // Kysely looks for its tables in every schema unless told which one; isolated schemas need this.
    migrationTableSchema: dialect.migrationTableSchema,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'setup';
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`store migration ${failed} failed: ${message}`, { cause: error });
  }
}
