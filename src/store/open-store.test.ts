import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../core/errors.js';
import { DEFAULT_STORE_URL, openStore } from './open-store.js';

describe('openStore', () => {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-open-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('defaults to a SQLite file in the working directory', () => {
    expect(DEFAULT_STORE_URL).toBe('sqlite:./switchyard.db');
  });

  it('rejects an unknown scheme on the store field without echoing credentials', async () => {
    const opening = openStore('mysql://root:hunter2@127.0.0.1/app');
    await expect(opening).rejects.toBeInstanceOf(InvalidConfigError);
    await expect(opening).rejects.toMatchObject({
      path: 'store',
      message: expect.stringContaining('"mysql:"'),
    });
    const error: unknown = await opening.catch((rejection: unknown) => rejection);
    expect(String((error as Error).message)).not.toContain('hunter2');
    await expect(openStore('switchyard.db')).rejects.toMatchObject({ path: 'store' });
  });

  it('rejects sqlite: without a path and a PostgreSQL schema that is not a plain identifier', async () => {
    await expect(openStore('sqlite:')).rejects.toMatchObject({ code: 'INVALID_CONFIG', path: 'store' });
    const badSchema = openStore('postgres://postgres@127.0.0.1:5432/test?schema=Robert%27);drop');
    await expect(badSchema).rejects.toMatchObject({ code: 'INVALID_CONFIG', path: 'store' });
  });

  it('refuses a SQLite file in a directory that does not exist, and opens one in WAL mode', async () => {
    const path = join(directory, 'nested', 'deeper', 'store.db');
    // A typo in --db must not create an empty store somewhere: the directory has to exist.
    await expect(openStore(`sqlite:${path}`)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    expect(existsSync(join(directory, 'nested'))).toBe(false);
    mkdirSync(join(directory, 'nested', 'deeper'), { recursive: true });
    const store = await openStore(`sqlite:${path}`);
    expect(store.kind).toBe('sqlite');
    await store.createFeature(
      { key: 'wal', enabled: true, defaultVariant: 'a', variants: { a: { type: 'handler' } }, rules: [] },
      { actor: 'test' },
    );
    await store.close();
    expect(existsSync(path)).toBe(true);
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('opens a relative sqlite: path against the working directory', async () => {
    const previous = process.cwd();
    process.chdir(directory);
    try {
      const store = await openStore('sqlite:./relative.db');
      await store.close();
      expect(existsSync(join(directory, 'relative.db'))).toBe(true);
    } finally {
      process.chdir(previous);
    }
  });
});
