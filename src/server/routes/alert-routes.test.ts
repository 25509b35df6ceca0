import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../server.test-helper.js';

const T0 = Date.parse('2026-06-01T08:00:00Z');

describe('alert and ramp routes', () => {
  let test: TestServer;

  beforeAll(async () => {
    test = await startTestServer({
      clock: () => T0,
      features: [
        {
          key: 'persona',
          defaultVariant: 'legacy',
          variants: { legacy: { type: 'handler' }, qloo: { type: 'handler' } },
          rules: [{ id: 'rollout', split: { qloo: 1 }, ramp: { steps: [5, 50, 100] } }],
        },
      ],
      monitor: { enabled: false },
    });
  });

  afterAll(() => test?.close());

  it('lists, reads and resolves alerts with their evidence, audited under the caller', async () => {
    const { store } = test.server.context;
    const evidence = { kind: 'absolute', value: 0.31, samples: 412, threshold: 0.1, comparator: '>' };
    const { alert } = await store.openAlert({
      id: 'alert-1',
      ruleId: 'fallbacks',
      feature: 'persona',
      metric: 'fallback-rate',
      severity: 'warning',
      action: 'alert',
      evidence,
      at: T0 - 5_000,
    });
    const open = await test.call('GET', '/api/alerts?status=open&feature=persona');
    expect(open.statusCode).toBe(200);
    expect(open.json()).toEqual({ alerts: [alert], nextCursor: null });
    expect((await test.call('GET', '/api/alerts?status=resolved')).json().alerts).toEqual([]);
    expect((await test.call('GET', '/api/alerts/alert-1')).json()).toMatchObject({
      evidence,
      status: 'open',
    });

    const resolved = await test.call('POST', '/api/alerts/alert-1/resolve', {
      token: test.tokens.editor,
      body: { reason: 'cache warmed up' },
    });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({ id: 'alert-1', status: 'resolved', resolvedAt: T0 });
    const audit = (await test.call('GET', '/api/audit?action=alert.resolve')).json().entries;
    expect(audit).toMatchObject([
      {
        actor: 'token:editor-token',
        target: 'feature:persona',
        reason: 'cache warmed up',
        after: { status: 'resolved' },
      },
    ]);
    // Again: nothing changes and nothing more is audited.
    await test.call('POST', '/api/alerts/alert-1/resolve', { body: {} });
    expect((await test.call('GET', '/api/audit?action=alert.resolve')).json().entries).toHaveLength(1);
  });

  it('answers 404 for unknown alerts and 400 naming bad query fields', async () => {
    const missing = await test.call('GET', '/api/alerts/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toBe('alert "nope" not found');
    expect((await test.call('POST', '/api/alerts/nope/resolve', { body: {} })).statusCode).toBe(404);
    const bad = await test.call('GET', '/api/alerts?status=closed');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.path).toBe('status');
    expect((await test.call('GET', '/api/alerts?cursor=garbage')).json().error.path).toBe('cursor');
  });

  it("pauses and resumes a feature's ramp, 409 when its state does not allow it", async () => {
    const paused = await test.call('POST', '/api/features/persona/ramp/pause', { body: { reason: 'quota' } });
    expect(paused.statusCode).toBe(200);
    expect(paused.json().config.rules[0].ramp).toMatchObject({ status: 'paused', reason: 'quota' });
    const twice = await test.call('POST', '/api/features/persona/ramp/pause', { body: {} });
    expect(twice.statusCode).toBe(409);
    const resumed = await test.call('POST', '/api/features/persona/ramp/resume');
    expect(resumed.json().config.rules[0].ramp).toMatchObject({ status: 'running', stepStartedAt: T0 });
    const none = await test.call('POST', '/api/features/coach-reply/ramp/pause', { body: {} });
    expect(none.statusCode).toBe(404);
  });
});
