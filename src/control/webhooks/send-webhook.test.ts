import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../../core/errors.js';
import { createWebhookSender, verifyWebhookSignature, type WebhookSenderOptions } from './send-webhook.js';
import { signWebhookPayload } from './sign-webhook-payload.js';

interface Received {
  method: string | undefined;
  path: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver on 127.0.0.1 that answers each request with the next reply (the last one repeats). */
async function startReceiver(
  replies: ((response: ServerResponse) => void)[],
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method,
        path: request.url,
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const reply = replies[Math.min(received.length, replies.length) - 1];
      reply?.(response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/switchyard?token=abc`, received };
}

const status =
  (code: number, headers: Record<string, string> = {}) =>
  (response: ServerResponse) => {
    response.writeHead(code, headers);
    response.end('{}');
  };

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const NOW = 1_700_000_000_123;

/** A sender with a fixed clock, waits that are recorded instead of slept, and errors collected. */
function sender(url: string, overrides: Partial<WebhookSenderOptions> = {}) {
  const delays: number[] = [];
  const errors: { message: string; details: unknown }[] = [];
  const webhook = createWebhookSender({
    url,
    secret: 'whsec_test',
    clock: () => NOW,
    random: () => 0.5,
    sleep: async (delayMs) => {
      delays.push(delayMs);
    },
    onError: (error, details) => errors.push({ message: error.message, details }),
    ...overrides,
  });
  return { webhook, delays, errors };
}

describe('createWebhookSender', () => {
  it('POSTs the event as signed JSON that the receiver can verify', async () => {
    const receiver = await startReceiver([status(204)]);
    const { webhook, errors } = sender(receiver.url);
    const event = { type: 'alert-firing', feature: 'persona-generation', value: 0.031 };

    expect(await webhook.send(event)).toEqual({ delivered: true, attempts: 1, status: 204 });
    const [request] = receiver.received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/hooks/switchyard?token=abc');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual(event);
    expect(request?.headers['x-switchyard-event-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(request?.headers['x-switchyard-timestamp']).toBe('1700000000');
    expect(request?.headers['x-switchyard-signature']).toBe(
      signWebhookPayload('whsec_test', 1_700_000_000, request?.body ?? ''),
    );
    const verdict = verifyWebhookSignature({
      secret: 'whsec_test',
      timestamp: request?.headers['x-switchyard-timestamp'] as string,
      signature: request?.headers['x-switchyard-signature'] as string,
      body: request?.body ?? '',
      now: NOW + 60_000,
    });
    expect(verdict).toEqual({ valid: true });
    expect(errors).toEqual([]);
  });

  it('retries 5xx, 408 and 429 with the same event id and exponential jittered backoff', async () => {
    const receiver = await startReceiver([status(503), status(408), status(429), status(500), status(200)]);
    const { webhook, delays, errors } = sender(receiver.url);

    expect(await webhook.send({ n: 1 })).toEqual({ delivered: true, attempts: 5, status: 200 });
    // random() = 0.5 of min(30 s, 500 ms x 2^(retry - 1)).
    expect(delays).toEqual([250, 500, 1000, 2000]);
    expect(new Set(receiver.received.map((request) => request.headers['x-switchyard-event-id'])).size).toBe(
      1,
    );
    expect(errors).toEqual([]);
  });

  it('waits at least what Retry-After asks, and gives up when it asks for more than maxDelayMs', async () => {
    const receiver = await startReceiver([status(429, { 'retry-after': '3' }), status(200)]);
    const { webhook, delays } = sender(receiver.url);
    expect(await webhook.send({ n: 1 })).toMatchObject({ delivered: true, attempts: 2 });
    expect(delays).toEqual([3000]);

    const patient = await startReceiver([status(503, { 'retry-after': '120' })]);
    const impatient = sender(patient.url, { maxDelayMs: 30_000 });
    expect(await impatient.webhook.send({ n: 2 })).toEqual({ delivered: false, attempts: 1, status: 503 });
    expect(impatient.delays).toEqual([]);
    expect(impatient.errors[0]?.message).toContain('Retry-After 120000 ms exceeds maxDelayMs');
  });

  it('does not retry other 4xx, nor follow redirects', async () => {
    const receiver = await startReceiver([status(401)]);
    const { webhook, delays, errors } = sender(receiver.url);
    expect(await webhook.send({ n: 1 })).toEqual({ delivered: false, attempts: 1, status: 401 });
    expect(delays).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(
      /^webhook to http:\/\/127\.0\.0\.1:\d+: event .* after 1 attempt\(s\): HTTP 401$/,
    );
    // The origin only: the token in the URL stays out of error messages.
    expect(errors[0]?.message).not.toContain('token');
    expect(errors[0]?.details).toMatchObject({ delivered: false, attempts: 1, status: 401 });

    const redirecting = await startReceiver([status(307, { location: '/elsewhere' })]);
    const redirected = sender(redirecting.url);
    expect(await redirected.webhook.send({ n: 2 })).toEqual({ delivered: false, attempts: 1, status: 307 });
    expect(redirecting.received.map((request) => request.path)).toEqual(['/hooks/switchyard?token=abc']);
  });

  it('stops after maxAttempts with the waits capped at maxDelayMs', async () => {
    const receiver = await startReceiver([status(500)]);
    const { webhook, delays, errors } = sender(receiver.url, {
      maxAttempts: 6,
      maxDelayMs: 1_500,
      random: () => 0.999,
    });
    expect(await webhook.send({ n: 1 })).toEqual({ delivered: false, attempts: 6, status: 500 });
    expect(receiver.received).toHaveLength(6);
    expect(delays).toEqual([499, 999, 1498, 1498, 1498]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('after 6 attempt(s): HTTP 500');
  });

  it('retries network errors and timeouts', async () => {
    const closed = await startReceiver([]);
    const port = new URL(closed.url).port;
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const refused = sender(`http://127.0.0.1:${port}/`, { maxAttempts: 3 });
    expect(await refused.webhook.send({ n: 1 })).toEqual({ delivered: false, attempts: 3 });
    expect(refused.delays).toHaveLength(2);
    expect(refused.errors[0]?.message).toContain('request failed');

    // Never answers.
    const silent = await startReceiver([() => {}]);
    const timedOut = sender(silent.url, { maxAttempts: 2, timeoutMs: 100 });
    expect(await timedOut.webhook.send({ n: 2 })).toEqual({ delivered: false, attempts: 2 });
    expect(silent.received).toHaveLength(2);
    expect(timedOut.errors[0]?.message).toContain('no response within 100 ms');
  });

  it('never throws: not a JSON value, a throwing fetch, a throwing onError', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const { webhook, errors } = sender('http://127.0.0.1:9/', {
      fetch: () => {
        throw new Error('boom');
      },
      maxAttempts: 2,
    });
    expect(await webhook.send(cyclic)).toEqual({ delivered: false, attempts: 0 });
    expect(errors[0]?.message).toContain('event not sent');
    expect(await webhook.send({ n: 1 })).toEqual({ delivered: false, attempts: 2 });
    expect(errors[1]?.message).toContain('request failed: boom');

    const throwingHandler = sender('http://127.0.0.1:9/', {
      fetch: async () => new Response(null, { status: 400 }),
      onError: () => {
        throw new Error('handler broke');
      },
    });
    expect(await throwingHandler.webhook.send({ n: 1 })).toEqual({
      delivered: false,
      attempts: 1,
      status: 400,
    });
  });

  it('stops retrying once its signal aborts', async () => {
    const receiver = await startReceiver([status(503)]);
    const controller = new AbortController();
    const { webhook, delays } = sender(receiver.url, {
      signal: controller.signal,
      sleep: async (delayMs) => {
        delays.push(delayMs);
        controller.abort();
      },
    });
    expect(await webhook.send({ n: 1 })).toEqual({ delivered: false, attempts: 1, status: 503 });
    expect(receiver.received).toHaveLength(1);
  });

  it('names each bad option', () => {
    const build = (overrides: Partial<WebhookSenderOptions>) => () =>
      createWebhookSender({
        url: 'https://example.com/hook',
        secret: 's',
        clock: Date.now,
        onError: () => {},
        ...overrides,
      });
    expect(build({})).not.toThrow();
    const error = (() => {
      try {
        build({ url: 'ftp://example.com', secret: '', maxAttempts: 0, timeoutMs: 1.5 })();
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as InvalidConfigError).problems.map((problem) => problem.path)).toEqual([
      'url',
      'secret',
      'maxAttempts',
      'timeoutMs',
    ]);
  });
});

describe('verifyWebhookSignature', () => {
  const body = '{"a":1}';
  // Reference: Python hmac.new(b'whsec_test', b'1700000000.{"a":1}', hashlib.sha256).hexdigest().
  const signature = 'sha256=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789';
  const valid = { secret: 'whsec_test', timestamp: '1700000000', body, signature, now: NOW };

  it('matches the reference HMAC and accepts it', () => {
    expect(signWebhookPayload('whsec_test', 1_700_000_000, body)).toBe(signature);
    expect(verifyWebhookSignature(valid)).toEqual({ valid: true });
    expect(verifyWebhookSignature({ ...valid, body: Buffer.from(body) })).toEqual({ valid: true });
  });

  it('refuses a changed body, timestamp or secret', () => {
    expect(verifyWebhookSignature({ ...valid, body: '{"a":2}' })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    expect(verifyWebhookSignature({ ...valid, timestamp: '1700000001' })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    expect(verifyWebhookSignature({ ...valid, secret: 'whsec_other' })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it('refuses timestamps outside the tolerance either way, and malformed headers', () => {
    expect(verifyWebhookSignature({ ...valid, now: NOW + 301_000 })).toEqual({
      valid: false,
      reason: 'stale-timestamp',
    });
    expect(verifyWebhookSignature({ ...valid, now: NOW - 301_000 })).toEqual({
      valid: false,
      reason: 'stale-timestamp',
    });
    expect(verifyWebhookSignature({ ...valid, now: NOW + 299_000 })).toEqual({ valid: true });
    expect(verifyWebhookSignature({ ...valid, now: NOW + 61_000, toleranceSeconds: 60 }).valid).toBe(false);
    expect(verifyWebhookSignature({ ...valid, timestamp: '1.7e9' })).toEqual({
      valid: false,
      reason: 'malformed-timestamp',
    });
    expect(verifyWebhookSignature({ ...valid, timestamp: undefined })).toEqual({
      valid: false,
      reason: 'malformed-timestamp',
    });
    expect(verifyWebhookSignature({ ...valid, signature: signature.slice(7) })).toEqual({
      valid: false,
      reason: 'malformed-signature',
    });
    expect(verifyWebhookSignature({ ...valid, signature: `${signature}00` }).valid).toBe(false);
  });

  it('accepts any of several signatures and secrets, for rotation', () => {
    const other = `sha256=${'0'.repeat(64)}`;
    expect(verifyWebhookSignature({ ...valid, signature: `${other}, ${signature}` })).toEqual({
      valid: true,
    });
    expect(verifyWebhookSignature({ ...valid, secret: ['whsec_new', 'whsec_test'] })).toEqual({
      valid: true,
    });
  });
});
