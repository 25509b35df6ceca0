import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createNetServer, type Server as NetServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProviderTransport, type ProviderTransport } from './provider-transport.js';

/** What the test server saw of one request. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface TestServer {
  url: string;
  seen: Seen[];
  /** Connections the server accepted. */
  connections: () => number;
  /** Connections still open. */
  open: () => number;
  /** Closes the connections that are not serving a request. */
  closeIdle: () => void;
}

const servers: Server[] = [];
const netServers: NetServer[] = [];
const transports: ProviderTransport[] = [];

afterEach(async () => {
  for (const transport of transports.splice(0)) transport.close();
  for (const server of netServers.splice(0)) server.close();
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

async function serve(
  answer: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<TestServer> {
  const seen: Seen[] = [];
  let accepted = 0;
  let open = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      answer(request, response);
    });
  });
  server.on('connection', (socket) => {
    accepted += 1;
    open += 1;
    socket.once('close', () => {
      open -= 1;
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    connections: () => accepted,
    open: () => open,
    closeIdle: () => server.closeIdleConnections(),
  };
}

function transport(options: Parameters<typeof createProviderTransport>[0] = {}): ProviderTransport {
  const created = createProviderTransport(options);
  transports.push(created);
  return created;
}

const json =
  (status: number, body: unknown, headers: Record<string, string | string[]> = {}) =>
  (_request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('createProviderTransport: fetch', () => {
  it('sends the method, headers and body, and answers with status, headers and JSON', async () => {
    const server = await serve(
      json(201, { ok: true }, { 'set-cookie': ['a=1', 'b=2'], 'x-request-id': 'r1' }),
    );
    const response = await transport().fetch(`${server.url}/v1/chat/completions?beta=1`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: 'Bearer k',
        'x-unset': undefined,
      } as never,
      body: '{"model":"m"}',
    });
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get('x-request-id')).toBe('r1');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ ok: true });
    expect(server.seen[0]).toMatchObject({
      method: 'POST',
      url: '/v1/chat/completions?beta=1',
      body: '{"model":"m"}',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k', 'content-length': '13' },
    });
    expect(server.seen[0]?.headers['x-unset']).toBeUndefined();
  });

  it('labels a text body as the global fetch does, and takes headers as a Headers object or pairs', async () => {
    const server = await serve(json(200, {}));
    const { fetch } = transport();
    await fetch(server.url, { method: 'POST', body: 'hi', headers: new Headers({ 'X-One': '1' }) });
    await fetch(server.url, { method: 'POST', body: new Uint8Array([104, 105]), headers: [['X-Two', '2']] });
    expect(server.seen[0]?.headers).toMatchObject({
      'content-type': 'text/plain;charset=UTF-8',
      'x-one': '1',
    });
    expect(server.seen[1]?.headers).toMatchObject({ 'x-two': '2', 'content-length': '2' });
    expect(server.seen[1]?.body).toBe('hi');
  });

  it('streams a body that is not JSON as it arrives', async () => {
    let finish = () => {};
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: first\n\n');
      finish = () => response.end('data: [DONE]\n\n');
    });
    const response = await transport().fetch(server.url, { method: 'POST', body: '{}' });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: first\n\n');
    finish();
    const rest: string[] = [];
    for (let step = await reader.read(); !step.done; step = await reader.read()) {
      rest.push(new TextDecoder().decode(step.value));
    }
    expect(rest.join('')).toBe('data: [DONE]\n\n');
  });

  it("rejects with the signal's reason when aborted before the answer, and fails a streamed body with it", async () => {
    const server = await serve((request, response) => {
      if (request.url === '/slow') return;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: first\n\n');
    });
    const { fetch } = transport();
    const timeout = AbortSignal.timeout(50);
    const early = await rejection(
      fetch(`${server.url}/slow`, { method: 'POST', body: '{}', signal: timeout }),
    );
    expect((early as Error).name).toBe('TimeoutError');

    const controller = new AbortController();
    const response = await fetch(server.url, { method: 'POST', body: '{}', signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const reason = new Error('caller left');
    controller.abort(reason);
    expect(await rejection(reader.read())).toBe(reason);

    const aborted = new AbortController();
    aborted.abort();
    const before = await rejection(fetch(server.url, { method: 'POST', body: '{}', signal: aborted.signal }));
    expect((before as Error).name).toBe('AbortError');
    expect(server.seen.map((request) => request.url)).toEqual(['/slow', '/']);
  });

  it("fails a refused connection with TypeError('fetch failed') and the cause's code", async () => {
    const server = await serve(json(200, {}));
    const url = server.url;
    await new Promise<void>((resolve) => (servers.pop() as Server).close(() => resolve()));
    const error = await rejection(transport().fetch(url, { method: 'POST', body: '{}' }));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('hands requests it does not carry to the fallback', async () => {
    const fallback = vi.fn(async () => new Response('from fallback'));
    const { fetch } = transport({ fallback });
    const form = new FormData();
    form.set('file', 'x');
    await fetch(new Request('http://127.0.0.1:1/'));
    await fetch('http://127.0.0.1:1/', { method: 'POST', body: form });
    await fetch('http://127.0.0.1:1/', { redirect: 'manual' });
    await fetch('data:text/plain,hi');
    expect(fallback).toHaveBeenCalledTimes(4);
  });
});

describe('createProviderTransport: post', () => {
  it('reads the whole answer whatever its status, with lower-case headers, over one kept-alive connection', async () => {
    const server = await serve(json(429, { error: { message: 'slow down' } }, { 'Retry-After': '2' }));
    const { post } = transport();
    const url = new URL(`${server.url}/v1/chat/completions`);
    const first = await post(url, { headers: { 'content-type': 'application/json' }, body: '{"n":1}' });
    const second = await post(url, { headers: { 'content-type': 'application/json' }, body: '{"n":2}' });
    expect(first).toMatchObject({
      status: 429,
      statusText: 'Too Many Requests',
      body: '{"error":{"message":"slow down"}}',
    });
    expect(first.headers['retry-after']).toBe('2');
    expect(second.status).toBe(429);
    expect(server.seen.map((request) => request.body)).toEqual(['{"n":1}', '{"n":2}']);
    expect(server.connections()).toBe(1);
  });

  it('fails an answer that stays silent too long as a timed-out socket', async () => {
    const server = await serve(() => {});
    const error = await rejection(
      transport({ silenceTimeoutMs: 50 }).post(new URL(server.url), { headers: {}, body: '{}' }),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(((error as TypeError).cause as { code?: string }).code).toBe('ETIMEDOUT');
  });

  it('fails a connection reset halfway through the body as a failed fetch', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"partial":');
      setTimeout(() => response.destroy(), 10);
    });
    const error = await rejection(transport().post(new URL(server.url), { headers: {}, body: '{}' }));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
  });

  it('closes its pooled connections on close()', async () => {
    const server = await serve(json(200, {}));
    const created = transport();
    await created.post(new URL(server.url), { headers: {}, body: '{}' });
    expect(server.open()).toBe(1);
    created.close();
    await vi.waitFor(() => expect(server.open()).toBe(0));
    await created.post(new URL(server.url), { headers: {}, body: '{}' });
    expect(server.connections()).toBe(2);
  });

  it('sends the headers it is given, Basic auth from the URL, and reads chunked answers', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"a":');
      setTimeout(() => response.end('1}'), 5);
    });
    const url = new URL(`${server.url.replace('//', '//user:p%40ss@')}/v1/chat?x=1`);
    const answer = await transport().post(url, { headers: { 'X-Custom': 'yes' }, body: 'héllo' });
    expect(answer).toMatchObject({ status: 200, body: '{"a":1}' });
    expect(answer.headers['transfer-encoding']).toBe('chunked');
    const [seen] = server.seen;
    expect(seen).toMatchObject({ method: 'POST', url: '/v1/chat?x=1', body: 'héllo' });
    expect(seen?.headers).toMatchObject({
      'x-custom': 'yes',
      'content-length': String(Buffer.byteLength('héllo')),
      authorization: `Basic ${Buffer.from('user:p@ss').toString('base64')}`,
    });
  });

  it('opens a new connection when the server said close or closed the idle one', async () => {
    let closeNext = true;
    const server = await serve((_request, response) => {
      response.writeHead(200, closeNext ? { connection: 'close' } : {});
      closeNext = false;
      response.end('{}');
    });
    const created = transport();
    const url = new URL(server.url);
    await created.post(url, { headers: {}, body: '{}' });
    await created.post(url, { headers: {}, body: '{}' });
    expect(server.connections()).toBe(2);
    server.closeIdle();
    await vi.waitFor(() => expect(server.open()).toBe(0));
    await created.post(url, { headers: {}, body: '{}' });
    expect(server.connections()).toBe(3);
  });

  it("rejects with the signal's reason when aborted while waiting, and drops that connection", async () => {
    const server = await serve(() => {});
    const controller = new AbortController();
    const pending = transport().post(new URL(server.url), {
      headers: {},
      body: '{}',
      signal: controller.signal,
    });
    await vi.waitFor(() => expect(server.seen).toHaveLength(1));
    const reason = new Error('caller went away');
    controller.abort(reason);
    expect(await rejection(pending)).toBe(reason);
    await vi.waitFor(() => expect(server.open()).toBe(0));
  });

  it("fails a refused connection, and an answer that is not HTTP, with TypeError('fetch failed')", async () => {
    const refused = await rejection(
      transport().post(new URL('http://127.0.0.1:1/'), { headers: {}, body: '{}' }),
    );
    expect(refused).toBeInstanceOf(TypeError);
    expect(((refused as TypeError).cause as { code?: string }).code).toBe('ECONNREFUSED');
    const raw = createNetServer((socket) => socket.end('SSH-2.0-OpenSSH\r\n\r\n'));
    netServers.push(raw);
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const url = new URL(`http://127.0.0.1:${(raw.address() as AddressInfo).port}/`);
    const garbled = await rejection(transport().post(url, { headers: {}, body: '{}' }));
    expect(garbled).toBeInstanceOf(TypeError);
    expect(((garbled as TypeError).cause as Error).message).toMatch(/invalid status line/);
  });

  it('refuses a header value that would split the request, naming the header', async () => {
    const server = await serve(json(200, {}));
    const error = await rejection(
      transport().post(new URL(server.url), { headers: { 'x-bad': 'a\r\nx-injected: 1' }, body: '{}' }),
    );
    expect(String(error)).toMatch(/x-bad/);
    expect(server.seen).toHaveLength(0);
  });

  it('posts over TLS, checking the certificate against the CA it is given', async () => {
    const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
    const server = createHttpsServer(
      { key: fixture('localhost-key.pem'), cert: fixture('localhost-cert.pem') },
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"secure":true}');
      },
    );
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = new URL(`https://localhost:${(server.address() as AddressInfo).port}/v1`);
    const trusted = await transport({ tls: { ca: fixture('localhost-cert.pem') } }).post(url, {
      headers: {},
      body: '{}',
    });
    expect(trusted).toMatchObject({ status: 200, body: '{"secure":true}' });
    const untrusted = await rejection(transport().post(url, { headers: {}, body: '{}' }));
    expect(((untrusted as TypeError).cause as { code?: string }).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });
});
