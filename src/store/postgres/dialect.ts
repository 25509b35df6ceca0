import { PostgresDialect } from 'kysely';
import pg from 'pg';
import { InvalidConfigError } from '../../core/errors.js';
import type { StoreDialect } from '../store-dialect.js';
import { postgresEventInserter } from './insert-events.js';

/** Unquoted PostgreSQL identifiers: lowercase so `create schema` and `search_path` agree without quoting. */
const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

const INT8_OID = 20;
const JSON_OID = 114;
const JSONB_OID = 3802;

/** Connections per store; enough for a server's concurrent writes, small enough for many processes. */
const POOL_SIZE = 10;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Opens a pg pool from a `postgres://` or `postgresql://` URL; `?schema=name` creates that schema when
 * missing and puts it first on every connection's search_path.
 */
export async function openPostgresDialect(url: string): Promise<StoreDialect> {
  const { connectionString, schema } = splitSchema(url);
  const pool = new pg.Pool({
    connectionString,
    options: schema === undefined ? undefined : `-c search_path=${schema}`,
    types: storeTypeParsers(),
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // An idle connection that dies (server restart) is dropped by the pool; the next query reconnects and
  // reports any lasting failure to its caller. Without a listener the event would crash the process.
  pool.on('error', () => {});
  // The pool listens on idle connections only. One checked out (a transaction between statements, a COPY
  // being written) whose server goes away emits 'error' too: its caller's query fails, the pool drops the
  // connection on release, and this listener keeps the event from crashing the process.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  try {
    if (schema !== undefined) {
      await createSchema(pool, schema);
    }
    const result = await pool.query<{ schema: string | null }>('select current_schema() as schema');
    const currentSchema = result.rows[0]?.schema;
    if (!currentSchema) {
      throw new InvalidConfigError('invalid store URL', [
        { path: 'store', message: 'no schema on the search_path exists; add ?schema=<name> to the URL' },
      ]);
    }
    return {
      kind: 'postgres',
      dialect: new PostgresDialect({ pool }),
      migrationTableSchema: currentSchema,
      insertEvents: postgresEventInserter(pool),
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}

/** Separates the store's own `schema` query parameter from what pg should see. */
function splitSchema(url: string): { connectionString: string; schema: string | undefined } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidConfigError('invalid store URL', [
      { path: 'store', message: 'not a valid postgres:// URL' },
    ]);
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema === undefined) {
    return { connectionString: url, schema };
  }
  if (!SCHEMA_PATTERN.test(schema)) {
    throw new InvalidConfigError('invalid store URL', [
      {
        path: 'store',
        message: 'schema must be 1-63 lowercase letters, digits or "_", not starting with a digit',
      },
    ]);
  }
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}

/** Creates the schema, tolerating another process creating it at the same moment. */
async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  try {
    await pool.query(`create schema if not exists ${schema}`);
  } catch (error) {
    // `if not exists` still races: two sessions can both pass the check and one then fails.
    const exists = await pool.query('select 1 from pg_namespace where nspname = $1', [schema]);
    if (exists.rowCount === 0) {
      throw error;
    }
  }
}

/**
 * Per-pool parsers (never pg's global ones): int8 as a number, since epoch ms and counters stay far below
 * 2^53, and JSON as its raw text, so the shared store decodes it exactly as it does SQLite's.
 */
function storeTypeParsers(): pg.TypeOverrides {
  const overrides = new pg.TypeOverrides();
  overrides.setTypeParser(INT8_OID, 'text', Number);
  overrides.setTypeParser(JSON_OID, 'text', (value: string) => value);
  overrides.setTypeParser(JSONB_OID, 'text', (value: string) => value);
  return overrides;
}
