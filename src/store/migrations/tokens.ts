import { type ColumnDefinitionBuilder, type Kysely, type Migration, sql } from 'kysely';
import type { StoreKind } from '../store.js';

const notNull = (column: ColumnDefinitionBuilder) => column.notNull();

/**
 * API tokens: the scrypt hash and salt of each secret, never the secret. Shipped migrations are frozen,
 * so table names are spelled out here.
 */
export function tokens(kind: StoreKind): Migration {
  // Byte order, as SQLite's BINARY collation, so both stores compare ids and names identically.
  const keyText = kind === 'postgres' ? sql`text collate "C"` : 'text';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('switchyard_tokens')
        .addColumn('id', keyText, (column) => column.primaryKey())
        .addColumn('name', keyText, notNull)
        .addColumn('role', 'text', notNull)
        .addColumn('hash', 'text', notNull)
        .addColumn('salt', 'text', notNull)
        .addColumn('created_at', 'bigint', notNull)
        .addColumn('revoked_at', 'bigint')
        .addColumn('last_used_at', 'bigint')
        .execute();
      // Audit entries name tokens by name, so two live tokens must never share one; a revoked token's
      // name may be reused by its replacement.
      await db.schema
        .createIndex('switchyard_tokens_live_name')
        .on('switchyard_tokens')
        .column('name')
        .unique()
        .where(sql.ref('revoked_at'), 'is', null)
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('switchyard_tokens').execute();
    },
  };
}
