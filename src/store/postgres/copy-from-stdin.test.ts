import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresTestDatabase } from '../testing/postgres-test-database.js';
import { copyFromStdin } from './copy-from-stdin.js';

const postgres = await postgresTestDatabase('postgres-copy-from-stdin');

describe.skipIf(postgres === undefined)('copyFromStdin', () => {
  let client: pg.Client;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: postgres!.url });
    await client.connect();
    await client.query('create temporary table copied (id integer primary key, label text)');
  });
  afterAll(async () => {
    await client?.end();
    await postgres?.cleanup();
  });

  const labels = async () =>
    (await client.query<{ id: number; label: string | null }>('select id, label from copied order by id'))
      .rows;

  it('copies every chunk and resolves to the number of rows', async () => {
    const chunks = function* () {
      yield Buffer.from('1\tone\n2\t\\N\n');
      yield Buffer.from('3\tthree\n');
    };
    expect(await copyFromStdin(client, 'copy copied (id, label) from stdin', chunks)).toBe(3);
    expect(await labels()).toEqual([
      { id: 1, label: 'one' },
      { id: 2, label: null },
      { id: 3, label: 'three' },
    ]);
  });

  it('rejects with the error of a chunk that throws, copies nothing, and leaves the client usable', async () => {
    const failure = new Error('no more rows');
    const chunks = function* () {
      yield Buffer.from('10\tten\n');
      throw failure;
    };
    await expect(copyFromStdin(client, 'copy copied (id, label) from stdin', chunks)).rejects.toBe(failure);
    expect((await labels()).map((row) => row.id)).toEqual([1, 2, 3]);
  });

  it("rejects with the server's error, its code included, when a row breaks a constraint", async () => {
    const chunks = function* () {
      yield Buffer.from('4\tfour\n1\tagain\n');
    };
    await expect(copyFromStdin(client, 'copy copied (id, label) from stdin', chunks)).rejects.toMatchObject({
      code: '23505',
    });
    expect((await labels()).map((row) => row.id)).toEqual([1, 2, 3]);
    expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });
});
