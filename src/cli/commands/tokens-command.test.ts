import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootstrapAdminToken } from '../../server/auth/bootstrap-admin-token.js';
import { createTokenAuthenticator } from '../../server/auth/token-authenticator.js';
import { openStore } from '../../store/open-store.js';
import { runCliCapturing } from '../run-cli.test-helper.js';

describe('switchyard tokens', () => {
  let directory: string;
  let url: string;
  const cli = (...argv: string[]) => runCliCapturing(argv, { env: { SWITCHYARD_DB: url }, cwd: directory });

  /** Whether `token` authenticates against the store, and as whom. */
  async function principalOf(token: string) {
    const store = await openStore(url);
    try {
      return await createTokenAuthenticator({ store, clock: Date.now }).authenticate(token);
    } finally {
      await store.close();
    }
  }

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'switchyard-tokens-'));
    url = `sqlite:${join(directory, 'switchyard.db')}`;
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('replaces a lost admin token: a new admin from the store, then the lost one revoked by name', async () => {
    const store = await openStore(url);
    const lost = await bootstrapAdminToken(
      store,
      createTokenAuthenticator({ store, clock: Date.now }),
      undefined,
    );
    await store.close();
    expect(lost.result).toBe('generated');

    const created = await cli(
      'tokens',
      'create',
      'ops-admin',
      '--role',
      'admin',
      '--reason',
      'admin token lost',
    );
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const token = created.stdout.split('\n')[1] ?? '';
    expect(created.stdout).toMatch(
      /^created admin token ops-admin \(id [0-9a-f]+\); it is shown this once:\n/,
    );
    expect(await principalOf(token)).toMatchObject({ name: 'ops-admin', role: 'admin' });

    const revoked = await cli('tokens', 'revoke', 'admin', '--reason', 'lost');
    expect(revoked).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^revoked admin token admin \(id /),
    });
    if (lost.result === 'generated') expect(await principalOf(lost.token)).toBeUndefined();

    const list = await cli('tokens', 'list');
    expect(list.stdout).toMatch(/^ID\s+NAME\s+ROLE\s+CREATED\s+LAST USED\s+REVOKED\n/);
    expect(list.stdout).toContain('ops-admin');
    expect(list.stdout.split('\n').map((line) => line.split(/\s+/)[1])).not.toContain('admin');
    const all = JSON.parse((await cli('tokens', 'list', '--all', '--json')).stdout) as Array<{
      name: string;
      revokedAt: number | null;
    }>;
    expect(all.map((entry) => [entry.name, entry.revokedAt !== null])).toEqual([
      ['admin', true],
      ['ops-admin', false],
    ]);
    expect(JSON.stringify(all)).not.toMatch(/hash|salt|sy_/);

    const audit = await openStore(url);
    try {
      const entries = (await audit.listAudit({ limit: 10 })).entries.filter((entry) => entry.actor === 'cli');
      expect(entries.map((entry) => [entry.action, entry.reason])).toEqual([
        ['token.revoke', 'lost'],
        ['token.create', 'admin token lost'],
      ]);
    } finally {
      await audit.close();
    }
  });

  it('refuses to revoke the last admin token, an unknown token, a bad name or role, with exit 2', async () => {
    expect((await cli('tokens', 'create', 'only-admin', '--role', 'admin')).code).toBe(0);
    const cases: Array<[string[], string]> = [
      [
        ['tokens', 'revoke', 'only-admin'],
        'token "only-admin" is the last admin token; create another first',
      ],
      [['tokens', 'revoke', 'nope'], 'token "nope" not found'],
      [['tokens', 'create', 'bad name', '--role', 'viewer'], 'invalid <name>'],
      [['tokens', 'create', 'ci', '--role', 'root'], "argument 'root' is invalid"],
      [['tokens', 'create', 'ci'], "required option '--role <role>' not specified"],
      [['tokens', 'create', 'only-admin', '--role', 'viewer'], 'only-admin'],
    ];
    for (const [argv, message] of cases) {
      const result = await cli(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr, argv.join(' ')).toContain(message);
    }
    expect(JSON.parse((await cli('tokens', 'list', '--json')).stdout)).toHaveLength(1);
  });
});
