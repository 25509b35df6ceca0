import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../server.test-helper.js';

let test: TestServer;
let now = Date.UTC(2025, 0, 1);

beforeAll(async () => {
  test = await startTestServer({ features: [], clock: () => now });
  for (const key of ['first', 'second', 'third']) {
    now += 60_000;
    await test.call('POST', '/api/features', {
      token: test.tokens.editor,
      body: { key, defaultVariant: 'v1', variants: { v1: { type: 'handler' } } },
    });
  }
  now += 60_000;
  await test.call('POST', '/api/features/first/kill', { body: { reason: 'incident' } });
});
afterAll(() => test.close());

type Entry = { action: string; target: string; actor: string };
const list = async (query: string): Promise<{ entries: Entry[]; nextCursor: string | null }> => {
  const response = await test.call('GET', `/api/audit${query}`, { token: test.tokens.viewer });
  expect(response.statusCode).toBe(200);
  return response.json();
};

describe('GET /api/audit', () => {
  it('filters by target, actor and action', async () => {
    expect((await list('?target=feature:first')).entries.map((entry) => entry.action)).toEqual([
      'feature.kill',
      'feature.create',
    ]);
    expect((await list('?actor=token:admin')).entries.map((entry) => entry.target)).toEqual([
      'feature:first',
    ]);
    const creates = (await list('?action=feature.create&actor=token:editor-token')).entries;
    expect(creates.map((entry) => entry.target)).toEqual([
      'feature:third',
      'feature:second',
      'feature:first',
    ]);
  });

  it('takes from and to as epoch milliseconds or ISO dates, as a half-open window', async () => {
    const second = Date.UTC(2025, 0, 1, 0, 2);
    const byEpoch = await list(`?from=${second}&to=${second + 60_000}&action=feature.create`);
    expect(byEpoch.entries.map((entry) => entry.target)).toEqual(['feature:second']);
    const byDate = await list('?from=2025-01-01T00:02:00Z&to=2025-01-01T00:04:00Z&action=feature.create');
    expect(byDate.entries.map((entry) => entry.target)).toEqual(['feature:third', 'feature:second']);
  });

  it('pages newest first by cursor', async () => {
    const first = await list('?limit=3');
    expect(first.entries).toHaveLength(3);
    const rest = await list(`?limit=3&cursor=${first.nextCursor}`);
    const all = (await list('')).entries;
    expect([...first.entries, ...rest.entries]).toEqual(
      all.slice(0, first.entries.length + rest.entries.length),
    );
    expect(all.at(-1)?.action).toBe('token.create');
  });
});
