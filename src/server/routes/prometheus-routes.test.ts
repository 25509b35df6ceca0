import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../server.test-helper.js';

let first: TestServer;
let second: TestServer;

beforeAll(async () => {
  [first, second] = await Promise.all([startTestServer(), startTestServer()]);
});
afterAll(() => Promise.all([first.close(), second.close()]));

function sample(metrics: string, name: string, labels: string): number | undefined {
  const line = metrics.split('\n').find((entry) => entry.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('GET /metrics', () => {
  it('counts requests and their durations by route template and status, plus process metrics', async () => {
    await first.call('GET', '/api/features/coach-reply');
    await first.call('GET', '/api/features/nope');
    await first.call('GET', '/api/features/other');
    await first.call('GET', '/api/features', { token: null });
    await first.call('GET', '/no/such/route');
    const response = await first.call('GET', '/metrics', { token: first.tokens.viewer });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const metrics = response.body;
    const requests = 'switchyard_http_requests_total';
    expect(sample(metrics, requests, 'method="GET",route="/api/features/:key",status="200"')).toBe(1);
    expect(sample(metrics, requests, 'method="GET",route="/api/features/:key",status="404"')).toBe(2);
    expect(sample(metrics, requests, 'method="GET",route="/api/features",status="401"')).toBe(1);
    expect(sample(metrics, requests, 'method="GET",route="unmatched",status="404"')).toBe(1);
    expect(metrics).not.toContain('route="/api/features/nope"');
    const count = sample(
      metrics,
      'switchyard_http_request_duration_seconds_count',
      'method="GET",route="/api/features/:key",status="404"',
    );
    expect(count).toBe(2);
    expect(metrics).toMatch(/^process_cpu_user_seconds_total /m);
    expect(metrics).toMatch(/^nodejs_heap_size_used_bytes /m);
  });

  it('keeps one registry per server', async () => {
    await second.call('POST', '/api/decide', { body: { feature: 'coach-reply' } });
    const metrics = (await second.call('GET', '/metrics')).body;
    expect(
      sample(metrics, 'switchyard_http_requests_total', 'method="POST",route="/api/decide",status="200"'),
    ).toBe(1);
    expect(metrics).not.toContain('route="/api/features/:key"');
  });
});
