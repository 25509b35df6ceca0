import { type ColumnDefinitionBuilder, type Kysely, type Migration, sql } from 'kysely';
import type { StoreKind } from '../store.js';

const notNull = (column: ColumnDefinitionBuilder) => column.notNull();

/**
 * Guardrail alerts (open and resolved, with their evidence) and named leases that let one of several servers
 * sharing a database act. Shipped migrations are frozen, so table names are spelled out here.
 */
export function alertsAndLeases(kind: StoreKind): Migration {
  const postgres = kind === 'postgres';
  // Byte order, as SQLite's BINARY collation, so both stores order ids (the keyset tiebreak) the same way.
  const keyText = postgres ? sql`text collate "C"` : 'text';
  // `json`, not `jsonb`, for the reason 0001 gives: the exact text, object key order included.
  const json = postgres ? 'json' : 'text';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('switchyard_alerts')
        .addColumn('id', keyText, (column) => column.primaryKey())
        .addColumn('rule_id', keyText, notNull)
        .addColumn('feature', keyText, notNull)
        .addColumn('experiment', keyText)
        .addColumn('variant', keyText)
        .addColumn('metric', 'text', notNull)
        .addColumn('severity', 'text', notNull)
        .addColumn('status', 'text', notNull)
        .addColumn('action', 'text', notNull)
        .addColumn('opened_at', 'bigint', notNull)
        .addColumn('updated_at', 'bigint', notNull)
        .addColumn('resolved_at', 'bigint')
        .addColumn('evidence', json, notNull)
        .addColumn('occurrences', 'integer', notNull)
        .addCheckConstraint('switchyard_alerts_severity', sql`severity in ('warning', 'critical')`)
        .addCheckConstraint('switchyard_alerts_status', sql`status in ('open', 'resolved')`)
        .execute();

      // At most one open alert per incident (rule, feature, variant or the whole feature): the upsert that
      // opens alerts names this index, so servers racing to open the same incident end up with one row.
      await sql`create unique index switchyard_alerts_one_open
        on switchyard_alerts (rule_id, feature, coalesce(variant, ''))
        where status = 'open'`.execute(db);

      // Listing is newest first by (opened_at, id), filtered by status or by feature; the id completes the
      // keyset so a page boundary inside one millisecond needs no sort.
      await db.schema
        .createIndex('switchyard_alerts_status_opened')
        .on('switchyard_alerts')
        .columns(['status', 'opened_at', 'id'])
        .execute();
      await db.schema
        .createIndex('switchyard_alerts_feature_opened')
        .on('switchyard_alerts')
        .columns(['feature', 'opened_at', 'id'])
        .execute();

      await db.schema
        .createTable('switchyard_leases')
        .addColumn('name', keyText, (column) => column.primaryKey())
        .addColumn('holder', 'text', notNull)
        .addColumn('expires_at', 'bigint', notNull)
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('switchyard_leases').execute();
      await db.schema.dropTable('switchyard_alerts').execute();
    },
  };
}
