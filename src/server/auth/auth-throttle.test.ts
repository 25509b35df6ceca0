import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SwitchyardServer } from '../create-server.js';
import { COACH, TEST_ADMIN_TOKEN } from '../server.test-helper.js';

let server: SwitchyardServer;
let url: string;

beforeAll(async () => {
  server = await createServer({
    store: 'sqlite::memory:',
    port: 0,
    adminToken: TEST_ADMIN_TOKEN,
    features: [COACH],
  });
  url = await server.listen();
});
afterAll(() => server.close());

const wrong = (index: number) => `sy_feedc0de${String(index).padStart(8, '0')}_${'w'.repeat(43)}`;

describe('failed authentication over HTTP', () => {
  it('gets 429 with Retry-After after a burst, on the API and the gateway, while valid cached tokens pass', async () => {
    await fetch(`${url}/api/features`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    const statuses: number[] = [];
    for (let index = 0; index < 20; index += 1) {
      const response = await fetch(`${url}/api/features`, {
        headers: { authorization: `Bearer ${wrong(index)}` },
      });
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    expect(statuses).toEqual(Array(20).fill(401));

    const api = await fetch(`${url}/api/features`, { headers: { authorization: `Bearer ${wrong(99)}` } });
    expect(api.status).toBe(429);
    expect(Number(api.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('AUTH_THROTTLED');

    const gateway = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${wrong(98)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'switchyard/coach-reply', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(gateway.status).toBe(429);
    expect(gateway.headers.get('retry-after')).not.toBeNull();
    expect(((await gateway.json()) as { error: unknown }).error).toMatchObject({ code: 'auth_throttled' });

    const valid = await fetch(`${url}/api/features`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(valid.status).toBe(200);
    await valid.arrayBuffer();
  });
});
