import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postgresTestDatabase } from '../../store/testing/postgres-test-database.js';
import { runCliCapturing } from '../run-cli.test-helper.js';

const features = JSON.stringify(
  ['alpha', 'bravo', 'charlie'].map((key) => ({
    key,
    defaultVariant: 'v1',
    variants: { v1: { type: 'handler' }, v2: { type: 'handler' } },
    rules: [{ id: 'everyone', serve: 'v2' }],
  })),
);

const postgres = await postgresTestDatabase('cli-kill-all');
afterAll(() => postgres?.cleanup());

/** Makes the database refuse every update of one feature, as a broken row or a lock would. */
type RefuseUpdates = (url: string, key: string) => Promise<void>;

const refuseOnSqlite: RefuseUpdates = async (url, key) => {
  const database = new Database(url.slice('sqlite:'.length));
  try {
    database
      .prepare(
        `create trigger refuse_update before update on switchyard_features when old.key = '${key}' ` +
          `begin select raise(abort, 'feature row is locked'); end`,
      )
      .run();
  } finally {
    database.close();
  }
};

const refuseOnPostgres: RefuseUpdates = async (url, key) => {
  const schema = new URL(url).searchParams.get('schema');
  const client = new pg.Client({ connectionString: postgres!.url });
  await client.connect();
  try {
    await client.query(
      `create function ${schema}.refuse_update() returns trigger language plpgsql as $$ begin ` +
        `if old.key = '${key}' then raise exception 'feature row is locked'; end if; return new; end $$`,
    );
    await client.query(
      `create trigger refuse_update before update on ${schema}.switchyard_features ` +
        `for each row execute function ${schema}.refuse_update()`,
    );
  } finally {
    await client.end();
  }
};

const stores = [
  {
    name: 'SQLite',
    url: (directory: string, name: string) => `sqlite:${join(directory, `${name}.db`)}`,
    refuse: refuseOnSqlite,
    skip: false,
  },
  {
    name: 'PostgreSQL',
    url: (_directory: string, _name: string) => postgres?.schemaUrl() ?? '',
    refuse: refuseOnPostgres,
    skip: postgres === undefined,
  },
];

for (const kind of stores) {
  describe.skipIf(kind.skip)(`switchyard kill-all on ${kind.name}`, () => {
    let directory = '';
    let url = '';
    const run = (...argv: string[]) => runCliCapturing(argv, { env: { SWITCHYARD_DB: url }, cwd: directory });

    beforeEach(async () => {
      directory = await mkdtemp(join(tmpdir(), 'switchyard-kill-all-'));
      url = kind.url(directory, 'kill-all');
      await writeFile(join(directory, 'features.json'), features);
      expect((await run('features', 'apply', 'features.json')).code).toBe(0);
    });
    afterEach(async () => {
      await rm(directory, { recursive: true, force: true });
    });

    it('kills every feature not killed yet, audited as the CLI, and enable lifts one kill only', async () => {
      expect((await run('features', 'kill', 'bravo', '--reason', 'bad answers')).code).toBe(0);

      expect(await run('kill-all', '--reason', 'provider outage')).toEqual({
        code: 0,
        stdout:
          'killed alpha (version 2)\n' +
          'killed charlie (version 2)\n' +
          'already killed bravo\n' +
          '2 killed, 1 already killed, 0 failed; undo one with `switchyard features enable <key>`\n',
        stderr: '',
      });
      const history = JSON.parse((await run('features', 'history', 'alpha', '--json')).stdout);
      expect(history[0]).toMatchObject({
        actor: 'cli',
        action: 'feature.kill',
        reason: 'kill-all: provider outage',
      });
      const bravo = JSON.parse((await run('features', 'history', 'bravo', '--json')).stdout);
      expect(bravo[0]).toMatchObject({ action: 'feature.kill', reason: 'bad answers' });

      expect((await run('features', 'enable', 'alpha')).stdout).toBe('enabled alpha (version 3)\n');
      const decide = async (key: string) =>
        JSON.parse((await run('decide', key, '--context', '{"attributes":{"userId":"u-1"}}')).stdout);
      expect(await decide('alpha')).toMatchObject({ variant: 'v2', reason: 'TARGETING_MATCH' });
      expect(await decide('charlie')).toMatchObject({ variant: 'v1', reason: 'KILLED' });

      expect((await run('kill-all')).stdout).toBe(
        'killed alpha (version 4)\n' +
          'already killed bravo\n' +
          'already killed charlie\n' +
          '1 killed, 2 already killed, 0 failed; undo one with `switchyard features enable <key>`\n',
      );
      const again = JSON.parse((await run('features', 'history', 'alpha', '--json')).stdout);
      expect(again[0]).toMatchObject({ actor: 'cli', action: 'feature.kill', reason: 'kill-all' });
    });

    it('kills the others when one feature cannot be written, then exits 1 naming it', async () => {
      await kind.refuse(url, 'bravo');
      const result = await run('kill-all');
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /^killed alpha \(version 2\)\nkilled charlie \(version 2\)\nFAILED bravo: .*feature row is locked.*\n2 killed, 0 already killed, 1 failed;/,
      );
      expect(result.stderr).toBe(
        'switchyard: kill-all: not killed: bravo (run it again, or kill each one)\n',
      );
      const list = JSON.parse((await run('features', 'list', '--json')).stdout);
      expect(
        list.map((feature: { key: string; config: { killed?: boolean } }) => feature.config.killed),
      ).toEqual([true, undefined, true]);
    });

    it('refuses a blank reason with exit 2 naming it, and writes nothing', async () => {
      const before = (await run('features', 'list', '--json')).stdout;
      expect(await run('kill-all', '--reason', ' ')).toEqual({
        code: 2,
        stdout: '',
        stderr: 'switchyard: reason: must be a non-empty string when given\n',
      });
      expect((await run('features', 'list', '--json')).stdout).toBe(before);
    });

    it('says so when there is nothing to kill', async () => {
      url = kind.url(directory, 'empty');
      expect(await run('kill-all')).toEqual({
        code: 0,
        stdout: 'no live features: nothing to kill\n',
        stderr: '',
      });
    });
  });
}
