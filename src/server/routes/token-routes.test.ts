import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../server.test-helper.js';

let test: TestServer;

beforeEach(async () => {
  test = await startTestServer();
});
afterEach(() => test.close());

describe('token routes', () => {
  it('creates a token shown once, which then works with exactly its role', async () => {
    const created = await test.call('POST', '/api/tokens', { body: { name: 'ci-pipeline', role: 'sdk' } });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const { token, ...listed } = created.json();
    expect(token).toMatch(/^sy_[0-9a-f]{16}_/);
    expect(listed).toMatchObject({ name: 'ci-pipeline', role: 'sdk', revokedAt: null });
    expect((await test.call('GET', '/api/config', { token })).statusCode).toBe(200);
    expect((await test.call('GET', '/api/features', { token })).statusCode).toBe(403);
    const list = await test.call('GET', '/api/tokens');
    expect(list.body).not.toContain(token);
    expect(list.body).not.toMatch(/"hash"|"salt"|scrypt/);
    const names = list.json().tokens.map((entry: { name: string }) => entry.name);
    expect(names.sort()).toEqual(['admin', 'ci-pipeline', 'editor-token', 'sdk-token', 'viewer-token']);
  });

  it('audits creation and revocation with the acting token and never the secret', async () => {
    const { token, id } = (
      await test.call('POST', '/api/tokens', { body: { name: 'temp', role: 'viewer' } })
    ).json();
    const revoked = await test.call('DELETE', `/api/tokens/${id}`);
    expect(revoked.json()).toMatchObject({ id, revokedAt: expect.any(Number) });
    const audit = (await test.call('GET', `/api/audit?target=token:${id}`)).json().entries;
    expect(audit.map((entry: { action: string; actor: string }) => [entry.action, entry.actor])).toEqual([
      ['token.revoke', 'token:admin'],
      ['token.create', 'token:admin'],
    ]);
    // sy_<id>_<secret>: the secret is base64url, so it may hold "_" itself.
    const secret = token.split('_').slice(2).join('_');
    expect(secret.length).toBeGreaterThanOrEqual(40);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('refuses a revoked token on this server at once', async () => {
    const { token, id } = (
      await test.call('POST', '/api/tokens', { body: { name: 'temp', role: 'editor' } })
    ).json();
    expect((await test.call('GET', '/api/features', { token })).statusCode).toBe(200);
    await test.call('DELETE', `/api/tokens/${id}`);
    const refused = await test.call('GET', '/api/features', { token });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer/);
    const revokedList = (await test.call('GET', '/api/tokens?revoked=true')).json().tokens;
    expect(revokedList.find((entry: { id: string }) => entry.id === id)?.revokedAt).toEqual(
      expect.any(Number),
    );
    expect(
      (await test.call('GET', '/api/tokens')).json().tokens.map((entry: { id: string }) => entry.id),
    ).not.toContain(id);
  });

  it('keeps the last admin token, but lets it go once another admin exists', async () => {
    const last = await test.call('DELETE', '/api/tokens/testadmin');
    expect(last.statusCode).toBe(409);
    expect(last.json().error.code).toBe('LAST_ADMIN_TOKEN');
    const { token } = (
      await test.call('POST', '/api/tokens', { body: { name: 'ops', role: 'admin' } })
    ).json();
    expect((await test.call('DELETE', '/api/tokens/testadmin', { token })).statusCode).toBe(200);
    expect((await test.call('GET', '/api/tokens', { token: TEST_ADMIN_TOKEN })).statusCode).toBe(401);
  });
});
