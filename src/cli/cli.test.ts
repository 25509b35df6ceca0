import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { postgresTestDatabase } from '../store/testing/postgres-test-database.js';
import { type CliRun, runCliCapturing } from './run-cli.test-helper.js';

const coachReply = `
key: coach-reply
description: Coaching replies, V1 legacy versus V2
defaultVariant: v1
variants:
  v1: { type: handler, payload: { prompt: legacy } }
  v2: { type: llm, provider: openai, model: gpt-4o-mini, maxTokens: 400, fallback: [v1] }
rules:
  - id: canary
    when: { tenant: { $in: [acme] } }
    serve: v2
  - id: paid-rollout
    when: { tier: paid }
    split: { v1: 50, v2: 50 }
    coverage: 0.1
`;

const badFeature = `
key: coach-reply
defaultVariant: v1
variants:
  v1: { type: handler }
rules:
  - split: { v1: 1, v3: 1 }
`;

function cli(directory: string, env: Record<string, string>, ...argv: string[]): Promise<CliRun> {
  return runCliCapturing(argv, { env, cwd: directory });
}

const postgres = await postgresTestDatabase('cli');

const stores: Array<{ name: string; url: () => string; skip: boolean }> = [
  { name: 'SQLite', url: () => 'sqlite:./cli.db', skip: false },
  { name: 'PostgreSQL', url: () => postgres?.schemaUrl() ?? '', skip: postgres === undefined },
];

afterAll(async () => {
  await postgres?.cleanup();
});

for (const store of stores) {
  describe.skipIf(store.skip)(`CLI round trip on ${store.name}`, () => {
    let directory = '';
    let env: Record<string, string> = {};
    const run = (...argv: string[]) => cli(directory, env, ...argv);

    beforeAll(async () => {
      directory = await mkdtemp(join(tmpdir(), 'switchyard-cli-'));
      env = { SWITCHYARD_DB: store.url() };
      await writeFile(join(directory, 'coach.yaml'), coachReply);
      await writeFile(join(directory, 'bad.yaml'), badFeature);
      await writeFile(
        join(directory, 'list.json'),
        JSON.stringify([{ key: 'a', defaultVariant: 'x', variants: { x: { type: 'handler' } } }]),
      );
    });
    afterAll(async () => {
      await rm(directory, { recursive: true, force: true });
    });

    it('applies a file, then finds nothing to change on a second apply', async () => {
      expect(await run('features', 'apply', 'coach.yaml', '--reason', 'first rollout')).toEqual({
        code: 0,
        stdout: 'created coach-reply (version 1)\n',
        stderr: '',
      });
      expect((await run('features', 'apply', 'coach.yaml')).stdout).toBe(
        'unchanged coach-reply (version 1)\n',
      );
      expect((await run('features', 'apply', 'list.json')).stdout).toBe('created a (version 1)\n');
    });

    it('lists and gets features', async () => {
      const list = await run('features', 'list');
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(/^KEY\s+STATE\s+VERSION/);
      expect(list.stdout).toMatch(
        /coach-reply\s+enabled\s+1\s+v1\s+v1,v2\s+canary→v2 paid-rollout\[v1:50\/v2:50@10%\]/,
      );
      const got = await run('features', 'get', 'coach-reply');
      expect(parse(got.stdout)).toMatchObject({ key: 'coach-reply', version: 1, defaultVariant: 'v1' });
      const json = await run('features', 'list', '--json');
      expect(JSON.parse(json.stdout).map((feature: { key: string }) => feature.key)).toEqual([
        'a',
        'coach-reply',
      ]);
    });

    it('decides for a context', async () => {
      const canary = await run(
        'decide',
        'coach-reply',
        '--context',
        '{"attributes":{"userId":"u1","tenant":"acme"}}',
      );
      expect(canary.code).toBe(0);
      expect(JSON.parse(canary.stdout)).toMatchObject({
        variant: 'v2',
        reason: 'TARGETING_MATCH',
        ruleId: 'canary',
      });
      const free = await run(
        'decide',
        'coach-reply',
        '--context',
        '{"attributes":{"userId":"u1","tier":"free"}}',
      );
      expect(JSON.parse(free.stdout)).toMatchObject({ variant: 'v1', reason: 'DEFAULT', version: 1 });
    });

    it('kills a feature at once and keeps the kill across a re-apply', async () => {
      const kill = await run('features', 'kill', 'coach-reply', '--reason', 'p95 above 8 s');
      expect(kill).toMatchObject({ code: 0, stdout: 'killed coach-reply (version 2)\n' });
      const decided = await run('decide', 'coach-reply', '--context', '{"attributes":{"tenant":"acme"}}');
      expect(JSON.parse(decided.stdout)).toMatchObject({ variant: 'v1', reason: 'KILLED', version: 2 });
      expect((await run('features', 'apply', 'coach.yaml')).stdout).toBe(
        'unchanged coach-reply (version 2)\n',
      );
      expect((await run('features', 'kill', 'coach-reply', '--reason', 'again')).stdout).toBe(
        'coach-reply is already killed: nothing changed\n',
      );
      expect((await run('features', 'list')).stdout).toMatch(/coach-reply\s+KILLED\s+2/);
    });

    it('enables and disables with reasons DISABLED and back', async () => {
      expect((await run('features', 'enable', 'coach-reply')).stdout).toBe(
        'enabled coach-reply (version 3)\n',
      );
      expect((await run('features', 'disable', 'coach-reply')).stdout).toBe(
        'disabled coach-reply (version 4)\n',
      );
      const decided = await run('decide', 'coach-reply', '--context', '{"attributes":{"tenant":"acme"}}');
      expect(JSON.parse(decided.stdout)).toMatchObject({ reason: 'DISABLED' });
      await run('features', 'enable', 'coach-reply', '--reason', 'fixed');
      const again = await run('decide', 'coach-reply', '--context', '{"attributes":{"tenant":"acme"}}');
      expect(JSON.parse(again.stdout)).toMatchObject({ reason: 'TARGETING_MATCH', version: 5 });
    });

    it('prints the audit history newest first, with actor and reason', async () => {
      const history = await run('features', 'history', 'coach-reply');
      const lines = history.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^AT\s+ACTOR\s+ACTION\s+VERSION\s+REASON$/);
      expect(lines.slice(1).map((line) => line.split(/\s+/).slice(1, 4).join(' '))).toEqual([
        'cli feature.enable 5',
        'cli feature.disable 4',
        'cli feature.enable 3',
        'cli feature.kill 2',
        'cli feature.create 1',
      ]);
      expect(lines[4]).toContain('p95 above 8 s');
      expect(lines[5]).toContain('first rollout');
    });

    it('rejects a bad file with exit code 2, one line naming the field, and writes nothing', async () => {
      const before = (await run('features', 'get', 'coach-reply', '--format', 'json')).stdout;
      const bad = await run('features', 'apply', 'bad.yaml');
      expect(bad).toEqual({
        code: 2,
        stdout: '',
        stderr: 'switchyard: invalid feature: rules[0].split: unknown variant "v3"\n',
      });
      expect((await run('features', 'get', 'coach-reply', '--format', 'json')).stdout).toBe(before);
    });

    it('rejects bad arguments with exit code 2 and one line', async () => {
      const cases: Array<[string[], RegExp]> = [
        [
          ['decide', 'coach-reply', '--context', '{"userId":"u1"}'],
          /invalid --context: unknown field "userId"/,
        ],
        [['decide', 'coach-reply', '--context', '{oops'], /invalid --context: not valid JSON/],
        [['decide', 'nope'], /feature "nope" not found/],
        [['features', 'get', 'nope'], /feature "nope" not found/],
        [['features', 'kill', 'nope', '--reason', 'x'], /feature "nope" not found/],
        [['features', 'kill', 'coach-reply'], /required option '--reason <text>' not specified/],
        [['features', 'kill', 'coach-reply', '--reason', ' '], /kill needs a reason/],
        [['features', 'apply', 'missing.yaml'], /cannot read missing\.yaml: ENOENT/],
        [['features', 'history', 'coach-reply', '--limit', 'lots'], /invalid --limit/],
        [['features', 'teleport'], /unknown command 'teleport'/],
      ];
      for (const [argv, message] of cases) {
        const result = await run(...argv);
        expect(result.code, argv.join(' ')).toBe(2);
        expect(result.stderr.split('\n')[0]).toMatch(message);
      }
    });
  });
}

describe('CLI help and process behaviour', () => {
  const directory = tmpdir();

  it('prints help for every command', async () => {
    for (const argv of [
      [],
      ['--help'],
      ['features', '--help'],
      ['features', 'apply', '--help'],
      ['decide', '--help'],
    ]) {
      const result = await cli(directory, {}, ...argv);
      expect(result.code, argv.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/^Usage: switchyard/);
    }
  });

  it('prints the package version', async () => {
    const version = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'))
      .version as string;
    for (const flag of ['--version', '-V']) {
      expect(await cli(directory, {}, flag)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('refuses a SQLite path whose directory does not exist, creating nothing', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'switchyard-cli-db-'));
    try {
      const missing = join(folder, 'typo', 'x.db');
      const result = await cli(folder, {}, '--db', `sqlite:${missing}`, 'features', 'list');
      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr: `switchyard: invalid store URL: store: directory ${join(folder, 'typo')} does not exist; create it first or choose another path\n`,
      });
      expect(await readdir(folder)).toEqual([]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('exits 2 from a real process on bad input, naming the field', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'switchyard-cli-process-'));
    try {
      await writeFile(join(folder, 'bad.yaml'), badFeature);
      const main = join(import.meta.dirname, 'main.ts');
      const failure = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', main, '--db', 'sqlite::memory:', 'features', 'apply', join(folder, 'bad.yaml')],
        { cwd: join(import.meta.dirname, '..', '..') },
      ).catch((error: { code: number; stderr: string }) => error);
      expect(failure).toMatchObject({
        code: 2,
        stderr: 'switchyard: invalid feature: rules[0].split: unknown variant "v3"\n',
        stdout: '',
      });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
