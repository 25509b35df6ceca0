import { Kysely, Migrator, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../core/event-schema.js';
import { EVENT_COLUMNS, eventColumnValues } from '../event-columns.js';
import { KyselyStore } from '../kysely-store.js';
import { openPostgresDialect } from '../postgres/dialect.js';
import { openSqliteDialect } from '../sqlite/dialect.js';
import type { StoreDatabase } from '../store-database.js';
import type { StoreDialect } from '../store-dialect.js';
import { callEvent, decisionEvent } from '../store-events.case.js';
import { START_TIME } from '../store-harness.case.js';
import { postgresTestDatabase } from '../testing/postgres-test-database.js';
import { migrateStore } from './migrate-store.js';
import { storeMigrations } from './store-migrations.js';

const postgres = await postgresTestDatabase('experiments-migration');
afterAll(() => postgres?.cleanup());

/** Decisions as 0003 stored them, plain and odd, plus a call, and enough escaped JSON for two backfill pages. */
function storedBefore(): TelemetryEvent[] {
  return [
    decisionEvent('plain', { reason: 'SPLIT', ruleId: 'experiment-split', unitId: 'unit-a', variant: 'v2' }),
    decisionEvent('no-rule', { reason: 'DEFAULT', ruleId: null }),
    decisionEvent('nul-rule', { reason: 'STICKY', ruleId: 'rule\u0000x' }),
    decisionEvent('lone-unit', { reason: 'SPLIT', ruleId: 'experiment-split', unitId: 'u\ud800' }),
    callEvent('call', { requestId: 'request-plain', outcome: 'error', errorClass: 'timeout' }),
    // A control character is written as a backslash-u escape, which sends the row through the Node path.
    ...Array.from({ length: 1_005 }, (_, index) =>
      decisionEvent(`escaped-${String(index).padStart(4, '0')}`, {
        unitId: `u\u0001${index}`,
        ruleId: `rule-${index % 3}`,
      }),
    ),
  ];
}

const OLD_COLUMNS = EVENT_COLUMNS.filter((column) => column !== 'reason' && column !== 'rule_id');

async function checkBackfill(dialect: StoreDialect): Promise<void> {
  const db = new Kysely<StoreDatabase>({ dialect: dialect.dialect });
  try {
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => storeMigrations(dialect.kind) },
      migrationTableName: 'switchyard_migrations',
      migrationLockTableName: 'switchyard_migrations_lock',
      migrationTableSchema: dialect.migrationTableSchema,
    });
    const { error } = await migrator.migrateTo('0003_tokens');
    expect(error).toBeUndefined();
    const events = storedBefore();
    const rows = events.map((event) => {
      // Rows of that time kept the whole event in `data`, which the backfill reads.
      const values = eventColumnValues(event);
      values[EVENT_COLUMNS.indexOf('data')] = JSON.stringify(event);
      return sql`(${sql.join(OLD_COLUMNS.map((column) => sql`${values[EVENT_COLUMNS.indexOf(column)]}`))})`;
    });
    await sql`insert into switchyard_events (${sql.join(OLD_COLUMNS.map((column) => sql.ref(column)))})
      values ${sql.join(rows)}`.execute(db);

    await migrateStore(db, dialect);

    const backfilled = await db.selectFrom('switchyard_events').select(['id', 'reason', 'rule_id']).execute();
    const stored = new Map(backfilled.map((row) => [row.id, [row.reason, row.rule_id]]));
    expect(stored.size).toBe(events.length);
    for (const event of events) {
      const values = eventColumnValues(event);
      const expected = ['reason', 'rule_id'].map(
        (column) => values[EVENT_COLUMNS.indexOf(column as 'reason')],
      );
      expect(stored.get(values[0] as string), event.id).toEqual(expected);
    }
    expect(stored.get('nul-rule')).toEqual(['STICKY', 'rule\ufffdx']);
    expect(stored.get('call')).toEqual([null, null]);

    // The backfilled decision is an exposure like a new one.
    const store = new KyselyStore(db, dialect.kind, () => START_TIME);
    const data = await store.experimentData({
      feature: 'coach-reply',
      ruleId: 'experiment-split',
      arms: ['v2'],
      from: START_TIME,
      to: START_TIME + 1,
      metrics: ['error-rate'],
    });
    // unit-a ran once and failed; u\ud800 made a request without a run.
    expect(data.arms[0]).toMatchObject({
      units: 2,
      metrics: { 'error-rate': { numerator: 1, denominator: 1 } },
    });
  } finally {
    await db.destroy();
  }
}

describe('migration 0004: decision reason and rule_id backfill', () => {
  it('fills both columns on SQLite from the stored JSON, odd text as the insert writes it', async () => {
    await checkBackfill(await openSqliteDialect('sqlite::memory:'));
  });

  it.skipIf(postgres === undefined)(
    'fills both columns on PostgreSQL the same way',
    async () => {
      await checkBackfill(await openPostgresDialect(postgres?.schemaUrl() as string));
    },
    60_000,
  );
});
