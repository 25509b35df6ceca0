import { createServer as createHttpServer, type Server } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSwitchyard, type SwitchyardOptions } from '../runtime/client/create-switchyard.js';
import type { Switchyard } from '../runtime/client/switchyard-client.js';
import { switchFeature } from '../store/feature-commands.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { createServer, type SwitchyardServer } from './create-server.js';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer, UNKNOWN_TOKEN } from './server.test-helper.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

const context = { attributes: { userId: 'user-7' } };
const handlers = { v1: () => 'legacy answer', v2: () => 'new answer' };

async function serverOn(
  options: Parameters<typeof startTestServer>[0] = {},
): Promise<TestServer & { url: string }> {
  const test = await startTestServer({ configPollIntervalMs: 50, ...options });
  const url = await test.server.listen();
  cleanups.push(() => test.close());
  return Object.assign(test, { url });
}

async function remoteClient(
  url: string,
  token: string,
  options: SwitchyardOptions = {},
): Promise<Switchyard> {
  const client = await createSwitchyard({
    server: url,
    token,
    handlers,
    telemetry: { flushOnSignals: false, flushIntervalMs: 50 },
    remote: { reconnectInitialDelayMs: 20, reconnectMaxDelayMs: 200 },
    ...options,
  });
  cleanups.push(() => client.close());
  return client;
}

/** Records every answer the client's fetch calls get, as `GET /api/config 304`. */
function recordFetches(): string[] {
  const log: string[] = [];
  const original = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const response = await original(input, init);
    log.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname} ${response.status}`);
    return response;
  });
  return log;
}

/** A server started again on a store and port a previous one used; the tokens issued before stay valid. */
async function restartOn(store: Store, port: number): Promise<SwitchyardServer> {
  const server = await createServer({ store, port, adminToken: TEST_ADMIN_TOKEN, configPollIntervalMs: 50 });
  await server.listen();
  cleanups.push(() => server.close());
  return server;
}

const kill = (server: SwitchyardServer) =>
  server.app.inject({
    method: 'POST',
    url: '/api/features/coach-reply/kill',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    payload: '{}',
  });

/** A store that outlives the servers started on it, as PostgreSQL outlives a restarted server. */
async function sharedStore(): Promise<Store> {
  const store = await openStore('sqlite::memory:');
  cleanups.unshift(() => store.close());
  return store;
}

const portOf = (url: string) => Number(new URL(url).port);

describe('createSwitchyard against a server', () => {
  it('decides locally as the server does, and obeys a kill made through the API within 1 second', async () => {
    const test = await serverOn();
    const client = await remoteClient(test.url, test.tokens.sdk);
    expect(client.features()).toEqual(['coach-reply']);
    for (const userId of ['a', 'b', 'c', 'd', 'e', 'f']) {
      const local = client.decide('coach-reply', { attributes: { userId } });
      const served = await test.call('POST', '/api/decide', {
        body: { feature: 'coach-reply', context: { attributes: { userId } } },
      });
      expect(local).toEqual(served.json());
    }

    expect((await test.call('POST', '/api/features/coach-reply/kill', { body: {} })).statusCode).toBe(200);
    await expect
      .poll(() => client.decide('coach-reply', context).reason, { timeout: 1_000, interval: 5 })
      .toBe('KILLED');
    expect(await client.run('coach-reply', context, { input: 'hi' })).toMatchObject({
      value: 'legacy answer',
    });

    const created = await test.call('POST', '/api/features', {
      body: { key: 'fresh', defaultVariant: 'v1', variants: { v1: { type: 'handler' } } },
    });
    expect(created.statusCode).toBe(201);
    await expect
      .poll(() => client.features(), { timeout: 1_000, interval: 5 })
      .toEqual(['coach-reply', 'fresh']);
    await test.call('DELETE', '/api/features/fresh');
    await expect.poll(() => client.features(), { timeout: 1_000, interval: 5 }).toEqual(['coach-reply']);
  });

  it("sends its telemetry to the server's store, once per event", async () => {
    const test = await serverOn();
    const client = await remoteClient(test.url, test.tokens.sdk);
    client.decide('coach-reply', context);
    const run = await client.run('coach-reply', context, { input: 'hello' });
    client.feedback(run.requestId, { accepted: true });
    await client.close();
    const stats = client.telemetryStats();
    expect(stats).toMatchObject({ dropped: 0, buffered: 0 });
    const runEvents = (await test.server.context.store.listEvents({ requestId: run.requestId })).events;
    expect(runEvents.map((event) => event.type).sort()).toEqual(['call', 'call', 'decision', 'feedback']);
    const all = (await test.server.context.store.listEvents({ limit: 1_000 })).events;
    expect(all).toHaveLength(stats.written);
  });

  it('answers 304 to a refresh when nothing changed, and takes the new config when something did', async () => {
    const test = await serverOn();
    const client = await remoteClient(test.url, test.tokens.sdk);
    const fetches = recordFetches();
    await client.refresh();
    expect(fetches).toEqual(['GET /api/config 304']);
    await test.server.context.store.updateFeature(
      'coach-reply',
      { ...client.featureConfig('coach-reply'), description: 'changed behind its back' },
      { actor: 'test', expectedVersion: 1 },
    );
    // The server serves what its poller last read; the stream may bring the change first, the refresh still asks.
    await test.server.context.configPoller.refresh();
    await client.refresh();
    expect(fetches).toEqual(['GET /api/config 304', 'GET /api/config 200']);
    expect(client.featureConfig('coach-reply').description).toBe('changed behind its back');
  });

  it('follows the server again after a restart, catching up with what changed while it was away', async () => {
    const store = await sharedStore();
    const first = await serverOn({ store });
    const port = portOf(first.url);
    const client = await remoteClient(first.url, first.tokens.sdk);
    const fetches = recordFetches();

    // Restarted with nothing changed: the catch-up is a 304, then a new stream.
    await first.close();
    const second = await restartOn(store, port);
    await expect
      .poll(() => fetches.filter((line) => line === 'GET /api/config/stream 200').length, { timeout: 5_000 })
      .toBe(1);
    expect(fetches).toContain('GET /api/config 304');
    expect((await kill(second)).statusCode).toBe(200);
    await expect
      .poll(() => client.decide('coach-reply', context).reason, { timeout: 1_000, interval: 5 })
      .toBe('KILLED');

    // Changed while no server ran (straight in the store): the catch-up brings it.
    await second.close();
    await switchFeature(store, 'coach-reply', 'enable', { actor: 'cli' });
    fetches.length = 0;
    await restartOn(store, port);
    await expect
      .poll(() => client.decide('coach-reply', context).reason, { timeout: 5_000, interval: 5 })
      .not.toBe('KILLED');
    expect(fetches).toContain('GET /api/config 200');
  });

  it('reopens a stream that went silent', async () => {
    const streams: string[] = [];
    const document = JSON.stringify({ revision: 0, features: [] });
    const silent: Server = createHttpServer((request, response) => {
      if (request.url === '/api/config') {
        response.writeHead(200, { 'content-type': 'application/json', etag: '"same"' }).end(document);
        return;
      }
      streams.push(request.url ?? '');
      // One event, then nothing: no keep-alive, no end, as a stalled proxy would leave it.
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`event: config\ndata: ${document}\n\n`);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise((resolve) => {
          silent.closeAllConnections();
          silent.close(resolve);
        }),
    );
    const address = silent.address() as { port: number };
    const errors: unknown[] = [];
    await remoteClient(`http://127.0.0.1:${address.port}`, UNKNOWN_TOKEN, {
      remote: { streamIdleTimeoutMs: 100, reconnectInitialDelayMs: 10, reconnectMaxDelayMs: 20 },
      onError: (error) => errors.push(error),
    });
    await expect.poll(() => streams.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
    expect(String(errors[0])).toContain('silent for 100 ms');
  });

  it('keeps telemetry while the server is down and delivers it when the server is back', async () => {
    const store = await sharedStore();
    const first = await serverOn({ store });
    const port = portOf(first.url);
    const client = await remoteClient(first.url, first.tokens.sdk);
    await first.close();
    const decided = [client.decide('coach-reply', context), client.decide('coach-reply', context)];
    expect(decided.map((decision) => decision.reason)).toEqual(['SPLIT', 'SPLIT']);
    await expect.poll(() => client.telemetryStats().failedBatches, { timeout: 5_000 }).toBeGreaterThan(0);
    await restartOn(store, port);
    await client.close();
    expect(client.telemetryStats()).toMatchObject({ written: 2, dropped: 0, buffered: 0 });
    expect((await store.listEvents({ type: 'decision' })).events).toHaveLength(2);
  });

  it('closes in bounded time when the server is gone, counting the events it could not send', async () => {
    const test = await serverOn();
    const client = await remoteClient(test.url, test.tokens.sdk);
    await test.close();
    client.decide('coach-reply', context);
    await client.close();
    expect(client.telemetryStats()).toMatchObject({ written: 0, dropped: 1, buffered: 0 });
  });
});

describe('remote options', () => {
  it('refuses options that mix store and server, or give half of the pair, naming each field', async () => {
    const server = 'http://127.0.0.1:1';
    const token = UNKNOWN_TOKEN;
    const cases: Array<[SwitchyardOptions, string[]]> = [
      [{ server }, ['token']],
      [{ token }, ['server']],
      [{ server, token, store: 'sqlite::memory:' }, ['store']],
      [{ server, token, features: [] }, ['features']],
      [{ server, token, refreshIntervalMs: 100 }, ['refreshIntervalMs']],
      [{ remote: { requestTimeoutMs: 1_000 } }, ['remote']],
      [{ server: 'ftp://127.0.0.1', token }, ['server']],
      [{ server: 'not a url', token }, ['server']],
      [{ server, token: 'secret' }, ['token']],
      [{ server, token, remote: { requestTimeoutMs: 0 } }, ['remote.requestTimeoutMs']],
    ];
    for (const [options, paths] of cases) {
      const attempt = createSwitchyard({ ...options, telemetry: { flushOnSignals: false } });
      const error = await attempt.then(
        () => undefined,
        (thrown: unknown) => thrown as { code?: string; problems?: Array<{ path: string }> },
      );
      expect(error?.code, JSON.stringify(options)).toBe('INVALID_CONFIG');
      expect(
        error?.problems?.map((problem) => problem.path),
        JSON.stringify(options),
      ).toEqual(paths);
    }
  });

  it('names the token when the server refuses it, and the server when nothing answers', async () => {
    const test = await serverOn();
    await expect(remoteClient(test.url, UNKNOWN_TOKEN)).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      problems: [{ path: 'token', message: expect.stringContaining('401') }],
    });
    await expect(remoteClient(`${test.url}/nothing-here`, test.tokens.sdk)).rejects.toMatchObject({
      problems: [{ path: 'server' }],
    });
    const port = portOf(test.url);
    await test.close();
    await expect(remoteClient(`http://127.0.0.1:${port}`, test.tokens.sdk)).rejects.toMatchObject({
      name: 'RemoteRequestError',
      status: undefined,
      retryable: true,
    });
  });
});
