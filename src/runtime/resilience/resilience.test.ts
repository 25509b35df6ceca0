import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FakeModelBehaviour } from '../../testing/index.js';
import { ModelCallError } from '../model-call/model-call-error.js';
import { callVariant, useFakeUpstream } from '../model-call/upstream-harness.case.js';
import { type AttemptInfo, createResilience, type ResiliencePolicy, type Sleep } from './resilience.js';

const startModel = useFakeUpstream();
/** Retries and breakers must act alike through the AI SDK and through the direct chat-completions model. */
const PROVIDER_TYPES = ['openai', 'openai-compatible'] as const;
const startModels = {
  openai: startModel,
  'openai-compatible': useFakeUpstream('openai-compatible'),
};
const key = { provider: 'fake', model: 'gpt-fake', feature: 'coach-reply' };
const retry = { maxRetries: 3, initialDelayMs: 100, maxDelayMs: 5_000 };
const healthy: FakeModelBehaviour = { reply: 'all good' };

afterEach(() => {
  vi.useRealTimers();
});

/**
 * A sleep that returns at once, records each wait, and can change the world before the next attempt. A
 * jittered backoff that comes out at 0 ms is not slept at all, so a test whose sleep changes the world fixes
 * the jitter (`random: () => 0.5`).
 */
function recordingSleep(beforeNext: (waitIndex: number) => void = () => {}): {
  sleep: Sleep;
  waits: number[];
} {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (milliseconds) => {
      waits.push(milliseconds);
      beforeNext(waits.length - 1);
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<ModelCallError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ModelCallError);
  return error as ModelCallError;
}

describe.each(PROVIDER_TYPES)('createResilience: retries (%s provider)', (type) => {
  const startModel = startModels[type];

  it('waits as long as Retry-After asks after a 429, then succeeds', async () => {
    const { model, upstream } = await startModel({
      faults: { errorRate: 1, status: 429, retryAfterSeconds: 2 },
    });
    const { sleep, waits } = recordingSleep(() => upstream.setModel('gpt-fake', healthy));
    const resilience = createResilience({ sleep, random: () => 0.5 });
    const attempts: AttemptInfo[] = [];
    const result = await resilience.execute(
      key,
      { retry },
      (signal) =>
        callVariant({ model, variant: {}, messages: [{ role: 'user', content: 'hi' }], abortSignal: signal }),
      (attempt) => attempts.push(attempt),
    );
    expect(result.text).toBe('all good');
    expect(waits).toEqual([2_000]);
    expect(upstream.stats().requests).toBe(2);
    expect(attempts.map((attempt) => [attempt.attempt, attempt.errorClass, attempt.willRetry])).toEqual([
      [1, 'rate_limited', true],
      [2, null, false],
    ]);
    expect(attempts[0]?.retryInMs).toBe(2_000);
  });

  it('does not retry when Retry-After is longer than the longest backoff', async () => {
    const { model, upstream } = await startModel({
      faults: { errorRate: 1, status: 429, retryAfterSeconds: 60 },
    });
    const { sleep, waits } = recordingSleep();
    const resilience = createResilience({ sleep });
    const error = await failure(
      resilience.execute(key, { retry }, (signal) =>
        callVariant({ model, variant: {}, messages: [{ role: 'user', content: 'hi' }], abortSignal: signal }),
      ),
    );
    expect(error).toMatchObject({ errorClass: 'rate_limited', retryAfterMs: 60_000 });
    expect(waits).toEqual([]);
    expect(upstream.stats().requests).toBe(1);
  });

  it('retries a 500 up to maxRetries with exponential backoff and full jitter', async () => {
    const { model, upstream } = await startModel({ faults: { errorRate: 1, status: 500 } });
    const { sleep, waits } = recordingSleep();
    const resilience = createResilience({ sleep, random: () => 0.5 });
    const attempts: AttemptInfo[] = [];
    const error = await failure(
      resilience.execute(
        key,
        { retry },
        (signal) =>
          callVariant({
            model,
            variant: {},
            messages: [{ role: 'user', content: 'hi' }],
            abortSignal: signal,
          }),
        (attempt) => attempts.push(attempt),
      ),
    );
    expect(error.errorClass).toBe('server_error');
    expect(upstream.stats().requests).toBe(4);
    expect(waits).toEqual([50, 100, 200]);
    expect(attempts.map((attempt) => attempt.willRetry)).toEqual([true, true, true, false]);
    expect(attempts.every((attempt) => attempt.errorClass === 'server_error')).toBe(true);
  });

  it('does not retry a 400', async () => {
    const { model, upstream } = await startModel({ faults: { errorRate: 1, status: 400 } });
    const { sleep, waits } = recordingSleep();
    const error = await failure(
      createResilience({ sleep }).execute(key, { retry }, (signal) =>
        callVariant({ model, variant: {}, messages: [{ role: 'user', content: 'hi' }], abortSignal: signal }),
      ),
    );
    expect(error).toMatchObject({ errorClass: 'client_error', status: 400 });
    expect(upstream.stats().requests).toBe(1);
    expect(waits).toEqual([]);
  });

  it('aborts an attempt that outlives the timeout and retries it', async () => {
    const { model, upstream } = await startModel({ faults: { timeoutRate: 1 } });
    const { sleep } = recordingSleep(() => upstream.setModel('gpt-fake', healthy));
    const signals: AbortSignal[] = [];
    const attempts: AttemptInfo[] = [];
    const result = await createResilience({ sleep, random: () => 0.5 }).execute(
      key,
      { timeoutMs: 100, retry },
      (signal) => {
        signals.push(signal);
        return callVariant({
          model,
          variant: {},
          messages: [{ role: 'user', content: 'hi' }],
          abortSignal: signal,
        });
      },
      (attempt) => attempts.push(attempt),
    );
    expect(result.text).toBe('all good');
    expect(signals[0]?.aborted).toBe(true);
    expect(attempts.map((attempt) => attempt.errorClass)).toEqual(['timeout', null]);
    expect(upstream.stats().requests).toBe(2);
  });

  it('retries a reset connection', async () => {
    const { model, upstream } = await startModel({ faults: { resetRate: 1 } });
    const { sleep } = recordingSleep(() => upstream.setModel('gpt-fake', healthy));
    const attempts: AttemptInfo[] = [];
    const result = await createResilience({ sleep, random: () => 0.5 }).execute(
      key,
      { retry },
      (signal) =>
        callVariant({ model, variant: {}, messages: [{ role: 'user', content: 'hi' }], abortSignal: signal }),
      (attempt) => attempts.push(attempt),
    );
    expect(result.text).toBe('all good');
    expect(attempts.map((attempt) => attempt.errorClass)).toEqual(['connection', null]);
  });

  it('stops at once when the caller aborts, without retrying', async () => {
    const { model, upstream } = await startModel({ faults: { timeoutRate: 1 } });
    const controller = new AbortController();
    const { sleep, waits } = recordingSleep();
    const pending = createResilience({ sleep }).execute(
      key,
      { retry, timeoutMs: 10_000 },
      (signal) =>
        callVariant({ model, variant: {}, messages: [{ role: 'user', content: 'hi' }], abortSignal: signal }),
      undefined,
      controller.signal,
    );
    // Abort once the request is hanging at the provider.
    await vi.waitFor(() => expect(upstream.stats().requests).toBe(1));
    controller.abort();
    const error = await failure(pending);
    expect(error).toMatchObject({ errorClass: 'unknown', retryable: false });
    expect(waits).toEqual([]);
    expect(upstream.stats().requests).toBe(1);
  });

  it('leaves the signal of a finished attempt alone, and aborts the one of a timed-out attempt', async () => {
    const { model, upstream } = await startModel({ faults: { timeoutRate: 1 } });
    const signals: AbortSignal[] = [];
    const { sleep } = recordingSleep(() => upstream.setModel('gpt-fake', healthy));
    const resilience = createResilience({ sleep, random: () => 0.5 });
    const call = () =>
      // Long enough that a healthy answer never times out on a loaded machine; only the hanging one does.
      resilience.execute(key, { timeoutMs: 1_500, retry }, (signal) => {
        signals.push(signal);
        return callVariant({
          model,
          variant: {},
          messages: [{ role: 'user', content: 'hi' }],
          abortSignal: signal,
        });
      });
    expect((await call()).text).toBe('all good');
    expect((await call()).text).toBe('all good');
    expect(signals.map((signal) => signal.aborted)).toEqual([true, false, false]);
  });

  it('ignores a listener that throws', async () => {
    const { model } = await startModel(healthy);
    const result = await createResilience().execute(
      key,
      {},
      (signal) =>
        callVariant({ model, variant: {}, messages: [{ role: 'user', content: 'hi' }], abortSignal: signal }),
      () => {
        throw new Error('listener bug');
      },
    );
    expect(result.text).toBe('all good');
  });
});

describe.each(PROVIDER_TYPES)('createResilience: circuit breaker (%s provider)', (type) => {
  const startModel = startModels[type];
  const breakerPolicy: ResiliencePolicy = {
    circuitBreaker: { consecutiveFailures: 3, halfOpenAfterMs: 30_000 },
  };

  it('opens after N consecutive failures, fails fast, and half-opens after the pause', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-03-01T12:00:00Z'));
    const { model, upstream } = await startModel({ faults: { errorRate: 1, status: 502 } });
    const resilience = createResilience();
    const call = () =>
      resilience.execute(key, breakerPolicy, (signal) =>
        callVariant({ model, variant: {}, messages: [{ role: 'user', content: 'hi' }], abortSignal: signal }),
      );
    for (let index = 0; index < 3; index += 1)
      expect((await failure(call())).errorClass).toBe('server_error');
    expect((await failure(call())).errorClass).toBe('circuit_open');
    expect(upstream.stats().requests).toBe(3);

    upstream.setModel('gpt-fake', healthy);
    vi.setSystemTime(Date.now() + 29_999);
    expect((await failure(call())).errorClass).toBe('circuit_open');
    vi.setSystemTime(Date.now() + 2);
    expect((await call()).text).toBe('all good');
    expect((await call()).text).toBe('all good');
    expect(upstream.stats().requests).toBe(5);
  });

  it('does not count client errors, and keeps breakers per instance and per provider and model', async () => {
    const { model, upstream } = await startModel({ faults: { errorRate: 1, status: 400 } });
    const resilience = createResilience();
    const call = (target: typeof key) =>
      resilience.execute(target, breakerPolicy, (signal) =>
        callVariant({ model, variant: {}, messages: [{ role: 'user', content: 'hi' }], abortSignal: signal }),
      );
    for (let index = 0; index < 5; index += 1)
      expect((await failure(call(key))).errorClass).toBe('client_error');

    upstream.setModel('gpt-fake', { faults: { errorRate: 1, status: 500 } });
    for (let index = 0; index < 3; index += 1) await failure(call(key));
    expect((await failure(call(key))).errorClass).toBe('circuit_open');
    // Another model, and another instance, still reach the provider.
    expect((await failure(call({ ...key, model: 'gpt-other' }))).errorClass).toBe('server_error');
    const other = await failure(
      createResilience().execute(key, breakerPolicy, (signal) =>
        callVariant({ model, variant: {}, messages: [{ role: 'user', content: 'hi' }], abortSignal: signal }),
      ),
    );
    expect(other.errorClass).toBe('server_error');
  });

  it('does not retry a call the open circuit refused', async () => {
    const { model, upstream } = await startModel({ faults: { errorRate: 1, status: 500 } });
    const { sleep } = recordingSleep();
    const attempts: AttemptInfo[] = [];
    const error = await failure(
      createResilience({ sleep }).execute(
        key,
        {
          retry: { ...retry, maxRetries: 5 },
          circuitBreaker: { consecutiveFailures: 2, halfOpenAfterMs: 30_000 },
        },
        (signal) =>
          callVariant({
            model,
            variant: {},
            messages: [{ role: 'user', content: 'hi' }],
            abortSignal: signal,
          }),
        (attempt) => attempts.push(attempt),
      ),
    );
    expect(error.errorClass).toBe('circuit_open');
    expect(attempts.map((attempt) => attempt.errorClass)).toEqual([
      'server_error',
      'server_error',
      'circuit_open',
    ]);
    expect(upstream.stats().requests).toBe(2);
  });
});

describe('createResilience: bulkhead', () => {
  it('runs maxConcurrent calls, queues maxQueued and rejects the rest', async () => {
    const { model, upstream } = await startModel({ ...healthy, latencyMs: 50 });
    const resilience = createResilience();
    let running = 0;
    let mostRunning = 0;
    const call = () =>
      resilience.execute(key, { concurrency: { maxConcurrent: 1, maxQueued: 1 } }, async (signal) => {
        running += 1;
        mostRunning = Math.max(mostRunning, running);
        try {
          return await callVariant({
            model,
            variant: {},
            messages: [{ role: 'user', content: 'hi' }],
            abortSignal: signal,
          });
        } finally {
          running -= 1;
        }
      });
    const outcomes = await Promise.allSettled([call(), call(), call()]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const rejected = outcomes[2];
    expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(ModelCallError);
    expect(rejected?.status === 'rejected' && (rejected.reason as ModelCallError).errorClass).toBe(
      'concurrency',
    );
    expect(mostRunning).toBe(1);
    expect(upstream.stats().requests).toBe(2);
    // The bulkhead frees its slots: the feature can be called again.
    expect((await call()).text).toBe('all good');
  });
});

describe('createResilience: an attempt that ignores its signal', () => {
  /** Work that never settles and never looks at its signal, as a stuck handler or library would. */
  const stuck = (signals: AbortSignal[]) => (signal: AbortSignal) => {
    signals.push(signal);
    return new Promise<never>(() => {});
  };

  it('fails as a timeout when the time is up, aborting the attempt signal, and retries', async () => {
    const signals: AbortSignal[] = [];
    const attempts: AttemptInfo[] = [];
    const { sleep, waits } = recordingSleep();
    const error = await failure(
      createResilience({ sleep, random: () => 0.5 }).execute(
        key,
        { timeoutMs: 20, retry: { maxRetries: 1, initialDelayMs: 100, maxDelayMs: 5_000 } },
        stuck(signals),
        (attempt) => attempts.push(attempt),
      ),
    );
    expect(error).toMatchObject({
      errorClass: 'timeout',
      retryable: true,
      message: 'no answer within 20 ms',
    });
    expect(attempts.map((attempt) => [attempt.errorClass, attempt.willRetry])).toEqual([
      ['timeout', true],
      ['timeout', false],
    ]);
    expect(waits).toHaveLength(1);
    expect(signals.map((signal) => signal.aborted)).toEqual([true, true]);
  });

  it('settles at once when the caller aborts, and tells the attempt through its signal', async () => {
    const signals: AbortSignal[] = [];
    const controller = new AbortController();
    const pending = createResilience().execute(
      key,
      { timeoutMs: 60_000, retry },
      stuck(signals),
      undefined,
      controller.signal,
    );
    await vi.waitFor(() => expect(signals).toHaveLength(1));
    controller.abort(new Error('client left'));
    const error = await failure(pending);
    expect(error).toMatchObject({ errorClass: 'unknown', retryable: false });
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toMatchObject({ message: 'client left' });
  });

  it('turns work that throws before returning a promise into a failed attempt, leaving no timer behind', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const error = await failure(
      createResilience().execute(key, { timeoutMs: 1_000 }, () => {
        throw new ModelCallError('bad request', { errorClass: 'client_error', retryable: false });
      }),
    );
    expect(error).toMatchObject({ errorClass: 'client_error', message: 'bad request' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not count a caller leaving against the provider, whatever reason it aborts with', async () => {
    const resilience = createResilience();
    const breaker: ResiliencePolicy = {
      timeoutMs: 60_000,
      circuitBreaker: { consecutiveFailures: 1, halfOpenAfterMs: 30_000 },
    };
    const controller = new AbortController();
    const signals: AbortSignal[] = [];
    const pending = resilience.execute(key, breaker, stuck(signals), undefined, controller.signal);
    await vi.waitFor(() => expect(signals).toHaveLength(1));
    controller.abort(new ModelCallError('gone', { errorClass: 'server_error', retryable: true }));
    expect(await failure(pending)).toMatchObject({ errorClass: 'unknown', retryable: false });
    // One counted failure would have opened this breaker.
    expect(await resilience.execute(key, breaker, async () => 'served')).toBe('served');
  });
});
