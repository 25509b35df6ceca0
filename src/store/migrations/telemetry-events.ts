import { type ColumnDefinitionBuilder, type Kysely, type Migration, sql } from 'kysely';
import type { StoreKind } from '../store.js';

const notNull = (column: ColumnDefinitionBuilder) => column.notNull();

/**
 * The append-only telemetry table: typed columns for the fields analytics filter and aggregate on in SQL, and
 * `data`, JSON text of the rest. Rows written before 0013 hold the whole event in `data`
 * (docs/decisions/0013-event-data-beside-columns.md; `event-columns.ts` writes and reads both kinds).
 * Shipped migrations are frozen, so names are spelled out here.
 */
export function telemetryEvents(kind: StoreKind): Migration {
  const postgres = kind === 'postgres';
  // Byte order, as SQLite's BINARY collation, so both stores page through (at, id) identically; "C" also
  // makes index comparisons memcmp-cheap, which matters on a table written at tens of thousands of rows/s.
  const keyText = postgres ? sql`text collate "C"` : 'text';
  const json = postgres ? 'json' : 'text';
  const float = postgres ? 'double precision' : 'real';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('switchyard_events')
        .addColumn('id', keyText, (column) => column.primaryKey())
        .addColumn('type', 'text', notNull)
        .addColumn('at', 'bigint', notNull)
        .addColumn('request_id', keyText, notNull)
        .addColumn('feature', keyText, notNull)
        .addColumn('variant', 'text')
        .addColumn('unit_id', 'text')
        .addColumn('scope', 'text')
        .addColumn('served_variant', 'text')
        .addColumn('outcome', 'text')
        .addColumn('error_class', 'text')
        // Booleans as 0 / 1 integers in both databases, so `sum(fallback)` reads the same everywhere.
        .addColumn('fallback', 'integer')
        .addColumn('cached', 'integer')
        .addColumn('latency_ms', float)
        .addColumn('input_tokens', 'bigint')
        .addColumn('output_tokens', 'bigint')
        .addColumn('cost_usd', float)
        .addColumn('accepted', 'integer')
        .addColumn('selected_variant', 'text')
        .addColumn('rating', float)
        .addColumn('metric', 'text')
        .addColumn('value', float)
        .addColumn('data', json, notNull)
        .execute();
      // Every insert pays a b-tree update per index, so there are only those reads need. (at, id) and
      // (feature, at, id) end in the listing order: a page or an analytics range, over every feature or one,
      // is one ordered range scan. request_id serves joins of feedback to its run. A type filter rides on any
      // of them as a row filter: decisions and calls are most of the rows, so a (type, at, id) index narrowed
      // few reads and cost ingest about a tenth (docs/benchmarks.md). The primary key on id keeps inserts
      // idempotent.
      const indexes: Record<string, string[]> = {
        switchyard_events_at: ['at', 'id'],
        switchyard_events_feature_at: ['feature', 'at', 'id'],
        switchyard_events_request_id: ['request_id'],
      };
      for (const [name, columns] of Object.entries(indexes)) {
        await db.schema.createIndex(name).on('switchyard_events').columns(columns).execute();
      }
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('switchyard_events').execute();
    },
  };
}
