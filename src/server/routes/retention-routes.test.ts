import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { callEvent, decisionEvent } from '../../store/store-events.case.js';
import { createServer } from '../create-server.js';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../server.test-helper.js';

const DAY = 86_400_000;
const NOW = 1_800_000_000_000;
const clock = () => NOW;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function seeded(): Promise<Store> {
  const store = await openStore('sqlite::memory:', { clock });
  cleanups.push(() => store.close());
  await store.appendEvents([
    decisionEvent('d-100', { at: NOW - 100 * DAY }),
    callEvent('c-100', { at: NOW - 100 * DAY, prompt: 'old prompt', output: 'old output' }),
    callEvent('c-10', { at: NOW - 10 * DAY, prompt: 'prompt of c-10', output: 'output of c-10' }),
    callEvent('c-1', { at: NOW - DAY, prompt: 'prompt of c-1', output: 'output of c-1' }),
  ]);
  await store.appendAudit({
    actor: 'a',
    action: 'x.old',
    target: 't',
    before: null,
    after: null,
    reason: null,
    at: NOW - 500 * DAY,
  });
  return store;
}

async function serverOn(store: Store, retention: Record<string, unknown> | undefined): Promise<TestServer> {
  const test = await startTestServer({ store, clock, ...(retention ? { retention } : {}) });
  cleanups.push(() => test.close());
  return test;
}

const retention = { events: '90d', content: '7d', audit: '400d' };

describe('retention', () => {
  it('runs at start on the server holding the lease, removes exactly what is past each window, and audits it', async () => {
    const store = await seeded();
    const first = await serverOn(store, retention);
    const second = await createServer({ store, clock, retention, adminToken: TEST_ADMIN_TOKEN });
    cleanups.push(() => second.close());
    // The first pass started with the server; tick() joins or repeats it, and the other server holds no lease.
    await first.server.context.retention.tick();
    await expect(second.context.retention.tick()).resolves.toBeNull();
    const { events } = await store.listEvents({ limit: 10 });
    const byId = new Map(events.map((event) => [event.id, event]));
    expect([...byId.keys()].sort()).toEqual(['c-1', 'c-10']);
    expect(byId.get('c-10')).not.toHaveProperty('prompt');
    expect(byId.get('c-10')).not.toHaveProperty('output');
    expect(byId.get('c-1')).toMatchObject({ prompt: 'prompt of c-1', output: 'output of c-1' });
    const audit = await store.listAudit({ action: 'retention.run' });
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({
      actor: 'retention',
      target: 'events',
      after: {
        deleted: { events: 2, audit: 1 },
        scrubbed: { events: 1 },
        before: { events: NOW - 90 * DAY, content: NOW - 7 * DAY, audit: NOW - 400 * DAY },
      },
    });
    expect((await store.listAudit({ action: 'x.old' })).entries).toEqual([]);
  });

  it('POST /api/retention/run answers the counts for admins only, audited under the caller', async () => {
    const store = await seeded();
    const test = await serverOn(store, { ...retention, intervalMs: 86_400_000 });
    await test.server.context.retention.tick();
    for (const token of [test.tokens.editor, test.tokens.viewer, test.tokens.sdk]) {
      expect((await test.call('POST', '/api/retention/run', { token })).statusCode).toBe(403);
    }
    await store.appendEvents([callEvent('c-200', { at: NOW - 200 * DAY })]);
    const response = await test.call('POST', '/api/retention/run');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      deleted: { events: 1, audit: 0 },
      scrubbed: { events: 0 },
      before: { events: NOW - 90 * DAY, content: NOW - 7 * DAY, audit: NOW - 400 * DAY },
    });
    const audit = await store.listAudit({ action: 'retention.run' });
    expect(audit.entries.map((entry) => entry.actor)).toEqual(['token:admin', 'retention']);
  });

  it('removes nothing without windows, and refuses bad windows at start naming the field', async () => {
    const store = await seeded();
    const test = await serverOn(store, undefined);
    expect((await test.call('POST', '/api/retention/run')).json()).toEqual({
      deleted: { events: 0, audit: 0 },
      scrubbed: { events: 0 },
      before: { events: null, content: null, audit: null },
    });
    expect((await store.listEvents({ limit: 10 })).events).toHaveLength(4);
    await expect(startTestServer({ store, retention: { events: '90 days' } as never })).rejects.toMatchObject(
      {
        code: 'INVALID_CONFIG',
        problems: [expect.objectContaining({ path: 'retention.events' })],
      },
    );
  });
});
