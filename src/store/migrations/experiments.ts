import { type ColumnDefinitionBuilder, type Kysely, type Migration, sql } from 'kysely';
import { columnText } from '../event-columns.js';
import type { StoreKind } from '../store.js';

const notNull = (column: ColumnDefinitionBuilder) => column.notNull();

/** Decisions whose JSON holds an escape are backfilled in Node, this many per query. */
const BACKFILL_PAGE = 1_000;

/**
 * Experiments, sticky assignments, and the decision's `reason` and `rule_id` as columns of the events table
 * (backfilled from the stored JSON) so an experiment's exposures are found in SQL. Shipped migrations are
 * frozen, so table names are spelled out here.
 */
export function experiments(kind: StoreKind): Migration {
  const postgres = kind === 'postgres';
  // Byte order, as SQLite's BINARY collation, so both stores list keys in the same order.
  const keyText = postgres ? sql`text collate "C"` : 'text';
  // `json`, not `jsonb`, for the reason 0001 gives: the exact text, object key order included.
  const json = postgres ? 'json' : 'text';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('switchyard_experiments')
        .addColumn('key', keyText, (column) => column.primaryKey())
        .addColumn('feature', keyText, notNull)
        .addColumn('config', json, notNull)
        .addColumn('status', 'text', notNull)
        .addColumn('version', 'integer', notNull)
        .addColumn('created_at', 'bigint', notNull)
        .addColumn('updated_at', 'bigint', notNull)
        .addColumn('started_at', 'bigint')
        .addColumn('ended_at', 'bigint')
        .addColumn('winner', 'text')
        .addColumn('weight_history', json, notNull)
        .execute();

      // The primary key is the lookup on every run of a sticky experiment, and makes the first write win.
      await db.schema
        .createTable('switchyard_assignments')
        .addColumn('experiment', keyText, notNull)
        .addColumn('unit_id', keyText, notNull)
        .addColumn('variant', 'text', notNull)
        .addColumn('seed', 'text', notNull)
        .addColumn('at', 'bigint', notNull)
        .addPrimaryKeyConstraint('switchyard_assignments_pkey', ['experiment', 'unit_id'])
        .execute();

      // No new index: an experiment's exposures are read from the feature's (feature, at, id) range with
      // type, rule_id and reason as row filters. Exposures are a large share of a feature's events in an
      // experiment's range, and each is joined to its calls and feedback through request_id anyway, so an
      // index on (feature, rule_id, at) would save little of that query while every decision insert paid for it.
      await db.schema.alterTable('switchyard_events').addColumn('reason', 'text').execute();
      await db.schema.alterTable('switchyard_events').addColumn('rule_id', 'text').execute();
      await backfillDecisionColumns(db, kind);
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('switchyard_events').dropColumn('rule_id').execute();
      await db.schema.alterTable('switchyard_events').dropColumn('reason').execute();
      await db.schema.dropTable('switchyard_assignments').execute();
      await db.schema.dropTable('switchyard_experiments').execute();
    },
  };
}

/**
 * Copies `reason` and `ruleId` of every stored decision into their columns, as the insert fills them. Plain
 * JSON (no backslash-u escape, nearly every row) is read in one UPDATE; JSON with escapes may hold NUL or a
 * lone surrogate, which PostgreSQL's `->>` refuses and SQLite would copy as is, so those rows go through
 * `columnText` in Node, a page at a time.
 */
async function backfillDecisionColumns(db: Kysely<unknown>, kind: StoreKind): Promise<void> {
  const unicodeEscape = '\\u';
  if (kind === 'postgres') {
    await sql`update switchyard_events
      set reason = data ->> 'reason', rule_id = data ->> 'ruleId'
      where type = 'decision' and strpos(data::text, ${unicodeEscape}) = 0`.execute(db);
  } else {
    await sql`update switchyard_events
      set reason = json_extract(data, '$.reason'), rule_id = json_extract(data, '$.ruleId')
      where type = 'decision' and instr(data, ${unicodeEscape}) = 0`.execute(db);
  }
  const hasEscape =
    kind === 'postgres'
      ? sql`strpos(data::text, ${unicodeEscape}) > 0`
      : sql`instr(data, ${unicodeEscape}) > 0`;
  let after = '';
  for (;;) {
    const { rows } = await sql<{ id: string; data: string }>`
      select id, cast(data as text) as data from switchyard_events
      where type = 'decision' and ${hasEscape} and id > ${after}
      order by id limit ${BACKFILL_PAGE}`.execute(db);
    for (const row of rows) {
      const decision = JSON.parse(row.data) as { reason?: unknown; ruleId?: unknown };
      const text = (value: unknown) => (typeof value === 'string' ? columnText(value) : null);
      await sql`update switchyard_events set reason = ${text(decision.reason)}, rule_id = ${text(decision.ruleId)}
        where id = ${row.id}`.execute(db);
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < BACKFILL_PAGE) return;
    after = last.id;
  }
}
