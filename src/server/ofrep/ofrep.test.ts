import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';
import { ErrorCode, OpenFeature } from '@openfeature/server-sdk';
import { OpenFeature as WebOpenFeature, ProviderEvents as WebProviderEvents } from '@openfeature/web-sdk';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FeatureConfigInput } from '../../core/feature-config.js';
import { startTestServer, type TestServer } from '../server.test-helper.js';

const FEATURES: FeatureConfigInput[] = [
  {
    key: 'dark-mode',
    defaultVariant: 'off',
    variants: { on: { type: 'handler', payload: true }, off: { type: 'handler', payload: false } },
    rules: [{ id: 'paid-users', when: { tier: 'paid' }, serve: 'on' }],
  },
  {
    key: 'banner-color',
    defaultVariant: 'blue',
    variants: { blue: { type: 'handler' }, green: { type: 'handler' } },
  },
  {
    key: 'temperature',
    defaultVariant: 'low',
    variants: { low: { type: 'handler', payload: 0.2 }, high: { type: 'handler', payload: 0.9 } },
    rules: [{ id: 'temperature-split', split: { low: 50, high: 50 } }],
  },
  {
    key: 'prompt-config',
    defaultVariant: 'short',
    variants: { short: { type: 'handler', payload: { maxWords: 50, tone: 'brief' } } },
    rules: [{ id: 'everyone', serve: 'short' }],
  },
];

let test: TestServer;
let url: string;

beforeAll(async () => {
  test = await startTestServer({ features: FEATURES, keepAliveIntervalMs: 1_000 });
  url = await test.server.listen();
});
afterAll(async () => {
  await OpenFeature.close();
  await WebOpenFeature.close();
  await test.close();
});

/** An OpenFeature client over the official server-side OFREP provider, in its own domain. */
async function serverClient(domain: string, headers: Record<string, string>) {
  await OpenFeature.setProviderAndWait(domain, new OFREPProvider({ baseUrl: url, headers }));
  return OpenFeature.getClient(domain);
}

const post = (
  path: string,
  body: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${test.tokens.sdk}` },
) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('OFREP single-flag evaluation through the official OpenFeature provider', () => {
  it('gives typed values, OpenFeature reasons and Switchyard metadata', async () => {
    const client = await serverClient('typed', { Authorization: `Bearer ${test.tokens.sdk}` });
    const paid = await client.getBooleanDetails('dark-mode', false, { targetingKey: 'u-1', tier: 'paid' });
    expect(paid).toMatchObject({ value: true, variant: 'on', reason: 'TARGETING_MATCH' });
    expect(paid.flagMetadata).toEqual({
      switchyardReason: 'TARGETING_MATCH',
      ruleId: 'paid-users',
      version: 1,
    });
    const free = await client.getBooleanDetails('dark-mode', true, { targetingKey: 'u-1', tier: 'free' });
    expect(free).toMatchObject({ value: false, variant: 'off', reason: 'DEFAULT' });

    const color = await client.getStringDetails('banner-color', 'red', { targetingKey: 'u-1' });
    expect(color).toMatchObject({ value: 'blue', variant: 'blue', reason: 'STATIC' });

    const temperature = await client.getNumberDetails('temperature', -1, { targetingKey: 'u-1' });
    expect([0.2, 0.9]).toContain(temperature.value);
    expect(temperature.reason).toBe('SPLIT');
    expect(temperature.flagMetadata).toMatchObject({ ruleId: 'temperature-split' });
    expect(typeof temperature.flagMetadata.bucket).toBe('number');

    const prompt = await client.getObjectDetails('prompt-config', {}, { targetingKey: 'u-1' });
    expect(prompt).toMatchObject({ value: { maxWords: 50, tone: 'brief' }, reason: 'TARGETING_MATCH' });
  });

  it('gives the same decision as decide() in the Node SDK for every unit', async () => {
    const client = await serverClient('same', { 'X-API-Key': test.tokens.viewer });
    for (let index = 0; index < 40; index += 1) {
      const unit = `unit-${index}`;
      const remote = await client.getNumberDetails('temperature', -1, { targetingKey: unit });
      const local = test.server.context.switchyard.decide('temperature', { attributes: { userId: unit } });
      expect(remote.variant).toBe(local.variant);
    }
  });

  it('answers FLAG_NOT_FOUND with the caller default, and a wrong type as TYPE_MISMATCH', async () => {
    const client = await serverClient('missing', { Authorization: `Bearer ${test.tokens.sdk}` });
    const missing = await client.getBooleanDetails('no-such-flag', true, { targetingKey: 'u-1' });
    expect(missing).toMatchObject({ value: true, reason: 'ERROR', errorCode: ErrorCode.FLAG_NOT_FOUND });
    const mismatch = await client.getBooleanDetails('banner-color', true, { targetingKey: 'u-1' });
    expect(mismatch).toMatchObject({ value: true, reason: 'ERROR', errorCode: ErrorCode.TYPE_MISMATCH });
  });

  it('shows a kill at the next evaluation, as DISABLED with the default value', async () => {
    const client = await serverClient('kill', { Authorization: `Bearer ${test.tokens.sdk}` });
    const context = { targetingKey: 'u-kill', tier: 'paid' };
    expect(await client.getBooleanValue('dark-mode', false, context)).toBe(true);
    expect(
      (await test.call('POST', '/api/features/dark-mode/kill', { body: { reason: 'bad' } })).statusCode,
    ).toBe(200);
    const killed = await client.getBooleanDetails('dark-mode', true, context);
    expect(killed).toMatchObject({ value: false, variant: 'off', reason: 'DISABLED' });
    expect(killed.flagMetadata.switchyardReason).toBe('KILLED');
    expect((await test.call('POST', '/api/features/dark-mode/enable', { body: {} })).statusCode).toBe(200);
    expect(await client.getBooleanValue('dark-mode', false, context)).toBe(true);
  });

  it('keeps a unit in its stored experiment arm, and records the exposures', async () => {
    const created = await test.call('POST', '/api/experiments', {
      body: { key: 'temperature-test', feature: 'temperature', primaryMetric: 'error-rate' },
    });
    expect(created.statusCode).toBe(201);
    expect(
      (await test.call('POST', '/api/experiments/temperature-test/start', { body: {} })).statusCode,
    ).toBe(200);
    const client = await serverClient('sticky', { Authorization: `Bearer ${test.tokens.sdk}` });
    // A unit the split puts in the arm that is not the default, so that pausing would otherwise move it.
    let unit = '';
    for (let index = 0; unit === '' && index < 100; index += 1) {
      const details = await client.getNumberDetails('temperature', -1, { targetingKey: `sticky-${index}` });
      if (details.variant === 'high') unit = `sticky-${index}`;
    }
    expect(unit).not.toBe('');
    // decideAsync() stored the arm before answering.
    expect(await test.server.context.store.findAssignment('temperature-test', unit)).toMatchObject({
      variant: 'high',
    });
    expect(
      (await test.call('POST', '/api/experiments/temperature-test/pause', { body: {} })).statusCode,
    ).toBe(200);
    const again = await client.getNumberDetails('temperature', -1, { targetingKey: unit });
    expect(again).toMatchObject({ value: 0.9, variant: 'high', reason: 'SPLIT' });
    expect(again.flagMetadata.switchyardReason).toBe('STICKY');
    const newcomer = await client.getNumberDetails('temperature', -1, { targetingKey: 'sticky-newcomer' });
    expect(newcomer).toMatchObject({ variant: 'low' });

    await vi.waitFor(async () => {
      const page = await test.server.context.store.listEvents({
        type: 'decision',
        feature: 'temperature',
        limit: 1_000,
      });
      const units = page.events.map((event) => (event as { unitId?: unknown }).unitId);
      expect(units).toContain(unit);
      expect(units).toContain('sticky-newcomer');
    });
  });
});

describe('OFREP errors and authentication', () => {
  it('answers the protocol error format with its statuses', async () => {
    const notFound = await post('/ofrep/v1/evaluate/flags/nope', { context: { targetingKey: 'u' } });
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ key: 'nope', errorCode: 'FLAG_NOT_FOUND' });

    const notJson = await post('/ofrep/v1/evaluate/flags/dark-mode', '{"context":');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ key: 'dark-mode', errorCode: 'PARSE_ERROR' });

    const extra = await post('/ofrep/v1/evaluate/flags/dark-mode', { context: {}, flags: ['x'] });
    expect(extra.status).toBe(400);
    expect(await extra.json()).toMatchObject({
      errorCode: 'PARSE_ERROR',
      errorDetails: expect.stringContaining('"flags"'),
    });

    const badKey = await post('/ofrep/v1/evaluate/flags/dark-mode', { context: { targetingKey: 7 } });
    expect(badKey.status).toBe(400);
    expect(await badKey.json()).toMatchObject({
      errorCode: 'INVALID_CONTEXT',
      errorDetails: expect.stringContaining('targetingKey'),
    });

    const noContext = await post('/ofrep/v1/evaluate/flags', {});
    expect(noContext.status).toBe(400);
    expect(await noContext.json()).toMatchObject({ errorCode: 'INVALID_CONTEXT' });
  });

  it('takes Bearer or X-API-Key for sdk, viewer, editor and admin tokens, and refuses others', async () => {
    for (const token of Object.values(test.tokens)) {
      const viaKey = await post(
        '/ofrep/v1/evaluate/flags/banner-color',
        { context: {} },
        { 'x-api-key': token },
      );
      expect(viaKey.status).toBe(200);
    }
    const none = await fetch(`${url}/ofrep/v1/evaluate/flags/banner-color`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"context":{}}',
    });
    expect(none.status).toBe(401);
    const wrongKey = await fetch(`${url}/ofrep/v1/evaluate/flags/banner-color`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': 'sy_unknown00_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
      },
      body: '{"context":{}}',
    });
    expect(wrongKey.status).toBe(401);
  });

  it('answers 429 with Retry-After past the per-token rate', async () => {
    const limited = await startTestServer({
      features: FEATURES,
      ofrepRateLimit: { requestsPerSecond: 1, burst: 2 },
    });
    try {
      const call = () =>
        limited.call('POST', '/ofrep/v1/evaluate/flags/banner-color', {
          token: limited.tokens.sdk,
          body: { context: {} },
        });
      expect((await call()).statusCode).toBe(200);
      expect((await call()).statusCode).toBe(200);
      const refused = await call();
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.json()).toMatchObject({ key: 'banner-color', errorCode: 'GENERAL' });
      // Another token has its own budget.
      const other = await limited.call('POST', '/ofrep/v1/evaluate/flags/banner-color', {
        token: limited.tokens.viewer,
        body: { context: {} },
      });
      expect(other.statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('OFREP bulk evaluation', () => {
  it('answers every flag with an ETag, 304 while nothing changed, 200 once something did', async () => {
    const context = { context: { targetingKey: 'bulk-1', tier: 'paid' } };
    const first = await post('/ofrep/v1/evaluate/flags', context);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const body = (await first.json()) as { flags: { key: string }[]; eventStreams: unknown };
    const byKey = Object.fromEntries(body.flags.map((flag: { key: string }) => [flag.key, flag]));
    expect(byKey['dark-mode']).toMatchObject({ value: true, variant: 'on', reason: 'TARGETING_MATCH' });
    expect(byKey['banner-color']).toMatchObject({ value: 'blue', reason: 'STATIC' });
    expect(body.eventStreams).toEqual([
      {
        type: 'sse',
        endpoint: { requestUri: expect.stringMatching(/^\/ofrep\/v1\/events\?access=/) },
        inactivityDelaySec: 120,
      },
    ]);

    const same = await post('/ofrep/v1/evaluate/flags', context, {
      authorization: `Bearer ${test.tokens.sdk}`,
      'if-none-match': etag!,
    });
    expect(same.status).toBe(304);
    // Another context sees other values: its own ETag.
    const free = await post(
      '/ofrep/v1/evaluate/flags',
      { context: { targetingKey: 'bulk-1' } },
      { authorization: `Bearer ${test.tokens.sdk}`, 'if-none-match': etag! },
    );
    expect(free.status).toBe(200);

    const changed = await test.call('PATCH', '/api/features/banner-color', {
      body: { version: 1, defaultVariant: 'green' },
    });
    expect(changed.statusCode).toBe(200);
    const after = await post('/ofrep/v1/evaluate/flags', context, {
      authorization: `Bearer ${test.tokens.sdk}`,
      'if-none-match': etag!,
    });
    expect(after.status).toBe(200);
    const { flags } = (await after.json()) as { flags: { key: string; value: unknown }[] };
    expect(flags.find((flag) => flag.key === 'banner-color')?.value).toBe('green');
    await test.call('PATCH', '/api/features/banner-color', { body: { version: 2, defaultVariant: 'blue' } });
  });

  it('refuses an unknown query field and a signed stream credential that is forged', async () => {
    const unknown = await post('/ofrep/v1/evaluate/flags?since=3', { context: {} });
    expect(unknown.status).toBe(400);
    const forged = await fetch(`${url}/ofrep/v1/events?access=testadmin.9999999999.${'A'.repeat(43)}`);
    expect(forged.status).toBe(401);
  });

  it('drives the official web provider: bulk fetch, then a change notice over the stream it points at', async () => {
    const globals = globalThis as { EventSource?: unknown };
    const hadEventSource = 'EventSource' in globals;
    let opened: () => void = () => {};
    const streamOpen = new Promise<void>((resolve) => {
      opened = resolve;
    });
    // The provider opens the stream with the global EventSource, as in a browser; this one tells when it is open.
    globals.EventSource = class extends EventSource {
      constructor(address: string | URL) {
        super(address);
        this.addEventListener('open', () => opened());
      }
    };
    try {
      const provider = new OFREPWebProvider({
        baseUrl: url,
        headers: [['Authorization', `Bearer ${test.tokens.sdk}`]],
        cacheMode: 'disabled',
      });
      await WebOpenFeature.setContext({ targetingKey: 'web-1', tier: 'paid' });
      await WebOpenFeature.setProviderAndWait(provider);
      const client = WebOpenFeature.getClient();
      expect(client.getBooleanDetails('dark-mode', false)).toMatchObject({
        value: true,
        reason: 'TARGETING_MATCH',
      });
      expect(client.getStringValue('banner-color', 'red')).toBe('blue');

      const changed = new Promise<string[]>((resolve) => {
        client.addHandler(WebProviderEvents.ConfigurationChanged, (details) =>
          resolve(details?.flagsChanged ?? []),
        );
      });
      // Once the provider's stream is open, a change sends a notice, and the provider re-fetches.
      await streamOpen;
      expect((await test.call('POST', '/api/features/dark-mode/kill', { body: {} })).statusCode).toBe(200);
      expect(await changed).toContain('dark-mode');
      expect(client.getBooleanDetails('dark-mode', true)).toMatchObject({ value: false, reason: 'DISABLED' });
      await test.call('POST', '/api/features/dark-mode/enable', { body: {} });
    } finally {
      await WebOpenFeature.clearProviders();
      if (!hadEventSource) delete globals.EventSource;
    }
  });
});
