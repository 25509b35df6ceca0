import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_STORE_URL, type OpenStoreOptions, openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import type { CliIo } from './cli-io.js';

/**
 * The store URL from `--db`, then `SWITCHYARD_DB`, then the embedded SQLite default;
 * a relative SQLite path is taken relative to the CLI's working directory.
 */
export function storeUrl(flag: string | undefined, io: CliIo): string {
  const url = flag ?? io.env.SWITCHYARD_DB ?? DEFAULT_STORE_URL;
  const sqlitePath = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : undefined;
  if (sqlitePath === undefined || sqlitePath === ':memory:' || isAbsolute(sqlitePath)) return url;
  return `sqlite:${resolve(io.cwd, sqlitePath)}`;
}

/** Opens the store for one command and always closes it afterwards. */
export async function withStore<T>(
  url: string,
  work: (store: Store) => Promise<T>,
  options: OpenStoreOptions = {},
): Promise<T> {
  const store = await openStore(url, options);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
