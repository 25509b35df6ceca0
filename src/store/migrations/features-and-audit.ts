import { type ColumnDefinitionBuilder, type Kysely, type Migration, sql } from 'kysely';
import type { StoreKind } from '../store.js';

const notNull = (column: ColumnDefinitionBuilder) => column.notNull();

/**
 * The first schema: features, the append-only audit log and the revision counter. Shipped migrations are
 * frozen, so table names are spelled out here rather than imported.
 */
export function featuresAndAudit(kind: StoreKind): Migration {
  // PostgreSQL `json`, not `jsonb`: jsonb reorders object keys (a split's variant order decides bucket
  // ranges) and rejects "\u0000"; json keeps the exact text, and the store never queries inside it.
  const json = kind === 'postgres' ? 'json' : 'text';
  // Byte order, as SQLite's default BINARY collation, so both stores list keys in the same order.
  const keyType = kind === 'postgres' ? sql`text collate "C"` : 'text';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('switchyard_features')
        .addColumn('key', keyType, (column) => column.primaryKey())
        .addColumn('version', 'integer', notNull)
        .addColumn('config', json, notNull)
        .addColumn('revision', 'bigint', notNull)
        .addColumn('created_at', 'bigint', notNull)
        .addColumn('updated_at', 'bigint', notNull)
        .addColumn('archived_at', 'bigint')
        .execute();
      await db.schema
        .createIndex('switchyard_features_revision')
        .on('switchyard_features')
        .column('revision')
        .execute();

      await db.schema
        .createTable('switchyard_audit_entries')
        .addColumn('id', kind === 'postgres' ? 'bigint' : 'integer', (column) =>
          kind === 'postgres'
            ? column.generatedAlwaysAsIdentity().primaryKey()
            : // AUTOINCREMENT: ids are never reused, so cursors stay valid for the life of the file.
              column.primaryKey().autoIncrement(),
        )
        .addColumn('at', 'bigint', notNull)
        .addColumn('actor', 'text', notNull)
        .addColumn('action', 'text', notNull)
        .addColumn('target', 'text', notNull)
        .addColumn('before', json)
        .addColumn('after', json)
        .addColumn('reason', 'text')
        .execute();
      // Each filter is paired with id so a filtered page is one ordered index range scan.
      for (const column of ['target', 'actor', 'action', 'at']) {
        await db.schema
          .createIndex(`switchyard_audit_entries_${column}`)
          .on('switchyard_audit_entries')
          .columns([column, 'id'])
          .execute();
      }

      await db.schema
        .createTable('switchyard_counters')
        .addColumn('name', 'text', (column) => column.primaryKey())
        .addColumn('value', 'bigint', notNull)
        .execute();
      await sql`insert into switchyard_counters (name, value) values ('feature_revision', 0)`.execute(db);
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('switchyard_counters').execute();
      await db.schema.dropTable('switchyard_audit_entries').execute();
      await db.schema.dropTable('switchyard_features').execute();
    },
  };
}
