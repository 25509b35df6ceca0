import { afterEach, describe, expect, it } from 'vitest';
import { callEvent, decisionEvent, feedbackEvent } from '../../store/store-events.case.js';
import { startTestServer, type TestServer } from '../server.test-helper.js';

let test: TestServer | undefined;
afterEach(async () => {
  await test?.close();
  test = undefined;
});

describe('DELETE /api/units/:unitId', () => {
  it("erases one unit's data for admins only, idempotently, naming it only by hash in the audit", async () => {
    test = await startTestServer({ privacy: { unitIds: 'hashed', key: 'route-key-0123456789abcdef' } });
    const { store } = test.server.context;
    await store.appendEvents([
      decisionEvent('d-a', { unitId: 'alice@example.com', requestId: 'r-a' }),
      callEvent('c-a', { unitId: 'alice@example.com', requestId: 'r-a' }),
      feedbackEvent('f-a', { requestId: 'r-a' }),
      decisionEvent('d-b', { unitId: 'bob', requestId: 'r-b' }),
    ]);
    const path = `/api/units/${encodeURIComponent('alice@example.com')}`;
    for (const token of [test.tokens.editor, test.tokens.viewer, test.tokens.sdk]) {
      expect((await test.call('DELETE', path, { token })).statusCode).toBe(403);
    }
    const erased = await test.call('DELETE', path);
    expect(erased.statusCode).toBe(200);
    expect(erased.json()).toEqual({ erased: { events: 3, assignments: 0, preferences: 0 } });
    expect((await test.call('DELETE', path)).json()).toEqual({
      erased: { events: 0, assignments: 0, preferences: 0 },
    });
    expect((await store.listEvents({ limit: 10 })).events.map((event) => event.id)).toEqual(['d-b']);
    const audit = await store.listAudit({ action: 'unit.erase' });
    expect(audit.entries).toHaveLength(2);
    expect(audit.entries[0]).toMatchObject({
      actor: 'token:admin',
      target: expect.stringMatching(/^unit:[0-9a-f]{64}$/),
    });
    expect(JSON.stringify(audit.entries)).not.toContain('alice');
  });
});
