import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_TEST_POSTGRES_URL, postgresTestDatabase } from './postgres-test-database.js';

// Port 1 on the loopback refuses connections at once, standing in for a stopped server.
const unreachable = 'postgres://postgres:secret@127.0.0.1:1/test';

describe('postgresTestDatabase', () => {
  afterEach(() => vi.restoreAllMocks());

  it('uses the local test database unless the environment names another', () => {
    expect(DEFAULT_TEST_POSTGRES_URL).toBe('postgres://postgres@127.0.0.1:5432/test');
  });

  it('prints one line and resolves undefined when PostgreSQL is unreachable outside CI', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const database = await postgresTestDatabase('probe', { SWITCHYARD_TEST_POSTGRES_URL: unreachable });
    expect(database).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    const line = String(warn.mock.calls[0]?.[0]);
    expect(line).toMatch(/^PostgreSQL not reachable at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test/);
    expect(line).toContain('SWITCHYARD_TEST_POSTGRES_URL');
    expect(line).not.toContain('secret');
  });

  it('fails instead of skipping when CI=true', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const probing = postgresTestDatabase('probe', { SWITCHYARD_TEST_POSTGRES_URL: unreachable, CI: 'true' });
    await expect(probing).rejects.toThrow(/PostgreSQL not reachable/);
    expect(warn).not.toHaveBeenCalled();
  });
});

const reachable = await postgresTestDatabase('probe-live');

describe.skipIf(reachable === undefined)('postgresTestDatabase against a live server', () => {
  it('hands out distinct schema URLs and drops their schemas on cleanup', async () => {
    const database = reachable!;
    const first = new URL(database.schemaUrl()).searchParams.get('schema');
    const second = new URL(database.schemaUrl()).searchParams.get('schema');
    expect(first).not.toBe(second);
    const client = new pg.Client(database.url);
    await client.connect();
    try {
      await client.query(`create schema ${first}`);
      await database.cleanup();
      const left = await client.query('select 1 from pg_namespace where nspname = any($1)', [
        [first, second],
      ]);
      expect(left.rowCount).toBe(0);
    } finally {
      await client.end();
    }
  });
});
