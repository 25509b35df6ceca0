import { afterEach, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../core/event-schema.js';
import { parseFeature } from '../../core/validate-feature.js';
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

  it('refuses events for features the store does not hold, naming each, and stores nothing', async () => {
    test = await startTestServer();
    const events = [
      decisionEvent(0),
      { ...decisionEvent(1), feature: 'made-up' },
      decisionEvent(2),
      { ...decisionEvent(3), feature: '=HYPERLINK("x")' },
    ];
    const response = await test.call('POST', '/api/events', { token: test.tokens.sdk, body: { events } });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error).toMatchObject({ code: 'INVALID_INPUT', path: 'events[1].feature' });
    expect(error.problems).toEqual([
      { path: 'events[1].feature', message: 'unknown feature "made-up"' },
      { path: 'events[3].feature', message: 'unknown feature "=HYPERLINK("x")"' },
    ]);
    expect(await storedIds(test)).toEqual([]);
  });

  it('takes events for a feature created on another server since the last poll', async () => {
    test = await startTestServer({ configPollIntervalMs: 60_000 });
    const created = await test.server.context.store.createFeature(
      parseFeature({ key: 'brand-new', defaultVariant: 'v1', variants: { v1: { type: 'handler' } } }),
      { actor: 'elsewhere' },
    );
    expect(created.key).toBe('brand-new');
    expect(test.server.context.configPoller.knows('brand-new')).toBe(false);
    const events = [{ ...decisionEvent(1), feature: 'brand-new' }, decisionEvent(2)];
    const response = await test.call('POST', '/api/events', { token: test.tokens.sdk, body: { events } });
    expect(response.statusCode).toBe(200);
    expect(await storedIds(test)).toEqual(['ingest-1', 'ingest-2']);
  });

  it('refuses text over its documented limit, naming the field', async () => {
    test = await startTestServer();
    const call = {
      type: 'call',
      id: 'ingest-long',
      at: 1_700_000_000_000,
      requestId: 'request-long',
      feature: 'coach-reply',
      scope: 'run',
      variant: 'v1',
      servedVariant: 'v1',
      outcome: 'success',
      errorClass: null,
      errorMessage: null,
      fallback: false,
      cached: false,
      latencyMs: 1,
      inputTokens: 1,
      outputTokens: 1,
      costUsd: 0,
      provider: 'openai',
      model: 'gpt',
      attempts: 1,
      unitId: 'u',
    };
    const cases: Array<[string, number]> = [
      ['unitId', 500],
      ['model', 200],
      ['provider', 100],
      ['variant', 64],
      ['prompt', 65_536],
      ['output', 65_536],
      ['errorMessage', 2_000],
    ];
    for (const [field, limit] of cases) {
      const atLimit = await test.call('POST', '/api/events', {
        token: test.tokens.sdk,
        body: { events: [{ ...call, id: `ingest-${field}`, [field]: 'x'.repeat(limit) }] },
      });
      expect(atLimit.statusCode, field).toBe(200);
      const over = await test.call('POST', '/api/events', {
        token: test.tokens.sdk,
        body: { events: [{ ...call, id: `ingest-${field}-over`, [field]: 'x'.repeat(limit + 1) }] },
      });
      expect(over.statusCode, field).toBe(400);
      expect(over.json().error.path, field).toBe(`events[0].${field}`);
    }
    const document = (await test.call('GET', '/openapi.json')).json();
    const text = JSON.stringify(document.paths['/api/events'].post.requestBody);
    for (const [, limit] of cases) expect(text).toContain(`"maxLength":${limit}`);
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
