import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../store/open-store.js';
import { createServer } from '../create-server.js';
import { TEST_ADMIN_TOKEN } from '../server.test-helper.js';
import { bootstrapAdminToken } from './bootstrap-admin-token.js';
import { createTokenAuthenticator } from './token-authenticator.js';

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'switchyard-admin-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('the first admin token', () => {
  it('is generated and returned once when the store has none, and never again', async () => {
    const store = `sqlite:${join(directory, 'generated.db')}`;
    const first = await createServer({ store, features: [] });
    const token = first.adminToken;
    expect(token).toMatch(/^sy_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const listed = await first.app.inject({
      url: '/api/tokens',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(listed.json().tokens).toEqual([expect.objectContaining({ name: 'admin', role: 'admin' })]);
    await first.close();
    const second = await createServer({ store });
    expect(second.adminToken).toBeUndefined();
    const again = await second.app.inject({
      url: '/api/features',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(again.statusCode).toBe(200);
    await second.close();
  });

  it('is the given token when the store has none; a given token is not stored once one exists', async () => {
    const store = await openStore(`sqlite:${join(directory, 'given.db')}`);
    const auth = createTokenAuthenticator({ store, clock: Date.now });
    expect(await bootstrapAdminToken(store, auth, TEST_ADMIN_TOKEN)).toEqual({
      result: 'created-from-given',
    });
    expect(await auth.authenticate(TEST_ADMIN_TOKEN)).toMatchObject({ name: 'admin', role: 'admin' });
    expect(await bootstrapAdminToken(store, auth, TEST_ADMIN_TOKEN)).toEqual({
      result: 'exists',
      ignoredGiven: false,
    });
    const other = `sy_otheradmin_${'c'.repeat(43)}`;
    expect(await bootstrapAdminToken(store, auth, other)).toEqual({ result: 'exists', ignoredGiven: true });
    expect(await auth.authenticate(other)).toBeUndefined();
    const [entry] = (await store.listAudit({ action: 'token.create' })).entries;
    expect(entry).toMatchObject({ actor: 'server', reason: 'first admin token' });
    await store.close();
  });

  it('refuses a given token that is not sy_<id>_<secret>, naming the field', async () => {
    const store = await openStore('sqlite::memory:');
    const auth = createTokenAuthenticator({ store, clock: Date.now });
    await expect(bootstrapAdminToken(store, auth, 'hunter2')).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      path: 'adminToken',
    });
    expect(await store.listTokens()).toEqual([]);
    await store.close();
  });

  it('is created once when servers start on one store at the same moment', async () => {
    const store = await openStore('sqlite::memory:');
    const auths = [1, 2, 3].map(() => createTokenAuthenticator({ store, clock: Date.now }));
    const results = await Promise.all(auths.map((auth) => bootstrapAdminToken(store, auth, undefined)));
    expect(results.filter((result) => result.result === 'generated')).toHaveLength(1);
    expect(await store.listTokens()).toHaveLength(1);
    await store.close();
  });
});
