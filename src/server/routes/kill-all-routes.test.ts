import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeatureConfigInput } from '../../core/feature-config.js';
import { createSwitchyard } from '../../runtime/client/create-switchyard.js';
import type { Switchyard } from '../../runtime/client/switchyard-client.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { COACH, startTestServer, type TestServer } from '../server.test-helper.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const handlerFeature = (key: string): FeatureConfigInput => ({
  key,
  defaultVariant: 'v1',
  variants: { v1: { type: 'handler' }, v2: { type: 'handler' } },
  rules: [{ id: 'everyone', serve: 'v2' }],
});
const FEATURES = [COACH, handlerFeature('summarize'), handlerFeature('translate')];
const context = { attributes: { userId: 'user-7' } };
const handlers = { v1: () => 'default answer', v2: () => 'new answer' };

async function serverWith(store?: Store): Promise<TestServer> {
  const test = await startTestServer({ features: FEATURES, ...(store ? { store } : {}) });
  cleanups.push(() => test.close());
  return test;
}

const killAll = (test: TestServer, body?: unknown, token?: string) =>
  test.call('POST', '/api/kill-all', {
    ...(body === undefined ? {} : { body }),
    ...(token ? { token } : {}),
  });

describe('POST /api/kill-all', () => {
  it('kills every feature not killed yet, audits each kill under the caller, and says what it did', async () => {
    const test = await serverWith();
    await test.call('POST', '/api/features/translate/kill', { body: { reason: 'bad translations' } });

    const response = await killAll(test, { reason: 'provider outage' }, test.tokens.editor);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      killed: [
        { key: 'coach-reply', version: 2 },
        { key: 'summarize', version: 2 },
      ],
      alreadyKilled: ['translate'],
      failed: [],
    });

    const audit = (await test.call('GET', '/api/audit?action=feature.kill&limit=10')).json();
    expect(
      audit.entries.map((entry: { target: string; actor: string; reason: string }) => [
        entry.target,
        entry.actor,
        entry.reason,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['feature:coach-reply', 'token:editor-token', 'kill-all: provider outage'],
        ['feature:summarize', 'token:editor-token', 'kill-all: provider outage'],
      ]),
    );
    expect(audit.entries).toHaveLength(3);
    const decided = await test.call('POST', '/api/decide', { body: { feature: 'summarize', context } });
    expect(decided.json()).toMatchObject({ variant: 'v1', reason: 'KILLED' });

    // Without a body as well; nothing left to kill.
    expect((await killAll(test)).json()).toEqual({
      killed: [],
      alreadyKilled: ['coach-reply', 'summarize', 'translate'],
      failed: [],
    });
  });

  it('refuses callers without `write`, and bad bodies naming the field, writing nothing', async () => {
    const test = await serverWith();
    const before = await test.snapshot();
    expect((await killAll(test, {}, test.tokens.viewer)).statusCode).toBe(403);
    expect((await killAll(test, {}, test.tokens.sdk)).statusCode).toBe(403);
    for (const body of [{ reason: '' }, { reason: '  ' }, { reason: 'x'.repeat(1_991) }, { reason: 7 }]) {
      const response = await killAll(test, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'INVALID_INPUT', path: 'reason' });
    }
    const unknownField = await killAll(test, { reason: 'x', force: true });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().error.message).toContain('force');
    expect(await test.snapshot()).toEqual(before);
  });

  it('answers 200 with the features it could not kill listed, having killed all the others', async () => {
    const inner = await openStore('sqlite::memory:');
    cleanups.push(() => inner.close());
    // A store that cannot write one feature: the stop must still reach every other one.
    const store = new Proxy(inner, {
      get(target, property) {
        const value = Reflect.get(target, property, target);
        if (property === 'updateFeature') {
          return (key: string, ...rest: unknown[]) =>
            key === 'summarize'
              ? Promise.reject(new Error('relation "features" is locked'))
              : (value as (...args: unknown[]) => unknown).call(target, key, ...rest);
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const test = await serverWith(store);

    const response = await killAll(test, { reason: 'outage' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      killed: [
        { key: 'coach-reply', version: 2 },
        { key: 'translate', version: 2 },
      ],
      alreadyKilled: [],
      // The store's own words stay in the server log.
      failed: [{ key: 'summarize', code: 'INTERNAL', message: 'internal error (see the server log)' }],
    });
    expect((await inner.getFeature('translate'))?.config.killed).toBe(true);
    expect((await inner.getFeature('summarize'))?.config.killed).toBeUndefined();
  });
});

describe('kill-all as SDKs see it', () => {
  it('makes remote and store-mode clients serve the default within 1 s; enable restores one feature', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'switchyard-kill-all-'));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    const storeUrl = `sqlite:${join(directory, 'switchyard.db')}`;
    const test = await startTestServer({ features: FEATURES, store: storeUrl });
    cleanups.push(() => test.close());
    const url = await test.server.listen();
    const remote = await createSwitchyard({
      server: url,
      token: test.tokens.sdk,
      handlers,
      telemetry: { flushOnSignals: false },
    });
    cleanups.push(() => remote.close());
    // Its own connection to the server's database, as another process would have.
    const local = await createSwitchyard({
      store: storeUrl,
      handlers,
      telemetry: { flushOnSignals: false },
    });
    cleanups.push(() => local.close());
    const clients: Array<[string, Switchyard]> = [
      ['remote', remote],
      ['store', local],
    ];
    const reasons = (client: Switchyard) =>
      Object.fromEntries(client.features().map((key) => [key, client.decide(key, context).reason]));
    for (const [name, client] of clients) {
      expect(reasons(client), name).toMatchObject({
        summarize: 'TARGETING_MATCH',
        translate: 'TARGETING_MATCH',
      });
    }

    expect((await killAll(test, { reason: 'drill' })).statusCode).toBe(200);
    const allKilled = { 'coach-reply': 'KILLED', summarize: 'KILLED', translate: 'KILLED' };
    await Promise.all(
      clients.map(([name, client]) =>
        expect.poll(() => reasons(client), { timeout: 1_000, interval: 5, message: name }).toEqual(allKilled),
      ),
    );
    for (const [name, client] of clients) {
      const run = await client.run('summarize', context, { input: 'hi' });
      expect(run, name).toMatchObject({ variant: 'v1', value: 'default answer' });
    }

    expect((await test.call('POST', '/api/features/summarize/enable', { body: {} })).statusCode).toBe(200);
    const oneBack = { 'coach-reply': 'KILLED', summarize: 'TARGETING_MATCH', translate: 'KILLED' };
    await Promise.all(
      clients.map(([name, client]) =>
        expect.poll(() => reasons(client), { timeout: 1_000, interval: 5, message: name }).toEqual(oneBack),
      ),
    );
  });
});
