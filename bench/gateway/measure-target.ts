import autocannon from 'autocannon';

/** One thing the benchmark sends chat completions to. */
export interface GatewayTarget {
  readonly name: string;
  /** The full chat-completions URL. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** What one autocannon run against one target measured. */
export interface TargetRun {
  readonly target: string;
  /** Seconds, as autocannon timed the run. */
  readonly durationSeconds: number;
  /** 2xx answers. */
  readonly ok: number;
  /** Every 2xx answer's latency in milliseconds, as autocannon timed it (no histogram rounding). */
  readonly latenciesMs: number[];
  /** autocannon's own summary: p50 and p99 from its 1 ms histogram, mean of its per-second samples. */
  readonly autocannon: { readonly p50: number; readonly p99: number; readonly requestsPerSecond: number };
  /** Connection errors and timeouts, and answers other than 2xx. */
  readonly errors: number;
  readonly non2xx: number;
  readonly statusCodes: Readonly<Record<string, number>>;
}

/** Options of `measureTarget`. */
export interface MeasureOptions {
  readonly body: string;
  readonly connections: number;
  readonly durationSeconds: number;
}

/**
 * Runs autocannon against one target (POST of `body`, `connections` connections kept busy, one request
 * in flight on each, for `durationSeconds`) and keeps every answer's latency beside autocannon's summary.
 *
 * @example
 * const run = await measureTarget(target, { body, connections: 50, durationSeconds: 10 });
 * console.log(run.ok / run.durationSeconds, 'requests/s');
 */
export async function measureTarget(target: GatewayTarget, options: MeasureOptions): Promise<TargetRun> {
  const latenciesMs: number[] = [];
  const instance = autocannon({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: options.body,
    connections: options.connections,
    duration: options.durationSeconds,
    pipelining: 1,
  });
  instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    if (statusCode >= 200 && statusCode < 300) latenciesMs.push(responseTimeMs);
  });
  const result = await instance;
  return {
    target: target.name,
    durationSeconds: result.duration,
    ok: result['2xx'],
    latenciesMs,
    autocannon: {
      p50: result.latency.p50,
      p99: result.latency.p99,
      requestsPerSecond: result.requests.average,
    },
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
    ),
  };
}
