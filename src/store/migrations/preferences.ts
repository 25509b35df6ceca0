import { type ColumnDefinitionBuilder, type Kysely, type Migration, sql } from 'kysely';
import type { StoreKind } from '../store.js';

const notNull = (column: ColumnDefinitionBuilder) => column.notNull();

/**
 * Preference profiles of ranking features: decayed success and failure weights per feature, profile
 * (scope and key) and item attribute value, as of `updated_at`. Shipped migrations are frozen, so table
 * names are spelled out here.
 */
export function preferences(kind: StoreKind): Migration {
  const postgres = kind === 'postgres';
  const keyText = postgres ? sql`text collate "C"` : 'text';
  const real = postgres ? 'double precision' : 'real';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('switchyard_preferences')
        .addColumn('feature', keyText, notNull)
        .addColumn('scope', keyText, notNull)
        .addColumn('profile', keyText, notNull)
        .addColumn('attribute', keyText, notNull)
        .addColumn('value', keyText, notNull)
        .addColumn('successes', real, notNull)
        .addColumn('failures', real, notNull)
        .addColumn('updated_at', 'bigint', notNull)
        .addPrimaryKeyConstraint('switchyard_preferences_pk', [
          'feature',
          'scope',
          'profile',
          'attribute',
          'value',
        ])
        .execute();
      // Erasing a unit deletes its profiles by key, across features.
      await db.schema
        .createIndex('switchyard_preferences_profile')
        .on('switchyard_preferences')
        .columns(['profile', 'scope'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('switchyard_preferences').execute();
    },
  };
}
