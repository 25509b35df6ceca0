import { Kysely } from 'kysely';
import { InvalidConfigError } from '../core/errors.js';
import { zodProblems } from '../core/validate-feature.js';
import { checkUnitIdMode } from './check-unit-id-mode.js';
import { KyselyStore } from './kysely-store.js';
import { migrateStore } from './migrations/migrate-store.js';
import { openPostgresDialect } from './postgres/dialect.js';
import { openSqliteDialect } from './sqlite/dialect.js';
import type { Store } from './store.js';
import type { StoreDatabase } from './store-database.js';
import type { StoreDialect } from './store-dialect.js';
import { type PrivacyInput, privacySchema, unitPseudonymizer } from './unit-pseudonyms.js';

/** The store used when none is configured: a SQLite file in the working directory. */
export const DEFAULT_STORE_URL = 'sqlite:./switchyard.db';

/** Options for `openStore`. */
export interface OpenStoreOptions {
  /** Source of every timestamp the store writes (epoch ms); default `Date.now`. */
  clock?: () => number;
  /**
   * How unit ids are stored: `{ unitIds: 'hashed', key }` stores HMAC-SHA256 pseudonyms, `{ unitIds: 'clear' }`
   * the ids. Without it the store keeps the form it has (clear for a new one); a hashed store opened
   * without its key refuses whatever needs a unit id (telemetry with unit ids, assignments, erasure).
   */
  privacy?: PrivacyInput;
}

/**
 * Opens the store a URL names and migrates it to the latest schema: `sqlite:./path.db`,
 * `sqlite:/abs/path.db`, `sqlite::memory:`, or `postgres://` / `postgresql://` with an optional
 * `?schema=name` that isolates tenants and tests in their own PostgreSQL schema.
 *
 * @example
 * ```ts
 * const store = await openStore(process.env.SWITCHYARD_STORE_URL ?? DEFAULT_STORE_URL);
 * const feature = await store.getFeature('coach-reply');
 * await store.close();
 * ```
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const privacy = options.privacy === undefined ? undefined : privacySchema.safeParse(options.privacy);
  if (privacy?.success === false) {
    throw new InvalidConfigError('invalid store options', zodProblems(privacy.error, ['privacy']));
  }
  const dialect = await openDialect(url);
  const db = new Kysely<StoreDatabase>({ dialect: dialect.dialect });
  let unitIds: 'clear' | 'hashed';
  try {
    await migrateStore(db, dialect);
    unitIds = await checkUnitIdMode(db, privacy?.data);
  } catch (error) {
    await dialect.close?.();
    await db.destroy();
    throw error;
  }
  return new KyselyStore(db, dialect.kind, options.clock ?? Date.now, dialect.insertEvents, dialect.close, {
    unitIds,
    // A hashed store opened without its key serves everything that needs no unit id.
    pseudonymize:
      unitIds === 'clear' || privacy?.data !== undefined ? unitPseudonymizer(privacy?.data) : undefined,
  });
}

function openDialect(url: string): Promise<StoreDialect> {
  if (typeof url === 'string' && url.startsWith('sqlite:')) {
    return openSqliteDialect(url);
  }
  if (typeof url === 'string' && /^postgres(ql)?:\/\//.test(url)) {
    return openPostgresDialect(url);
  }
  // The scheme alone: the rest of a URL may carry a password.
  const scheme = typeof url === 'string' ? /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(url)?.[0] : undefined;
  throw new InvalidConfigError('invalid store URL', [
    {
      path: 'store',
      message: `${scheme === undefined ? 'no URL scheme' : `unknown scheme "${scheme}"`}; use sqlite:<path>, sqlite::memory: or postgres://…`,
    },
  ]);
}
