import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COACH, startTestServer, type TestServer } from '../server.test-helper.js';

let test: TestServer;

beforeEach(async () => {
  test = await startTestServer({ features: [] });
});
afterEach(() => test.close());

const created = async (body: unknown = COACH) => {
  const response = await test.call('POST', '/api/features', { body, token: test.tokens.editor });
  expect(response.statusCode).toBe(201);
  return response;
};

describe('feature routes', () => {
  it('creates a feature at version 1, audited with the token name as actor', async () => {
    const response = await test.call('POST', '/api/features?reason=first%20rollout', {
      body: { ...COACH, version: 7 },
      token: test.tokens.editor,
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers.location).toBe('/api/features/coach-reply');
    expect(response.json()).toMatchObject({ key: 'coach-reply', version: 1, archived: false });
    const [entry] = (await test.server.context.store.listAudit({ target: 'feature:coach-reply' })).entries;
    expect(entry).toMatchObject({
      actor: 'token:editor-token',
      action: 'feature.create',
      reason: 'first rollout',
    });
    const again = await test.call('POST', '/api/features', { body: COACH });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALREADY_EXISTS');
  });

  it('lists live features, and archived ones when asked', async () => {
    await created();
    await created({ ...COACH, key: 'gone' });
    expect((await test.call('DELETE', '/api/features/gone')).statusCode).toBe(200);
    const live = await test.call('GET', '/api/features', { token: test.tokens.viewer });
    expect(live.json().features.map((feature: { key: string }) => feature.key)).toEqual(['coach-reply']);
    const all = await test.call('GET', '/api/features?archived=true');
    expect(all.json().features.map((feature: { key: string }) => feature.key)).toEqual([
      'coach-reply',
      'gone',
    ]);
  });

  it('returns one feature with its version as ETag, 404 for an unknown or archived key', async () => {
    await created();
    const response = await test.call('GET', '/api/features/coach-reply');
    expect(response.headers.etag).toBe('"1"');
    expect(response.json().config.rules[0]).toMatchObject({ id: 'rollout', coverage: 1 });
    const missing = await test.call('GET', '/api/features/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toEqual({ code: 'FEATURE_NOT_FOUND', message: 'feature "nope" not found' });
  });

  it('replaces a config with PUT given the version in the body or If-Match, 409 when stale', async () => {
    await created();
    const changed = { ...COACH, description: 'second' };
    const byBody = await test.call('PUT', '/api/features/coach-reply', { body: { ...changed, version: 1 } });
    expect(byBody.json()).toMatchObject({ version: 2, config: { description: 'second' } });
    const byHeader = await test.call('PUT', '/api/features/coach-reply', {
      body: { ...COACH, description: 'third' },
      headers: { 'if-match': '"2"' },
    });
    expect(byHeader.json().version).toBe(3);
    const stale = await test.call('PUT', '/api/features/coach-reply', { body: { ...changed, version: 2 } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
    const missing = await test.call('PUT', '/api/features/coach-reply', { body: changed });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.path).toBe('version');
    expect((await test.call('GET', '/api/features/coach-reply')).json().version).toBe(3);
  });

  it('writes nothing for an identical PUT and keeps a kill a PUT does not mention', async () => {
    await created();
    const same = await test.call('PUT', '/api/features/coach-reply', { body: { ...COACH, version: 1 } });
    expect(same.json().version).toBe(1);
    await test.call('POST', '/api/features/coach-reply/kill', { body: { reason: 'p95 above 8 s' } });
    const put = await test.call('PUT', '/api/features/coach-reply', {
      body: { ...COACH, description: 'edited', version: 2 },
    });
    expect(put.json().config).toMatchObject({
      killed: true,
      killReason: 'p95 above 8 s',
      description: 'edited',
    });
    const decision = await test.call('POST', '/api/decide', { body: { feature: 'coach-reply' } });
    expect(decision.json().reason).toBe('KILLED');
  });

  it('applies a JSON merge patch, validates the merged config, and checks the version', async () => {
    await created({ ...COACH, tags: ['a', 'b'], description: 'first' });
    const patched = await test.call('PATCH', '/api/features/coach-reply', {
      body: JSON.stringify({ version: 1, description: null, tags: ['c'], rules: [{ serve: 'v2' }] }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(patched.statusCode).toBe(200);
    const { config } = patched.json();
    expect(config.description).toBeUndefined();
    expect(config.tags).toEqual(['c']);
    expect(config.rules).toEqual([{ serve: 'v2' }]);
    expect(config.variants.v2.payload).toEqual({ prompt: 'v2' });
    const unknownVariant = await test.call('PATCH', '/api/features/coach-reply', {
      body: { rules: [{ serve: 'v9' }] },
      headers: { 'if-match': '2' },
    });
    expect(unknownVariant.statusCode).toBe(422);
    expect(unknownVariant.json().error).toMatchObject({ code: 'INVALID_CONFIG', path: 'rules[0].serve' });
    const stale = await test.call('PATCH', '/api/features/coach-reply', {
      body: { version: 1, enabled: false },
    });
    expect(stale.statusCode).toBe(409);
    const rename = await test.call('PATCH', '/api/features/coach-reply', {
      body: { version: 2, key: 'other' },
    });
    expect(rename.statusCode).toBe(400);
    expect(rename.json().error.path).toBe('key');
    const disagree = await test.call('PATCH', '/api/features/coach-reply', {
      body: { version: 2, enabled: false },
      headers: { 'if-match': '"1"' },
    });
    expect(disagree.json().error.path).toBe('version');
    expect((await test.call('GET', '/api/features/coach-reply')).json().version).toBe(2);
  });

  it('archives with DELETE (If-Match optional, checked when given) and keeps the history readable', async () => {
    await created();
    const stale = await test.call('DELETE', '/api/features/coach-reply', { headers: { 'if-match': '"5"' } });
    expect(stale.statusCode).toBe(409);
    const archived = await test.call('DELETE', '/api/features/coach-reply?reason=replaced', {
      headers: { 'if-match': '"1"' },
    });
    expect(archived.json()).toMatchObject({ archived: true, version: 2 });
    expect((await test.call('DELETE', '/api/features/coach-reply')).statusCode).toBe(404);
    expect((await test.call('GET', '/api/features/coach-reply')).statusCode).toBe(404);
    const history = await test.call('GET', '/api/features/coach-reply/history');
    expect(history.json().entries.map((entry: { action: string }) => entry.action)).toEqual([
      'feature.archive',
      'feature.create',
    ]);
  });

  it('kills, enables and disables, reporting no-ops, and decisions follow at once', async () => {
    await created();
    const decide = async () =>
      (await test.call('POST', '/api/decide', { body: { feature: 'coach-reply', context: {} } })).json()
        .reason;
    const kill = await test.call('POST', '/api/features/coach-reply/kill', { body: { reason: 'incident' } });
    expect(kill.json()).toMatchObject({ changed: true, feature: { version: 2, config: { killed: true } } });
    expect(await decide()).toBe('KILLED');
    const again = await test.call('POST', '/api/features/coach-reply/kill');
    expect(again.json()).toMatchObject({ changed: false, feature: { version: 2 } });
    expect((await test.call('POST', '/api/features/coach-reply/enable', { body: {} })).json().changed).toBe(
      true,
    );
    expect(await decide()).toBe('DEFAULT');
    await test.call('POST', '/api/features/coach-reply/disable', { body: { version: 3 } });
    expect(await decide()).toBe('DISABLED');
    const entries = (await test.call('GET', '/api/features/coach-reply/history?limit=2')).json();
    expect(entries.entries.map((entry: { action: string }) => entry.action)).toEqual([
      'feature.disable',
      'feature.enable',
    ]);
    const next = await test.call(
      'GET',
      `/api/features/coach-reply/history?limit=2&cursor=${entries.nextCursor}`,
    );
    expect(next.json().entries.map((entry: { action: string; reason: string }) => entry.reason)).toEqual([
      'incident',
      null,
    ]);
    expect((await test.call('POST', '/api/features/nope/kill')).statusCode).toBe(404);
    expect((await test.call('GET', '/api/features/nope/history')).statusCode).toBe(404);
  });
});
