import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Where tests look for PostgreSQL unless `SWITCHYARD_TEST_POSTGRES_URL` says otherwise. */
export const DEFAULT_TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

const PROBE_TIMEOUT_MS = 3_000;

/** A reachable PostgreSQL for one test file: a fresh schema per store, all dropped by `cleanup`. */
export interface PostgresTestDatabase {
  /** The server's URL, without a schema. */
  readonly url: string;
  /** A store URL naming a new, unique schema (the store creates it on open). */
  schemaUrl(): string;
  /** Drops every schema this object handed out. */
  cleanup(): Promise<void>;
}

/**
 * Probes the test PostgreSQL. When it is unreachable: throws under `CI=true` (CI must run the suite),
 * otherwise prints one line and resolves undefined so the caller can skip its PostgreSQL suite.
 *
 * @example
 * ```ts
 * const postgres = await postgresTestDatabase('postgres-store');
 * describe.skipIf(postgres === undefined)('PostgreSQL store', () => { ... });
 * ```
 */
export async function postgresTestDatabase(
  suite: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PostgresTestDatabase | undefined> {
  const url = env.SWITCHYARD_TEST_POSTGRES_URL ?? DEFAULT_TEST_POSTGRES_URL;
  const problem = await probe(url);
  if (problem !== undefined) {
    const line = `PostgreSQL not reachable at ${redact(url)} (${problem}): set SWITCHYARD_TEST_POSTGRES_URL or start PostgreSQL to run the PostgreSQL store suite`;
    if (env.CI === 'true') {
      throw new Error(line);
    }
    console.warn(line);
    return undefined;
  }
  const prefix = `sy_test_${suite
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  const schemas: string[] = [];
  return {
    url,
    schemaUrl() {
      const schema = `${prefix}_${schemas.length + 1}`;
      schemas.push(schema);
      const schemaUrl = new URL(url);
      schemaUrl.searchParams.set('schema', schema);
      return schemaUrl.toString();
    },
    async cleanup() {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
      await client.connect();
      try {
        for (const schema of schemas.splice(0)) {
          await client.query(`drop schema if exists ${schema} cascade`);
        }
      } finally {
        await client.end();
      }
    },
  };
}

/** Undefined when a trivial query succeeds, otherwise why it did not. */
async function probe(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  // A server that drops the connection later must not crash the test process through an unhandled event.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The URL with any password masked, fit for a log line. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') {
      parsed.password = '***';
    }
    return parsed.toString();
  } catch {
    return 'an unparsable URL';
  }
}
