import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { featureConfigSchema } from '../../core/feature-config.js';
import { COACH, startTestServer, type TestServer } from '../server.test-helper.js';

let test: TestServer | undefined;

afterEach(async () => {
  await test?.close();
  test = undefined;
});

/** Reads server-sent events from a fetch body, one parsed event per call. */
function eventReader(body: ReadableStream<Uint8Array>) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return {
    /** The next event or comment block, or undefined when the stream ended. */
    async next(): Promise<{ event?: string; id?: string; data?: unknown; comment?: string } | undefined> {
      while (!buffer.includes('\n\n')) {
        const { value, done } = await reader.read();
        if (done) return undefined;
        buffer += value;
      }
      const end = buffer.indexOf('\n\n');
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = Object.fromEntries(
        block.split('\n').map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon) || 'comment', line.slice(colon + 1).trim()];
        }),
      );
      return { ...fields, ...(fields.data === undefined ? {} : { data: JSON.parse(fields.data) }) };
    },
    cancel: () => reader.cancel(),
  };
}

describe('GET /api/config', () => {
  it('serves every live feature with its version and the revision, with a strong ETag and 304', async () => {
    test = await startTestServer();
    const first = await test.call('GET', '/api/config', { token: test.tokens.sdk });
    expect(first.statusCode).toBe(200);
    const document = first.json();
    expect(document.revision).toBe(1);
    expect(document.features).toEqual([
      {
        key: 'coach-reply',
        version: 1,
        revision: 1,
        config: { ...featureConfigSchema.parse(COACH), version: 1 },
      },
    ]);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const cached = await test.call('GET', '/api/config', {
        token: test.tokens.sdk,
        headers: { 'if-none-match': header },
      });
      expect(cached.statusCode).toBe(304);
      expect(cached.body).toBe('');
    }
    await test.call('POST', '/api/features/coach-reply/kill');
    const changed = await test.call('GET', '/api/config', {
      token: test.tokens.sdk,
      headers: { 'if-none-match': etag },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.json()).toMatchObject({
      revision: 2,
      features: [{ version: 2, config: { killed: true } }],
    });
  });
  it('answers brotli or gzip as Accept-Encoding asks, each coding with its own ETag, all matching 304', async () => {
    test = await startTestServer();
    const { store } = test.server.context;
    for (let index = 0; index < 20; index++) {
      await store.createFeature(featureConfigSchema.parse({ ...COACH, key: `feature-${index}` }), {
        actor: 'cli',
      });
    }
    await test.server.context.configPoller.refresh();
    const get = (headers: Record<string, string>) =>
      test!.call('GET', '/api/config', { token: test!.tokens.sdk, headers });
    const plain = await get({});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(plain.json().features).toHaveLength(21);
    const etag = plain.headers.etag as string;

    const brotli = await get({ 'accept-encoding': 'gzip, deflate, br' });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers.etag).toBe(`${etag.slice(0, -1)}-br"`);
    expect(brotliDecompressSync(brotli.rawPayload).toString()).toBe(plain.body);
    expect(brotli.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);

    const gzip = await get({ 'accept-encoding': 'br;q=0, gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.headers.etag).toBe(`${etag.slice(0, -1)}-gzip"`);
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);

    const refused = await get({ 'accept-encoding': 'gzip;q=0, br;q=0, identity' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body).toBe(plain.body);

    for (const held of [etag, brotli.headers.etag as string, gzip.headers.etag as string]) {
      expect((await get({ 'accept-encoding': 'gzip', 'if-none-match': held })).statusCode).toBe(304);
    }
  });
});

describe('GET /api/config/stream', () => {
  it('sends the whole config, then each change (writes from other processes too), then keep-alives', async () => {
    test = await startTestServer({ keepAliveIntervalMs: 50, configPollIntervalMs: 20 });
    const url = await test.server.listen();
    const response = await fetch(`${url}/api/config/stream`, {
      headers: { authorization: `Bearer ${test.tokens.sdk}` },
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = eventReader(response.body!);
    const initial = await events.next();
    expect(initial).toMatchObject({
      event: 'config',
      id: '1',
      data: { revision: 1, features: [{ key: 'coach-reply' }] },
    });

    // Written straight to the store, as another server or the CLI would: the poller must find it.
    const { store } = test.server.context;
    await store.createFeature(featureConfigSchema.parse({ ...COACH, key: 'second' }), { actor: 'cli' });
    await store.archiveFeature('coach-reply', { actor: 'cli' });
    const seen: Array<{ key: string; archived: boolean }> = [];
    let keepAlive = false;
    while (seen.length < 2 || !keepAlive) {
      const next = await events.next();
      if (next?.comment !== undefined) keepAlive = true;
      if (next?.event === 'change') {
        const change = next.data as { revision: number; features: Array<{ key: string; archived: boolean }> };
        expect(next.id).toBe(String(change.revision));
        seen.push(...change.features.map(({ key, archived }) => ({ key, archived })));
      }
    }
    expect(seen).toEqual([
      { key: 'second', archived: false },
      { key: 'coach-reply', archived: true },
    ]);
    await events.cancel();
  });

  it('compresses the stream with gzip when asked, each event flushed as it happens', async () => {
    test = await startTestServer({ keepAliveIntervalMs: 60_000, configPollIntervalMs: 20 });
    const url = await test.server.listen();
    const { request } = await import('node:http');
    const { createGunzip } = await import('node:zlib');
    const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      request(`${url}/api/config/stream`, {
        headers: { authorization: `Bearer ${test!.tokens.sdk}`, 'accept-encoding': 'gzip' },
      })
        .on('response', resolve)
        .on('error', reject)
        .end();
    });
    expect(response.headers['content-encoding']).toBe('gzip');
    const text = response.pipe(createGunzip()).setEncoding('utf8');
    let received = '';
    text.on('data', (chunk: string) => {
      received += chunk;
    });
    // Each event arrives whole without the stream ending: the gzip stream flushes every write.
    await expect.poll(() => received, { timeout: 5_000 }).toMatch(/^event: config\nid: 1\ndata: .*\n\n$/);
    await test.server.context.store.archiveFeature('coach-reply', { actor: 'cli' });
    await expect
      .poll(() => received, { timeout: 5_000 })
      .toMatch(/event: change\nid: 2\ndata: .*"archived":true.*\n\n$/);
    response.destroy();
  });

  it('ends open streams cleanly when the server closes', async () => {
    test = await startTestServer();
    const url = await test.server.listen();
    const streams = await Promise.all(
      [0, 1, 2].map(() =>
        fetch(`${url}/api/config/stream`, { headers: { authorization: `Bearer ${test!.tokens.viewer}` } }),
      ),
    );
    const readers = streams.map((response) => eventReader(response.body!));
    for (const reader of readers) expect((await reader.next())?.event).toBe('config');
    await test.close();
    for (const reader of readers) expect(await reader.next()).toBeUndefined();
  });

  it('stops following the store for a client that went away', async () => {
    test = await startTestServer();
    const url = await test.server.listen();
    const openStreams = async () => {
      const metrics = (await test!.call('GET', '/metrics')).body;
      return Number(/^switchyard_config_streams_open (\d+)$/m.exec(metrics)?.[1]);
    };
    const controller = new AbortController();
    const response = await fetch(`${url}/api/config/stream`, {
      headers: { authorization: `Bearer ${test.tokens.sdk}` },
      signal: controller.signal,
    });
    await eventReader(response.body!).next();
    expect(await openStreams()).toBe(1);
    controller.abort();
    await expect.poll(openStreams, { timeout: 2_000, interval: 20 }).toBe(0);
  });
});
