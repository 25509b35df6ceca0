import { afterEach, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../core/event-schema.js';
import { startTestServer, type TestServer } from '../server.test-helper.js';

let test: TestServer | undefined;

afterEach(async () => {
  await test?.close();
  test = undefined;
});

function decisionEvent(index: number): TelemetryEvent {
  return {
    type: 'decision',
    id: `ingest-${index}`,
    at: 1_700_000_000_000 + index,
    requestId: `request-${index}`,
    feature: 'coach-reply',
    variant: index % 2 === 0 ? 'v1' : 'v2',
    reason: 'SPLIT',
    ruleId: 'rollout',
    unitId: `user-${index}`,
    version: 1,
  };
}

/** The ingest test events the store holds, ids sorted. */
async function storedIds(server: TestServer): Promise<string[]> {
  const page = await server.server.context.store.listEvents({ limit: 1_000 });
  return page.events
    .map((event) => event.id)
    .filter((id) => id.startsWith('ingest-'))
    .sort();
}

describe('POST /api/events', () => {
  it('stores a batch and counts a batch sent again as duplicates', async () => {
    test = await startTestServer();
    const events = [decisionEvent(1), decisionEvent(2), decisionEvent(3)];
    const first = await test.call('POST', '/api/events', { token: test.tokens.sdk, body: { events } });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ inserted: 3, duplicates: 0 });

    const again = await test.call('POST', '/api/events', {
      token: test.tokens.sdk,
      body: { events: [decisionEvent(3), decisionEvent(4)] },
    });
    expect(again.json()).toEqual({ inserted: 1, duplicates: 1 });
    expect(await storedIds(test)).toEqual(['ingest-1', 'ingest-2', 'ingest-3', 'ingest-4']);
    const stored = await test.server.context.store.listEvents({ requestId: 'request-2' });
    expect(stored.events).toEqual([decisionEvent(2)]);
  });

  it('refuses a batch with any bad event, naming each problem by path, and stores nothing', async () => {
    test = await startTestServer();
    const { at: _at, ...withoutTime } = decisionEvent(3) as TelemetryEvent & { at?: number };
    const events = [
      decisionEvent(0),
      { ...decisionEvent(1), reason: 'BECAUSE' },
      decisionEvent(2),
      withoutTime,
      { ...decisionEvent(4), extra: true },
    ];
    const response = await test.call('POST', '/api/events', { token: test.tokens.sdk, body: { events } });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error).toMatchObject({ code: 'INVALID_INPUT', path: 'events[1].reason' });
    const paths = (error.problems as Array<{ path: string }>).map((problem) => problem.path);
    expect(paths).toEqual(['events[1].reason', 'events[3].at', 'events[4]']);
    expect(error.message).toContain('events[3].at');
    expect(await storedIds(test)).toEqual([]);
  });

  it('refuses bodies that are not a batch', async () => {
    test = await startTestServer();
    const cases: Array<[unknown, string | undefined]> = [
      [{}, 'events'],
      [{ events: {} }, 'events'],
      [{ events: [], more: 1 }, undefined],
      [[decisionEvent(1)], undefined],
      [{ events: [{ type: 'exposure', id: 'x' }] }, 'events[0].type'],
    ];
    for (const [body, path] of cases) {
      const response = await test.call('POST', '/api/events', { token: test.tokens.sdk, body });
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      if (path !== undefined) expect(response.json().error.path, JSON.stringify(body)).toBe(path);
    }
    const broken = await test.call('POST', '/api/events', { token: test.tokens.sdk, body: '{"events": [' });
    expect(broken.statusCode).toBe(400);
  });

  it('takes 10,000 events in one batch, beyond the 1 MiB limit of other routes, and refuses 10,001', async () => {
    test = await startTestServer();
    const events = Array.from({ length: 10_000 }, (_, index) => decisionEvent(index));
    const body = JSON.stringify({ events });
    expect(body.length).toBeGreaterThan(1_048_576);
    const response = await test.call('POST', '/api/events', { token: test.tokens.sdk, body });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ inserted: 10_000, duplicates: 0 });

    const tooMany = await test.call('POST', '/api/events', {
      token: test.tokens.sdk,
      body: { events: [...events, decisionEvent(10_000)] },
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error).toMatchObject({ path: 'events', message: expect.stringContaining('10000') });
  });

  it('answers 413 above its own body limit', async () => {
    test = await startTestServer();
    const response = await test.call('POST', '/api/events', {
      token: test.tokens.sdk,
      body: `{"events":[],"padding":"${'x'.repeat(17 * 1_048_576)}"}`,
    });
    expect(response.statusCode).toBe(413);
  });
});
