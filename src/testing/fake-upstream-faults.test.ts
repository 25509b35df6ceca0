import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  chatBody,
  completionOf,
  errorOf,
  postChat,
  readSseData,
  readUntilFailure,
} from './chat-client.test-helper.js';
import { type FakeUpstream, startFakeUpstream } from './fake-upstream.js';
import type { FakeUpstreamOptions } from './fake-upstream-options.js';

const running: FakeUpstream[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((upstream) => upstream.close()));
});

async function start(options: FakeUpstreamOptions): Promise<FakeUpstream> {
  const upstream = await startFakeUpstream(options);
  running.push(upstream);
  return upstream;
}

/** Sends `count` requests one after another and returns each outcome: a status, or 'rejected'. */
async function outcomes(
  upstream: FakeUpstream,
  model: string,
  count: number,
): Promise<Array<number | string>> {
  const results: Array<number | string> = [];
  for (let index = 0; index < count; index += 1) {
    try {
      const response = await postChat(upstream.url, chatBody(model, `request ${index}`));
      const text = await response.text();
      results.push(response.status === 200 && !isJson(text) ? 'malformed' : response.status);
    } catch {
      results.push('rejected');
    }
  }
  return results;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const person = z.object({ name: z.string(), age: z.int() });
const personFormat = { type: 'json_schema', json_schema: { name: 'person', schema: z.toJSONSchema(person) } };

describe('fault injection: each kind', () => {
  it('injects errors with their status and a Retry-After on 429 and 503', async () => {
    const upstream = await start({
      models: {
        limited: { faults: { errorRate: 1, status: 429, retryAfterSeconds: 7 } },
        broken: { faults: { errorRate: 1 } },
      },
    });
    const limited = await postChat(upstream.url, chatBody('limited', 'hi'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await errorOf(limited)).toMatchObject({ code: 'rate_limit_exceeded', param: null });
    const broken = await postChat(upstream.url, chatBody('broken', 'hi'));
    expect(broken.status).toBe(500);
    expect(broken.headers.get('retry-after')).toBeNull();
    expect((await errorOf(broken)).type).toBe('server_error');
  });

  it('leaves a timed-out request unanswered until the client gives up', async () => {
    const upstream = await start({ models: { m: { faults: { timeoutRate: 1 } } } });
    const attempt = postChat(upstream.url, chatBody('m', 'hi'), { signal: AbortSignal.timeout(150) });
    await expect(attempt).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(upstream.stats().byModel.m?.faults).toEqual({ timeout: 1 });
  });

  it('ends hung requests when the server closes', async () => {
    const upstream = await start({ models: { m: { faults: { timeoutRate: 1 } } } });
    const hung = postChat(upstream.url, chatBody('m', 'hi'));
    const settled = hung.then(
      () => 'answered',
      () => 'rejected',
    );
    while (upstream.stats().byModel.m?.requests !== 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await upstream.close();
    expect(await settled).toBe('rejected');
    await upstream.close();
  });

  it('resets the connection so that fetch rejects', async () => {
    const upstream = await start({ models: { m: { faults: { resetRate: 1 } } } });
    await expect(postChat(upstream.url, chatBody('m', 'hi'))).rejects.toThrow(TypeError);
    await expect(postChat(upstream.url, chatBody('m', 'hi', { stream: true }))).rejects.toThrow(TypeError);
  });

  it('sends a 200 whose JSON does not parse, in plain and streamed answers', async () => {
    const upstream = await start({ models: { m: { faults: { malformedRate: 1 } } } });
    const plain = await postChat(upstream.url, chatBody('m', 'hi'));
    expect(plain.status).toBe(200);
    const text = await plain.text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    const events = await readSseData(await postChat(upstream.url, chatBody('m', 'hi', { stream: true })));
    expect(events.at(-1)).toBe('[DONE]');
    expect(events.slice(0, -1).filter((data) => !isJson(data))).toHaveLength(1);
  });

  it('violates the requested schema, and leaves requests without one untouched', async () => {
    const upstream = await start({ models: { m: { faults: { schemaInvalidRate: 1 } } } });
    const structured = await completionOf(
      postChat(upstream.url, chatBody('m', 'hi', { response_format: personFormat })),
    );
    const content = JSON.parse(structured.choices[0].message.content);
    expect(person.safeParse(content).success).toBe(false);
    const plain = await completionOf(postChat(upstream.url, chatBody('m', 'hi')));
    expect(plain.choices[0].message.content).toContain('hi');
    expect(upstream.stats().byModel.m?.faults).toEqual({ schemaInvalid: 1 });
  });

  it('streams very slowly when the slow-stream fault fires', async () => {
    const upstream = await start({
      models: { m: { faults: { slowStreamRate: 1, slowStreamDelayMs: 2_000 } } },
    });
    const response = await postChat(upstream.url, chatBody('m', 'hi', { stream: true }), {
      signal: AbortSignal.timeout(300),
    });
    expect(response.status).toBe(200);
    const { text, error } = await readUntilFailure(response);
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(text).toContain('"role":"assistant"');
    expect(text).not.toContain('[DONE]');
  });
});

describe('fault injection: rates and seeds', () => {
  it('honours a 30 % error rate over 400 requests and counts each fault', async () => {
    const upstream = await start({ models: { m: { faults: { errorRate: 0.3 } } }, seed: 99 });
    const results = await outcomes(upstream, 'm', 400);
    const errors = results.filter((result) => result === 500).length;
    // Expected 120, standard deviation about 9: a band of more than three deviations each side.
    expect(errors).toBeGreaterThan(90);
    expect(errors).toBeLessThan(150);
    expect(results.filter((result) => result === 200)).toHaveLength(400 - errors);
    expect(upstream.stats().byModel.m).toEqual({ requests: 400, faults: { error: errors } });
  });

  it('draws the same faults for the same seed, other faults for another seed, and replays after reset', async () => {
    const faults = { errorRate: 0.25, malformedRate: 0.25, resetRate: 0.1 };
    const first = await start({ models: { m: { faults } }, seed: 5 });
    const twin = await start({ models: { m: { faults } }, seed: 5 });
    const other = await start({ models: { m: { faults } }, seed: 6 });
    const sequence = await outcomes(first, 'm', 40);
    expect(new Set(sequence)).toEqual(new Set([200, 500, 'malformed', 'rejected']));
    expect(await outcomes(twin, 'm', 40)).toEqual(sequence);
    expect(await outcomes(other, 'm', 40)).not.toEqual(sequence);
    first.reset();
    expect(await outcomes(first, 'm', 40)).toEqual(sequence);
  });

  it('keeps each model on its own random stream, so traffic to one never shifts another', async () => {
    const models = { a: { faults: { errorRate: 0.5 } }, b: { faults: { errorRate: 0.5 } } };
    const quiet = await start({ models, seed: 3 });
    const busy = await start({ models, seed: 3 });
    await outcomes(busy, 'b', 15);
    expect(await outcomes(busy, 'a', 30)).toEqual(await outcomes(quiet, 'a', 30));
  });
});

describe('latency', () => {
  async function elapsedMs(upstream: FakeUpstream, body: unknown): Promise<number> {
    const started = performance.now();
    const response = await postChat(upstream.url, body);
    await response.text();
    return performance.now() - started;
  }

  it('delays answers by roughly the configured distribution (wide band)', async () => {
    const upstream = await start({
      models: { slow: { latencyMs: { distribution: 'uniform', min: 30, max: 50 } }, fast: {} },
    });
    const slow: number[] = [];
    const fast: number[] = [];
    for (let index = 0; index < 10; index += 1) {
      slow.push(await elapsedMs(upstream, chatBody('slow', 'hi')));
      fast.push(await elapsedMs(upstream, chatBody('fast', 'hi')));
    }
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    // Timers may fire a millisecond early; the upper bound only guards against a wildly wrong delay.
    expect(Math.min(...slow)).toBeGreaterThanOrEqual(28);
    expect(mean(slow)).toBeLessThan(1_000);
    expect(mean(slow)).toBeGreaterThan(mean(fast));
  });

  it('paces generation by tokensPerSecond, streamed or not', async () => {
    // 40 characters = 10 tokens at 200 tokens per second: about 50 ms of generation.
    const upstream = await start({ models: { m: { reply: 'y'.repeat(40), tokensPerSecond: 200 } } });
    expect(await elapsedMs(upstream, chatBody('m', 'hi'))).toBeGreaterThanOrEqual(40);
    expect(await elapsedMs(upstream, chatBody('m', 'hi', { stream: true }))).toBeGreaterThanOrEqual(40);
  });
});
