import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, UNKNOWN_TOKEN } from '../server.test-helper.js';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer();
});
afterAll(() => test.close());

describe('GET /api/whoami', () => {
  it('names the calling token and its role, without the secret', async () => {
    for (const role of ['admin', 'editor', 'viewer'] as const) {
      const response = await test.call('GET', '/api/whoami', { token: test.tokens[role] });
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const body = response.json();
      expect(body).toEqual({ id: expect.any(String), name: expect.any(String), role });
      const prefix = `sy_${body.id}_`;
      expect(test.tokens[role].startsWith(prefix)).toBe(true);
      expect(JSON.stringify(body)).not.toContain(test.tokens[role].slice(prefix.length));
    }
  });

  it('refuses an unknown token with 401 and an sdk token, which cannot read, with 403', async () => {
    expect((await test.call('GET', '/api/whoami', { token: UNKNOWN_TOKEN })).statusCode).toBe(401);
    expect((await test.call('GET', '/api/whoami', { token: null })).statusCode).toBe(401);
    const sdk = await test.call('GET', '/api/whoami', { token: test.tokens.sdk });
    expect(sdk.statusCode).toBe(403);
    expect(sdk.json().error.message).toContain('role sdk');
  });
});
