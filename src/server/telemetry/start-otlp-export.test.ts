import { createServer as createHttpServer, type Server } from 'node:http';
import { trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeUpstream, startFakeUpstream } from '../../testing/index.js';
import { startTestServer, type TestServer } from '../server.test-helper.js';
import { startOtlpExport } from './start-otlp-export.js';

interface Received {
  readonly path: string;
  readonly type: string;
  readonly body: Buffer;
}

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An OTLP/HTTP receiver in this process: records every export it is sent and answers 200. */
async function startReceiver(): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server: Server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        type: String(request.headers['content-type']),
        body: Buffer.concat(chunks),
      });
      response.writeHead(200, { 'content-type': request.headers['content-type'] ?? 'application/json' });
      response.end(request.headers['content-type']?.includes('json') ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, received };
}

async function gatewayServer(): Promise<{ test: TestServer; base: string }> {
  const upstream: FakeUpstream = await startFakeUpstream({ models: { ok: { reply: 'fine' } } });
  cleanups.push(() => upstream.close());
  const test = await startTestServer({
    features: [
      {
        key: 'coach-reply',
        defaultVariant: 'v1',
        variants: { v1: { type: 'llm', provider: 'fake', model: 'ok' } },
      },
    ],
    providers: { fake: { type: 'openai-compatible', baseURL: upstream.url } },
  });
  const base = await test.server.listen();
  cleanups.push(() => test.close());
  return { test, base };
}

async function chat(base: string, token: string): Promise<void> {
  const response = await fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'switchyard/coach-reply', messages: [{ role: 'user', content: 'hi' }] }),
  });
  expect(response.status).toBe(200);
  await response.text();
}

interface JsonSpan {
  name: string;
  spanId: string;
  parentSpanId?: string;
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

describe('OTLP export of serve', () => {
  it('exports nothing and registers nothing without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    expect(startOtlpExport({})).toBeUndefined();
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
  });

  it('refuses a protocol it does not speak, naming the variable', () => {
    expect(() =>
      startOtlpExport({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      }),
    ).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL/);
  });

  it('sends one gateway request as a run span with its chat span, and the GenAI metrics, over http/json', async () => {
    const receiver = await startReceiver();
    const otlp = startOtlpExport({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=acme',
      OTEL_SERVICE_NAME: 'coach-gateway',
    });
    expect(otlp).toBeDefined();
    cleanups.push(() => otlp?.shutdown());
    const { test, base } = await gatewayServer();
    await chat(base, test.tokens.sdk);
    await otlp?.shutdown();

    const traces = receiver.received.filter((entry) => entry.path === '/v1/traces');
    expect(traces.length).toBeGreaterThan(0);
    expect(traces[0]?.type).toContain('application/json');
    const spans: JsonSpan[] = [];
    const services = new Set<unknown>();
    for (const entry of traces) {
      const body = JSON.parse(entry.body.toString()) as {
        resourceSpans: Array<{
          resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
          scopeSpans: Array<{ spans: JsonSpan[] }>;
        }>;
      };
      for (const resourceSpan of body.resourceSpans) {
        services.add(
          resourceSpan.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue,
        );
        for (const scope of resourceSpan.scopeSpans) spans.push(...scope.spans);
      }
    }
    expect([...services]).toEqual(['coach-gateway']);
    const run = spans.find((span) => span.name === 'run coach-reply');
    const call = spans.find((span) => span.name === 'chat ok');
    expect(run).toBeDefined();
    expect(call?.parentSpanId).toBe(run?.spanId);
    const attribute = (span: JsonSpan | undefined, key: string) =>
      span?.attributes.find((entry) => entry.key === key)?.value;
    expect(attribute(call, 'gen_ai.operation.name')).toEqual({ stringValue: 'chat' });
    expect(attribute(call, 'gen_ai.request.model')).toEqual({ stringValue: 'ok' });
    expect(attribute(call, 'switchyard.variant')).toEqual({ stringValue: 'v1' });
    expect(attribute(run, 'switchyard.variant')).toEqual({ stringValue: 'v1' });

    const exported = receiver.received
      .filter((entry) => entry.path === '/v1/metrics')
      .map((entry) => entry.body.toString())
      .join('\n');
    expect(exported).toContain('gen_ai.client.operation.duration');
    expect(exported).toContain('gen_ai.client.token.usage');
  });

  it('speaks http/protobuf by default', async () => {
    const receiver = await startReceiver();
    const otlp = startOtlpExport({
      OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/`,
    });
    cleanups.push(() => otlp?.shutdown());
    expect(otlp?.protocol).toBe('http/protobuf');
    const { test, base } = await gatewayServer();
    await chat(base, test.tokens.sdk);
    await otlp?.shutdown();
    const traces = receiver.received.filter((entry) => entry.path === '/v1/traces');
    expect(traces[0]?.type).toBe('application/x-protobuf');
    expect(traces[0]?.body.includes(Buffer.from('run coach-reply'))).toBe(true);
  });
});
