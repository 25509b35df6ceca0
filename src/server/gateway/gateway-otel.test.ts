import { metrics, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeUpstream, startFakeUpstream } from '../../testing/index.js';
import { startTestServer, type TestServer } from '../server.test-helper.js';

/** Collects on demand, as a test reads metrics. */
class TestReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

const spans = new InMemorySpanExporter();
const reader = new TestReader();
let upstream: FakeUpstream;
let test: TestServer;
let base: string;

beforeAll(async () => {
  trace.setGlobalTracerProvider(
    new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] }),
  );
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  upstream = await startFakeUpstream({
    models: { broken: { faults: { errorRate: 1, status: 400 } }, ok: { reply: 'fine' } },
  });
  test = await startTestServer({
    features: [
      {
        key: 'coach-reply',
        defaultVariant: 'v2',
        variants: {
          v1: { type: 'llm', provider: 'fake', model: 'broken', fallback: ['v2'] },
          v2: { type: 'llm', provider: 'fake', model: 'ok' },
        },
        rules: [{ id: 'everyone-v1', serve: 'v1' }],
      },
    ],
    providers: { fake: { type: 'openai-compatible', baseURL: upstream.url } },
  });
  base = await test.server.listen();
});
afterAll(async () => {
  await test?.close();
  await upstream?.close();
  trace.disable();
  metrics.disable();
});

describe('OpenTelemetry through the gateway', () => {
  it('gives one run span with a GenAI span per model call, the flag evaluation event and the variant on the metrics', async () => {
    const response = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${test.tokens.sdk}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'switchyard/coach-reply',
        messages: [{ role: 'user', content: 'hi' }],
        user: 'u-1',
      }),
    });
    expect(response.status).toBe(200);
    await response.text();

    const finished = spans.getFinishedSpans();
    const run = finished.find((span) => span.name === 'run coach-reply');
    expect(run).toBeDefined();
    expect(run!.kind).toBe(SpanKind.INTERNAL);
    expect(run!.attributes).toMatchObject({
      'switchyard.feature': 'coach-reply',
      'switchyard.variant': 'v1',
      'switchyard.reason': 'TARGETING_MATCH',
      'switchyard.rule_id': 'everyone-v1',
      'switchyard.served_variant': 'v2',
      'switchyard.fallback': true,
      'switchyard.outcome': 'success',
    });
    expect(run!.events.map((event) => [event.name, event.attributes])).toEqual([
      [
        'feature_flag.evaluation',
        {
          'feature_flag.key': 'coach-reply',
          'feature_flag.result.variant': 'v1',
          'feature_flag.result.reason': 'targeting_match',
          'feature_flag.provider.name': 'switchyard',
          'feature_flag.version': '1',
        },
      ],
    ]);

    const children = finished.filter((span) => span.parentSpanContext?.spanId === run!.spanContext().spanId);
    expect(children.map((span) => span.name)).toEqual(['chat broken', 'chat ok']);
    for (const child of children) {
      expect(child.kind).toBe(SpanKind.CLIENT);
      expect(child.spanContext().traceId).toBe(run!.spanContext().traceId);
      expect(child.startTime <= child.endTime).toBe(true);
    }
    const [failed, served] = children as [(typeof children)[0], (typeof children)[0]];
    expect(failed.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'fake',
      'gen_ai.request.model': 'broken',
      'switchyard.variant': 'v1',
      'error.type': 'client_error',
    });
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(served.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'ok',
      'gen_ai.response.finish_reasons': ['stop'],
      'switchyard.variant': 'v2',
      'switchyard.fallback': true,
    });
    expect(served.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    expect(served.attributes).not.toHaveProperty('error.type');

    const { resourceMetrics } = await reader.collect();
    const all = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    const duration = all.find((metric) => metric.descriptor.name === 'gen_ai.client.operation.duration');
    expect(duration?.descriptor.unit).toBe('s');
    expect(duration?.dataPoints.map((point) => point.attributes['switchyard.variant']).sort()).toEqual([
      'v1',
      'v2',
    ]);
    const tokens = all.find((metric) => metric.descriptor.name === 'gen_ai.client.token.usage');
    const types = tokens?.dataPoints
      .filter((point) => point.attributes['switchyard.variant'] === 'v2')
      .map((point) => point.attributes['gen_ai.token.type'])
      .sort();
    expect(types).toEqual(['input', 'output']);
  });
});
