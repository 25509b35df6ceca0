import { afterAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../store/open-store.js';
import { postgresTestDatabase } from '../store/testing/postgres-test-database.js';
import { createServer } from './create-server.js';
import { COACH, TEST_ADMIN_TOKEN } from './server.test-helper.js';

const postgres = await postgresTestDatabase('server');
const authorization = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

afterAll(() => postgres?.cleanup());

describe('createServer', () => {
  it('listens on 127.0.0.1 and answers over real HTTP', async () => {
    const server = await createServer({ store: 'sqlite::memory:', port: 0, adminToken: TEST_ADMIN_TOKEN });
    try {
      const url = await server.listen();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.url).toBe(url);
      const created = await fetch(`${url}/api/features`, {
        method: 'POST',
        headers: { ...authorization, 'content-type': 'application/json' },
        body: JSON.stringify(COACH),
      });
      expect(created.status).toBe(201);
      const decided = await fetch(`${url}/api/decide`, {
        method: 'POST',
        headers: { ...authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ feature: 'coach-reply', context: { attributes: { userId: 'user-7' } } }),
      });
      expect(await decided.json()).toMatchObject({ feature: 'coach-reply', reason: 'SPLIT' });
      expect((await fetch(`${url}/health`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('says nosniff on every answer: API, errors, the gateway, docs and dashboard', async () => {
    const server = await createServer({
      store: 'sqlite::memory:',
      port: 0,
      adminToken: TEST_ADMIN_TOKEN,
      features: [COACH],
    });
    try {
      const url = await server.listen();
      const answers = await Promise.all([
        fetch(`${url}/api/features`, { headers: authorization }),
        fetch(`${url}/api/features`),
        fetch(`${url}/api/nothing-here`, { headers: authorization }),
        fetch(`${url}/api/export?format=csv`, { headers: authorization }),
        fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { ...authorization, 'content-type': 'application/json' },
          body: '{}',
        }),
        fetch(`${url}/health`),
        fetch(`${url}/docs`),
        fetch(`${url}/`),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 401, 404, 200, 400, 200, 200, 200]);
      for (const answer of answers) {
        expect(answer.headers.get('x-content-type-options'), answer.url).toBe('nosniff');
        expect(answer.headers.get('connection'), answer.url).toBe('keep-alive');
        await answer.arrayBuffer();
      }
    } finally {
      await server.close();
    }
  });

  it('finishes a request in flight when closing, then flushes its telemetry into the store', async () => {
    const store = await openStore('sqlite::memory:');
    const server = await createServer({ store, port: 0, adminToken: TEST_ADMIN_TOKEN, features: [COACH] });
    const url = await server.listen();
    let entered: () => void = () => {};
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const listAudit = store.listAudit.bind(store);
    vi.spyOn(store, 'listAudit').mockImplementation(async (query) => {
      entered();
      await new Promise((resolve) => setTimeout(resolve, 200));
      return listAudit(query);
    });
    await fetch(`${url}/api/decide`, {
      method: 'POST',
      headers: { ...authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ feature: 'coach-reply' }),
    });
    const slow = fetch(`${url}/api/audit`, { headers: authorization });
    await inHandler;
    await server.close();
    const answered = await slow;
    expect(answered.status).toBe(200);
    // Sent after the drain began: the client must not reuse the closing socket.
    expect(answered.headers.get('connection')).toBe('close');
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    const events = (await store.listEvents({ type: 'decision' })).events;
    expect(events).toEqual([expect.objectContaining({ feature: 'coach-reply', reason: 'DEFAULT' })]);
    await store.close();
  });

  it('refuses bad options, naming the field', async () => {
    await expect(createServer({ port: 70_000 })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      path: 'port',
    });
    await expect(createServer({ store: 'mysql://x' })).rejects.toMatchObject({ path: 'store' });
    await expect(
      createServer({ store: 'sqlite::memory:', features: [{ key: 'x' } as never] }),
    ).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
    });
  });

  describe.skipIf(postgres === undefined)('several servers on one PostgreSQL store', () => {
    it('share features, tokens and the audit log, and each follows the others writes', async () => {
      const store = postgres!.schemaUrl();
      const start = () =>
        createServer({ store, adminToken: TEST_ADMIN_TOKEN, features: [COACH], configPollIntervalMs: 20 });
      // One after the other: bootstrapping the same features from two processes at once is the runtime's
      // concern, not what this test is about.
      const first = await start();
      const second = await start();
      try {
        const issued = await first.app.inject({
          method: 'POST',
          url: '/api/tokens',
          headers: authorization,
          payload: { name: 'shared-editor', role: 'editor' },
        });
        const editor = { authorization: `Bearer ${issued.json().token}` };
        const killed = await second.app.inject({
          method: 'POST',
          url: '/api/features/coach-reply/kill',
          headers: editor,
          payload: { reason: 'from the second server' },
        });
        expect(killed.json()).toMatchObject({ changed: true, feature: { version: 2 } });
        await expect
          .poll(async () => (await first.app.inject({ url: '/api/config', headers: editor })).json().revision)
          .toBe(2);
        const audit = await first.app.inject({ url: '/api/audit?action=feature.kill', headers: editor });
        expect(audit.json().entries).toEqual([
          expect.objectContaining({ actor: 'token:shared-editor', reason: 'from the second server' }),
        ]);
        expect(
          (await first.app.inject({ url: '/api/tokens', headers: authorization })).json().tokens,
        ).toHaveLength(2);
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
    });
  });
});
