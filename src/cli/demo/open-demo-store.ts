import { closeSync, existsSync, openSync, readSync, rmSync } from 'node:fs';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { CliError } from '../cli-io.js';

const SQLITE_HEADER = 'SQLite format 3\u0000';
/** Files SQLite keeps beside a database. */
const COMPANIONS = ['', '-wal', '-shm', '-journal'];

/**
 * Opens a fresh store for a demo run: `sqlite::memory:`, or `sqlite:<file>`, deleting the file (and its
 * WAL and shared-memory files) first so every run starts clean. It refuses to delete a file that is not
 * a SQLite database, and any other kind of store, with a CliError naming `--db-file`.
 *
 * @example
 * const store = await openDemoStore('sqlite:/home/me/switchyard-demo.db');
 */
export async function openDemoStore(url: string): Promise<Store> {
  if (!url.startsWith('sqlite:')) {
    throw new CliError(
      `invalid --db-file: the demo runs on a SQLite file it recreates, not "${url.split(':')[0]}:"`,
    );
  }
  const path = url.slice('sqlite:'.length);
  if (path !== ':memory:') {
    if (existsSync(path) && !isSqliteFile(path)) {
      throw new CliError(
        `invalid --db-file: ${path} exists and is not a SQLite database; refusing to delete it`,
      );
    }
    for (const suffix of COMPANIONS) rmSync(`${path}${suffix}`, { force: true });
  }
  return openStore(url);
}

function isSqliteFile(path: string): boolean {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(path, 'r');
    const header = Buffer.alloc(SQLITE_HEADER.length);
    const read = readSync(descriptor, header, 0, header.length, 0);
    // An empty file is what SQLite itself leaves behind sometimes: safe to replace.
    return read === 0 || header.toString('latin1') === SQLITE_HEADER;
  } catch {
    return false;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}
