import { setTimeout as sleepFor } from 'node:timers/promises';
import {
  type BulkheadPolicy,
  bulkhead,
  type CircuitBreakerPolicy,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
  isBulkheadRejectedError,
} from 'cockatiel';
import type { z } from 'zod';
import type { ErrorClass } from '../../core/event-schema.js';
import type { circuitBreakerPolicySchema, concurrencyPolicySchema } from '../../core/policy-config.js';
import { classifyError } from '../model-call/classify-error.js';
import { ModelCallError } from '../model-call/model-call-error.js';
import { type RetryPolicy, retryDelayMs } from './retry-delay.js';

/** Who a call is for: the breaker is shared per provider and model, the bulkhead per feature. */
export interface ResilienceKey {
  provider: string;
  model: string;
  feature: string;
}

/** The resilience parts of a feature's (or variant's) policy, with defaults applied. */
export interface ResiliencePolicy {
  /** Per-attempt limit: the attempt's signal is aborted and the attempt fails as `timeout`. */
  timeoutMs?: number;
  retry?: RetryPolicy;
  circuitBreaker?: z.output<typeof circuitBreakerPolicySchema>;
  concurrency?: z.output<typeof concurrencyPolicySchema>;
}

/** One finished attempt, reported as it ends. */
export interface AttemptInfo {
  /** 1 for the first attempt. */
  attempt: number;
  /** `null` when the attempt succeeded. */
  errorClass: ErrorClass | null;
  error?: ModelCallError;
  /** Milliseconds the attempt took, by the instance's clock. */
  durationMs: number;
  /** Whether another attempt follows, and after how long. */
  willRetry: boolean;
  retryInMs?: number;
}

/** Sleeps `milliseconds`, rejecting early when `signal` aborts. */
export type Sleep = (milliseconds: number, signal: AbortSignal) => Promise<void>;

/** Options of `createResilience`. */
export interface ResilienceOptions {
  /** Milliseconds for attempt durations. Default `Date.now`. */
  clock?: () => number;
  /** Uniform [0, 1) source of the retry jitter. Default `Math.random`. */
  random?: () => number;
  /** How backoff waits happen (tests pass one that resolves at once). Default: a timer. */
  sleep?: Sleep;
}

/** Runs model calls under timeouts, retries, circuit breakers and bulkheads; state belongs to the instance. */
export interface Resilience {
  /**
   * Runs `work` under `policy`. Every failure is a ModelCallError: `concurrency` when the feature's
   * bulkhead is full, `circuit_open` when the breaker of the provider and model is open, otherwise the
   * last attempt's error. `onAttempt` hears about every attempt (a circuit-open rejection counts as one
   * that never reached the provider); a bulkhead rejection happens before any attempt.
   */
  execute<T>(
    key: ResilienceKey,
    policy: ResiliencePolicy,
    work: (signal: AbortSignal) => Promise<T>,
    onAttempt?: (attempt: AttemptInfo) => void,
    signal?: AbortSignal,
  ): Promise<T>;
}

/**
 * Creates the timeout, retry, circuit-breaker and bulkhead machinery, from the outside in: a bulkhead per
 * feature (`maxConcurrent` running, `maxQueued` waiting, the rest rejected), retries of retryable errors
 * with exponential backoff and full jitter (a Retry-After longer than the backoff wins; one longer than
 * `maxDelayMs` ends the retries, since waiting that long would blow the caller's latency and the fallback
 * chain serves sooner), a consecutive-failure breaker per provider and model that counts only retryable
 * (transient) failures, and an aggressive per-attempt timeout that aborts the request's signal when it
 * fires. Breakers and bulkheads are cockatiel's; breakers are keyed by their settings too, so features that
 * share a model and the breaker settings share its state. The retry loop and the timeout are our own
 * (docs/decisions/0016-own-retry-and-timeout.md): each attempt costs one abort listener and one timer.
 *
 * @example
 * const resilience = createResilience();
 * const result = await resilience.execute(
 *   { provider: 'openai', model: 'gpt-4o-mini', feature: 'coach-reply' },
 *   { timeoutMs: 8_000, retry: { maxRetries: 2, initialDelayMs: 200, maxDelayMs: 5_000 } },
 *   (signal) => callModel({ model, variant, messages, abortSignal: signal }),
 * );
 */
export function createResilience(options: ResilienceOptions = {}): Resilience {
  const clock = options.clock ?? Date.now;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((milliseconds, signal) => sleepFor(milliseconds, undefined, { signal }));
  const bulkheads = new Map<string, BulkheadPolicy>();
  const breakers = new Map<string, CircuitBreakerPolicy>();
  const bulkheadFor = (feature: string, settings: NonNullable<ResiliencePolicy['concurrency']>) => {
    const id = `${feature}\u0000${settings.maxConcurrent}\u0000${settings.maxQueued}`;
    let policy = bulkheads.get(id);
    if (policy === undefined) {
      policy = bulkhead(settings.maxConcurrent, settings.maxQueued);
      bulkheads.set(id, policy);
    }
    return policy;
  };

  const breakerFor = (key: ResilienceKey, settings: NonNullable<ResiliencePolicy['circuitBreaker']>) => {
    const id = [key.provider, key.model, settings.consecutiveFailures, settings.halfOpenAfterMs].join(
      '\u0000',
    );
    let policy = breakers.get(id);
    if (policy === undefined) {
      // Only transient provider trouble opens the circuit: a 400 or a schema failure says nothing of its health.
      policy = circuitBreaker(
        handleWhen((error) => error instanceof ModelCallError && error.retryable),
        {
          halfOpenAfter: settings.halfOpenAfterMs,
          breaker: new ConsecutiveBreaker(settings.consecutiveFailures),
        },
      );
      breakers.set(id, policy);
    }
    return policy;
  };

  /** One attempt: breaker, then timeout, then the work; every error leaves as a ModelCallError. */
  const attemptOnce = async <T>(
    key: ResilienceKey,
    policy: ResiliencePolicy,
    work: (signal: AbortSignal) => Promise<T>,
    signal: AbortSignal,
  ): Promise<T> => {
    const timed = async (): Promise<T> => {
      try {
        if (policy.timeoutMs === undefined) return await work(signal);
        return await withinTimeout(policy.timeoutMs, work, signal);
      } catch (error: unknown) {
        throw toFailure(error, signal);
      }
    };
    if (policy.circuitBreaker === undefined) return timed();
    try {
      return await breakerFor(key, policy.circuitBreaker).execute(timed, signal);
    } catch (error: unknown) {
      if (isBrokenCircuitError(error)) {
        throw new ModelCallError(`circuit open for ${key.provider}/${key.model}: failing fast`, {
          errorClass: 'circuit_open',
          retryable: false,
          cause: error,
        });
      }
      throw toFailure(error, signal);
    }
  };

  const withRetries = async <T>(
    key: ResilienceKey,
    policy: ResiliencePolicy,
    work: (signal: AbortSignal) => Promise<T>,
    onAttempt: ((attempt: AttemptInfo) => void) | undefined,
    signal: AbortSignal,
  ): Promise<T> => {
    const retryPolicy = policy.retry;
    const maxRetries = retryPolicy?.maxRetries ?? 0;
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) throw toFailure(signal.reason, signal);
      const started = clock();
      let waitMs: number;
      try {
        const value = await attemptOnce(key, policy, work, signal);
        report(onAttempt, {
          attempt: attempt + 1,
          errorClass: null,
          durationMs: clock() - started,
          willRetry: false,
        });
        return value;
      } catch (error: unknown) {
        const failure = toFailure(error, signal);
        const willRetry = attempt < maxRetries && worthRetrying(failure, retryPolicy) && !signal.aborted;
        waitMs =
          willRetry && retryPolicy !== undefined
            ? retryDelayMs(attempt + 1, retryPolicy, random, failure.retryAfterMs)
            : 0;
        report(onAttempt, {
          attempt: attempt + 1,
          errorClass: failure.errorClass,
          error: failure,
          durationMs: clock() - started,
          willRetry,
          ...(willRetry ? { retryInMs: waitMs } : {}),
        });
        if (!willRetry) throw failure;
      }
      if (waitMs > 0) {
        try {
          await sleep(waitMs, signal);
        } catch (error: unknown) {
          throw toFailure(error, signal);
        }
      }
    }
  };

  return {
    async execute(key, policy, work, onAttempt, callerSignal) {
      const signal = callerSignal ?? new AbortController().signal;
      if (policy.concurrency === undefined) return withRetries(key, policy, work, onAttempt, signal);
      const settings = policy.concurrency;
      try {
        return await bulkheadFor(key.feature, settings).execute(
          () => withRetries(key, policy, work, onAttempt, signal),
          signal,
        );
      } catch (error: unknown) {
        if (isBulkheadRejectedError(error)) {
          throw new ModelCallError(
            `${key.feature}: ${settings.maxConcurrent} calls running and ${settings.maxQueued} queued; rejected`,
            { errorClass: 'concurrency', retryable: false, cause: error },
          );
        }
        throw toFailure(error, signal);
      }
    },
  };
}

/**
 * Whether a failure is worth another attempt: a transient one, unless the provider asks for a longer pause
 * than we are willing to wait.
 */
function worthRetrying(failure: ModelCallError, settings: RetryPolicy | undefined): boolean {
  return (
    failure.retryable &&
    (failure.retryAfterMs === undefined ||
      settings === undefined ||
      failure.retryAfterMs <= settings.maxDelayMs)
  );
}

/** The per-attempt timeout fired. */
class AttemptTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'AttemptTimeoutError';
  }
}

/**
 * Runs one attempt with a signal of its own that aborts when the caller's does or when `milliseconds` pass,
 * and settles at that moment even if the work ignores its signal (an aggressive timeout): with the timeout's
 * error, or with the caller's abort reason. A finished attempt's signal is left alone.
 */
function withinTimeout<T>(
  milliseconds: number,
  work: (signal: AbortSignal) => Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  // Defensive (the retry loop checks first): a listener added to an aborted signal would never fire.
  if (signal.aborted) return Promise.reject(signal.reason);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onCallerAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    onCallerAbort = () => {
      controller.abort(signal.reason);
      reject(signal.reason);
    };
    timer = setTimeout(() => {
      const error = new AttemptTimeoutError(milliseconds);
      controller.abort(error);
      reject(error);
    }, milliseconds);
  });
  signal.addEventListener('abort', onCallerAbort as () => void, { once: true });
  const done = () => {
    clearTimeout(timer);
    signal.removeEventListener('abort', onCallerAbort as () => void);
  };
  let running: Promise<T>;
  try {
    running = work(controller.signal);
  } catch (error: unknown) {
    running = Promise.reject(error);
  }
  const settled = Promise.race([running, stopped]);
  settled.then(done, done);
  return settled;
}

/**
 * Maps a cancellation (the attempt's timeout or the caller's abort) or any other error to a ModelCallError.
 * Once the caller has left, a failure that would count as the provider's trouble is the caller's abort
 * instead, whatever reason the caller aborted with: a breaker does not count it.
 */
function toFailure(error: unknown, signal: AbortSignal): ModelCallError {
  if (error instanceof ModelCallError && !(signal.aborted && error.retryable)) return error;
  if (signal.aborted) {
    return new ModelCallError('the call was aborted by the caller', {
      errorClass: 'unknown',
      retryable: false,
      cause: error,
    });
  }
  if (error instanceof AttemptTimeoutError) {
    return new ModelCallError(error.message, {
      errorClass: 'timeout',
      retryable: true,
      cause: error,
    });
  }
  return classifyError(error);
}

/** Telemetry hooks must never break a call. */
function report(onAttempt: ((attempt: AttemptInfo) => void) | undefined, info: AttemptInfo): void {
  if (onAttempt === undefined) return;
  try {
    onAttempt(info);
  } catch {
    // Ignored on purpose: a failing listener is the listener's problem, not the call's.
  }
}
