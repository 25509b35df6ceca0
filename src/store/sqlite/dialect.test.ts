import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteDialect } from './dialect.js';

/** The pragmas of the connection a dialect opened, read through that connection. */
async function pragmasOf(url: string) {
  const db = new Kysely<unknown>({ dialect: (await openSqliteDialect(url)).dialect });
  const read = async (name: string) =>
    Object.values((await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(db)).rows[0] ?? {})[0];
  try {
    return {
      pageSize: await read('page_size'),
      walAutocheckpoint: await read('wal_autocheckpoint'),
      journalMode: await read('journal_mode'),
    };
  } finally {
    await db.destroy();
  }
}

describe('openSqliteDialect', () => {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-sqlite-dialect-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('gives a new file 16 KB pages and checkpoints its WAL every 40 MB', async () => {
    expect(await pragmasOf(`sqlite:${join(directory, 'new.db')}`)).toEqual({
      pageSize: 16_384,
      walAutocheckpoint: 2_500,
      journalMode: 'wal',
    });
  });

  it('refuses a path whose directory does not exist instead of creating it', async () => {
    const missing = join(directory, 'no-such-folder', 'a.db');
    await expect(openSqliteDialect(`sqlite:${missing}`)).rejects.toThrow(
      `directory ${join(directory, 'no-such-folder')} does not exist`,
    );
    expect(existsSync(join(directory, 'no-such-folder'))).toBe(false);
  });

  it('keeps the page size of an existing file and counts its checkpoint in those pages', async () => {
    const path = join(directory, 'existing.db');
    const existing = new Database(path);
    existing.exec('create table kept (id integer primary key)');
    existing.close();
    expect(await pragmasOf(`sqlite:${path}`)).toEqual({
      pageSize: 4_096,
      walAutocheckpoint: 10_000,
      journalMode: 'wal',
    });
  });
});
