import { type Kysely, Migrator } from 'kysely';
import type { StoreDatabase } from '../store-database.js';
import type { StoreDialect } from '../store-dialect.js';
import { storeMigrations } from './store-migrations.js';

/** Attempts when a migration trips over another process dropping an unrelated schema at that moment. */
const ATTEMPTS = 20;
/** PostgreSQL codes a concurrent schema change gives Kysely's whole-database introspection. */
const INTROSPECTION_RACES = new Set(['3F000', '42P01', '42703']);

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
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (error === undefined) return;
    // Kysely's introspection reads every schema of the database; one dropped or altered by another
    // process mid-read fails it with 3F000 (invalid_schema_name), 42P01 (undefined_table) or 42703
    // (undefined_column). When no migration ran, nothing was applied: run it again.
    const setupFailed = results === undefined || !results.some((result) => result.status === 'Error');
    if (
      attempt < ATTEMPTS &&
      setupFailed &&
      INTROSPECTION_RACES.has(String((error as { code?: unknown }).code))
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
      continue;
    }
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'setup';
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`store migration ${failed} failed: ${message}`, { cause: error });
  }
}
