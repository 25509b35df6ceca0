import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../core/event-schema.js';
import { migrateStore } from '../migrations/migrate-store.js';
import type { StoreDatabase } from '../store-database.js';
import { callEvent, decisionEvent } from '../store-events.case.js';
import { sqliteEventInserter } from './insert-events.js';

describe('SQLite event insert', () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  /** A fresh WAL database file, migrated, with the connection's `synchronous` at the given level. */
  async function open(synchronous: number) {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-sqlite-insert-'));
    directories.push(directory);
    const database = new Database(join(directory, 'events.db'));
    database.pragma('journal_mode = WAL');
    database.pragma(`synchronous = ${synchronous}`);
    const insertEvents = sqliteEventInserter(database);
    const db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database }) });
    await migrateStore(db, {
      kind: 'sqlite',
      dialect: new SqliteDialect({ database }),
      migrationTableSchema: undefined,
    });
    return { database, db, insertEvents };
  }

  it('leaves the connection at the synchronous level it found, FULL or NORMAL', async () => {
    for (const level of [2, 1]) {
      const { database, db, insertEvents } = await open(level);
      const events = [decisionEvent(`first-${level}`), callEvent(`second-${level}`)];
      expect(await insertEvents(db, events)).toBe(2);
      expect(await insertEvents(db, events)).toBe(0);
      expect(database.pragma('synchronous', { simple: true })).toBe(level);
      await db.destroy();
    }
  });

  it('restores the level when the batch fails, and inserts none of it', async () => {
    const { database, db, insertEvents } = await open(2);
    // A NOT NULL column left empty fails inside the transaction, after the first row went in.
    const broken = [decisionEvent('kept-out'), { ...decisionEvent('no-feature'), feature: null }];
    await expect(insertEvents(db, broken as unknown as TelemetryEvent[])).rejects.toThrow(/NOT NULL/);
    expect(database.pragma('synchronous', { simple: true })).toBe(2);
    expect(database.prepare('select count(*) as count from switchyard_events').get()).toEqual({ count: 0 });
    await db.destroy();
  });
});
