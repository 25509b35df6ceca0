import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../control/webhooks/verify-webhook-signature.js';
import type { FeatureConfigInput } from '../../core/feature-config.js';
import { type FakeUpstream, startFakeUpstream } from '../../testing/index.js';
import { startTestServer, type TestServer } from '../server.test-helper.js';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const SECRET = 'monitor-test-secret-0123456789';

interface Delivery {
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A local webhook receiver that records every delivery. */
async function startReceiver(): Promise<{ url: string; deliveries: Delivery[]; close(): Promise<void> }> {
  const deliveries: Delivery[] = [];
  const server: Server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliveries.push({ body: Buffer.concat(chunks).toString('utf8'), headers: request.headers });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    deliveries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A ramp of v2 (model `v2Model`) over v1 (2 % errors), rolled back when v2's error rate is worse. */
function rampedFeature(v2Model: string): FeatureConfigInput {
  const policy = { retry: { maxRetries: 0 }, circuitBreaker: { consecutiveFailures: 1_000 } };
  return {
    key: 'persona',
    defaultVariant: 'v1',
    variants: {
      v1: { type: 'llm', provider: 'fake', model: 'steady', maxTokens: 16, policy },
      v2: { type: 'llm', provider: 'fake', model: v2Model, maxTokens: 16, policy },
    },
    rules: [
      {
        id: 'ramp',
        split: { v2: 1 },
        ramp: { steps: [10, 50, 100], minMinutesPerStep: 1, minSamplesPerStep: 20 },
      },
    ],
    alerts: [
      { kind: 'relative', id: 'v2-errors', metric: 'failure-rate', action: 'rollback', minSamples: 30 },
    ],
  };
}

describe('guardrail monitor through the real server', () => {
  let now = T0;
  let upstream: FakeUpstream | undefined;
  let test: TestServer | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;

  afterEach(async () => {
    await test?.close();
    await upstream?.close();
    await receiver?.close();
    test = undefined;
    upstream = undefined;
    receiver = undefined;
  });

  async function start(v2Model: string) {
    now = T0;
    upstream = await startFakeUpstream({
      seed: 7,
      models: {
        steady: { faults: { errorRate: 0.02, status: 500 } },
        broken: { faults: { errorRate: 0.3, status: 500 } },
      },
    });
    receiver = await startReceiver();
    test = await startTestServer({
      clock: () => now,
      providers: { fake: { type: 'openai-compatible', baseURL: upstream.url } },
      features: [rampedFeature(v2Model)],
      monitor: { intervalMs: 3_600_000, webhooks: [{ url: receiver.url, secret: SECRET }] },
    });
    return test;
  }

  /** Sends `count` gateway requests from fresh users, 20 at a time, then waits until telemetry is stored. */
  async function traffic(server: TestServer, batch: number, count: number) {
    for (let start = 0; start < count; start += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, count - start) }, (_, index) =>
          server.call('POST', '/v1/chat/completions', {
            body: {
              model: 'switchyard/persona',
              messages: [{ role: 'user', content: 'Describe a persona.' }],
            },
            headers: { 'x-switchyard-user': `user-${batch}-${start + index}` },
          }),
        ),
      );
    }
    const stats = () => server.server.context.switchyard.telemetryStats();
    await expect.poll(() => stats().buffered, { timeout: 5_000, interval: 20 }).toBe(0);
  }

  /** Batches of traffic a minute apart, one monitor pass after each; stops early once something was opened. */
  async function run(server: TestServer, batches: number) {
    const passes = [await server.server.context.monitor.tick()];
    for (let batch = 0; batch < batches; batch += 1) {
      await traffic(server, batch, 400);
      now += 61_000;
      passes.push(await server.server.context.monitor.tick());
      if (passes.at(-1)?.opened.length) break;
    }
    return passes;
  }

  it('rolls a failing variant behind a ramp back, with the alert, the audit entries and a signed webhook', async () => {
    const server = await start('broken');
    const passes = await run(server, 6);
    const opened = passes.flatMap((pass) => pass.opened);
    expect(opened).toHaveLength(1);
    expect(opened[0]?.alert).toMatchObject({
      ruleId: 'v2-errors',
      variant: 'v2',
      action: 'rollback',
      status: 'open',
    });
    expect(opened[0]?.outcome.done).toContain('killed the feature');

    // Everyone gets the default at once.
    const decision = await server.call('POST', '/api/decide', {
      body: { feature: 'persona', context: { attributes: { userId: 'user-0-1' } } },
    });
    expect(decision.json()).toMatchObject({ variant: 'v1', reason: 'KILLED' });
    const feature = (await server.call('GET', '/api/features/persona')).json();
    expect(feature.config.killed).toBe(true);
    expect(feature.config.killReason).toMatch(/^alert v2-errors: failure-rate of v2 worse than v1/);
    expect(feature.config.rules[0].ramp).toMatchObject({ status: 'rolled-back' });

    // The alert with its evidence.
    const alerts = (await server.call('GET', '/api/alerts?status=open&feature=persona')).json().alerts;
    expect(alerts).toHaveLength(1);
    const evidence = alerts[0].evidence;
    expect(evidence).toMatchObject({ kind: 'relative', source: 'ramp', control: 'v1', treatment: 'v2' });
    expect(evidence.pValue).toBeLessThan(0.05);
    expect(evidence.treatmentValue).toBeGreaterThan(evidence.controlValue);
    expect(evidence.samples.treatment).toBeGreaterThanOrEqual(30);

    // Audit entries as actor `monitor`: the ramp's start, then the alert and the rollback.
    const audit = (await server.call('GET', '/api/audit?actor=monitor&limit=100')).json().entries;
    const actions = audit.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['ramp.start', 'ramp.rollback', 'alert.open']));
    expect(actions.filter((action: string) => action === 'alert.open')).toHaveLength(1);

    // One signed webhook call for the opened alert.
    await expect.poll(() => receiver?.deliveries.length ?? 0, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    const alertDeliveries = (receiver?.deliveries ?? []).filter((delivery) =>
      delivery.body.includes('"alert.opened"'),
    );
    expect(alertDeliveries).toHaveLength(1);
    const delivery = alertDeliveries[0] as Delivery;
    expect(
      verifyWebhookSignature({
        secret: SECRET,
        timestamp: delivery.headers['x-switchyard-timestamp'] as string,
        signature: delivery.headers['x-switchyard-signature'] as string,
        body: delivery.body,
        now,
      }),
    ).toEqual({ valid: true });
    expect(JSON.parse(delivery.body)).toMatchObject({
      type: 'alert.opened',
      feature: 'persona',
      severity: 'critical',
      alert: { ruleId: 'v2-errors' },
    });

    // Acting once per incident: further passes add occurrences, not alerts, audit entries or webhooks.
    await traffic(server, 99, 40);
    now += 61_000;
    const later = await server.server.context.monitor.tick();
    expect(later.opened).toEqual([]);
    const after = (await server.call('GET', '/api/audit?actor=monitor&action=alert.open')).json().entries;
    expect(after).toHaveLength(1);
  });

  it('advances an A/A ramp of the same length to the end and rolls nothing back', async () => {
    const server = await start('steady');
    const passes = await run(server, 6);
    expect(passes.flatMap((pass) => pass.opened)).toEqual([]);
    const moves = passes.flatMap((pass) => pass.rampMoves.map((move) => move.kind));
    expect(moves).toEqual(['started', 'advanced', 'advanced', 'completed']);
    const feature = (await server.call('GET', '/api/features/persona')).json();
    expect(feature.config.killed).toBeUndefined();
    expect(feature.config.rules[0].ramp).toMatchObject({ status: 'done', step: 2 });
    const decision = await server.call('POST', '/api/decide', {
      body: { feature: 'persona', context: { attributes: { userId: 'someone-new' } } },
    });
    expect(decision.json()).toMatchObject({ variant: 'v2', reason: 'SPLIT' });
    const audit = (await server.call('GET', '/api/audit?actor=monitor&action=ramp.advance')).json().entries;
    expect(audit).toHaveLength(2);
    expect(audit[0].reason).toMatch(/ramp step 2 -> 3 of 3 \(100 %\) after 1\.0 min and \d+ runs/);
    await expect
      .poll(() => (receiver?.deliveries ?? []).filter((delivery) => delivery.body.includes('"ramp.')).length)
      .toBe(3);
  });
});
