import { randomUUID } from 'node:crypto';
import { ErrorCode, OpenFeature, ProviderEvents, ProviderStatus } from '@openfeature/server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { createSwitchyard } from '../runtime/client/create-switchyard.js';
import type { Switchyard } from '../runtime/client/switchyard-client.js';
import { createServer, type SwitchyardServer } from '../server/create-server.js';
import { startTestServer, TEST_ADMIN_TOKEN, UNKNOWN_TOKEN } from '../server/server.test-helper.js';
import { switchFeature } from '../store/feature-commands.js';
import { openStore } from '../store/open-store.js';
import { createSwitchyardProvider } from './switchyard-provider.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A client of `url` as the application would start it, not awaited: the provider waits for it. */
function remoteClient(url: string, token: string): Promise<Switchyard> {
  const started = createSwitchyard({
    server: url,
    token,
    telemetry: { flushOnSignals: false, flushIntervalMs: 50 },
    remote: { reconnectInitialDelayMs: 20, reconnectMaxDelayMs: 100 },
  });
  cleanups.push(() => started.then((client) => client.close()).catch(() => {}));
  return started;
}

/** Every provider event of one domain, in order, with what it carried. */
function recordEvents(domain: string) {
  const seen: Array<{ type: string; flagsChanged?: string[]; message?: string }> = [];
  const client = OpenFeature.getClient(domain);
  for (const type of [
    ProviderEvents.Ready,
    ProviderEvents.Stale,
    ProviderEvents.Error,
    ProviderEvents.ConfigurationChanged,
  ]) {
    client.addHandler(type, (details) => {
      seen.push({
        type,
        ...(Array.isArray(details?.flagsChanged) ? { flagsChanged: details.flagsChanged as string[] } : {}),
        ...(details?.message === undefined ? {} : { message: details.message }),
      });
    });
  }
  return { client, seen };
}

const kill = (server: SwitchyardServer, feature: string) =>
  server.app.inject({
    method: 'POST',
    url: `/api/features/${feature}/kill`,
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    payload: '{}',
  });

describe('provider events', () => {
  it('emits CONFIGURATION_CHANGED with the changed keys, then STALE and READY as the server goes and comes back', async () => {
    const store = await openStore('sqlite::memory:');
    cleanups.push(() => store.close());
    const first = await startTestServer({ store, configPollIntervalMs: 50 });
    const url = await first.server.listen();
    cleanups.push(() => first.close());
    const domain = randomUUID();
    const { client, seen } = recordEvents(domain);
    await OpenFeature.setProviderAndWait(
      domain,
      createSwitchyardProvider(remoteClient(url, first.tokens.sdk)),
    );
    cleanups.push(() => OpenFeature.clearProviders());
    expect(seen).toEqual([{ type: ProviderEvents.Ready }]);
    expect(await client.getStringValue('coach-reply', 'none', { targetingKey: 'u-1' })).toMatch(/^v[12]$/);

    expect((await kill(first.server, 'coach-reply')).statusCode).toBe(200);
    await expect.poll(() => seen.length, { timeout: 5_000 }).toBe(2);
    expect(seen[1]).toEqual({ type: ProviderEvents.ConfigurationChanged, flagsChanged: ['coach-reply'] });
    expect(await client.getStringDetails('coach-reply', 'none', { targetingKey: 'u-1' })).toMatchObject({
      value: 'v1',
      reason: 'DISABLED',
    });

    // The server stops: the stream ends, the provider is stale and keeps answering from the config it has.
    await first.close();
    await expect
      .poll(() => seen.map((event) => event.type), { timeout: 5_000 })
      .toContain(ProviderEvents.Stale);
    expect(client.providerStatus).toBe(ProviderStatus.STALE);
    expect(await client.getStringValue('coach-reply', 'none', { targetingKey: 'u-1' })).toBe('v1');

    // Back on the same port and store: ready again.
    const second = await createServer({
      store,
      port: Number(new URL(url).port),
      adminToken: TEST_ADMIN_TOKEN,
    });
    await second.listen();
    cleanups.push(() => second.close());
    await expect.poll(() => seen.at(-1)?.type, { timeout: 5_000 }).toBe(ProviderEvents.Ready);
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(seen.filter((event) => event.type === ProviderEvents.Stale)).toHaveLength(1);
  });

  it('emits PROVIDER_ERROR when the client cannot start, fatal for a refused token, and answers the default', async () => {
    const test = await startTestServer();
    const url = await test.server.listen();
    cleanups.push(() => test.close());
    const domain = randomUUID();
    const { client, seen } = recordEvents(domain);
    await expect(
      OpenFeature.setProviderAndWait(domain, createSwitchyardProvider(remoteClient(url, UNKNOWN_TOKEN))),
    ).rejects.toThrow(/token/);
    cleanups.push(() => OpenFeature.clearProviders());
    expect(seen.map((event) => event.type)).toEqual([ProviderEvents.Error]);
    expect(seen[0]?.message).toMatch(/refused/);
    expect(client.providerStatus).toBe(ProviderStatus.FATAL);
    expect(await client.getStringDetails('coach-reply', 'fallback')).toMatchObject({
      value: 'fallback',
      reason: 'ERROR',
      errorCode: ErrorCode.PROVIDER_FATAL,
    });
  });

  it('emits PROVIDER_ERROR, not fatal, when the server cannot be reached', async () => {
    const test = await startTestServer();
    const url = await test.server.listen();
    const token = test.tokens.sdk;
    await test.close();
    const domain = randomUUID();
    const { client, seen } = recordEvents(domain);
    await expect(
      OpenFeature.setProviderAndWait(domain, createSwitchyardProvider(remoteClient(url, token))),
    ).rejects.toThrow();
    cleanups.push(() => OpenFeature.clearProviders());
    expect(seen.map((event) => event.type)).toEqual([ProviderEvents.Error]);
    expect(client.providerStatus).toBe(ProviderStatus.ERROR);
  });

  it('emits CONFIGURATION_CHANGED for a store-backed client, with the keys another process changed', async () => {
    const store = await openStore('sqlite::memory:');
    cleanups.push(() => store.close());
    const sy = await createSwitchyard({
      store,
      features: [
        { key: 'a', defaultVariant: 'x', variants: { x: { type: 'handler' }, y: { type: 'handler' } } },
        { key: 'b', defaultVariant: 'x', variants: { x: { type: 'handler' } } },
      ],
      refreshIntervalMs: 20,
      telemetry: { flushOnSignals: false },
    });
    cleanups.push(() => sy.close());
    const domain = randomUUID();
    const { seen } = recordEvents(domain);
    await OpenFeature.setProviderAndWait(domain, createSwitchyardProvider(sy));
    cleanups.push(() => OpenFeature.clearProviders());
    // Written straight to the store, as the CLI or another server would.
    await switchFeature(store, 'b', 'kill', { actor: 'cli' });
    await expect.poll(() => seen.length, { timeout: 5_000 }).toBe(2);
    expect(seen).toEqual([
      { type: ProviderEvents.Ready },
      { type: ProviderEvents.ConfigurationChanged, flagsChanged: ['b'] },
    ]);
  });
});
