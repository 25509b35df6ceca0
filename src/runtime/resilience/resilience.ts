import { setTimeout as sleepFor } from 'node:timers/promises';
import {
  type BulkheadPolicy,
  bulkhead,
  type CircuitBreakerPolicy,
  type RetryPolicy as CockatielRetryPolicy,
  ConsecutiveBreaker,
  ConstantBackoff,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
  isBulkheadRejectedError,
  retry,
  type TimeoutPolicy,
  TimeoutStrategy,
  timeout,
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
 * Creates the timeout, retry, circuit-breaker and bulkhead machinery (cockatiel underneath), from the
 * outside in: a bulkhead per feature (`maxConcurrent` running, `maxQueued` waiting, the rest rejected),
 * retries of retryable errors with exponential backoff and full jitter (a Retry-After longer than the
 * backoff wins; one longer than `maxDelayMs` ends the retries, since waiting that long would blow the
 * caller's latency and the fallback chain serves sooner), a consecutive-failure breaker per provider and
 * model that counts only retryable (transient) failures, and an aggressive per-attempt timeout that
 * aborts the request's signal when it fires. Breakers are keyed by their settings too, so features that
 * share a model and the breaker settings share its state; timeout and retry policies are built once per
 * setting and reused (a retry setting is known by its object, as a compiled feature holds it).
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
  // Policies hold no per-call state, so each is built once per setting rather than on every call.
  const timeouts = new Map<number, TimeoutPolicy>();
  const retriers = new WeakMap<RetryPolicy, Retrier>();
  const noRetries = retrier(undefined);

  const timeoutFor = (milliseconds: number) => {
    let policy = timeouts.get(milliseconds);
    if (policy === undefined) {
      // A finished call is not aborted: the signal is its request's, and aborting it costs an abort path.
      policy = timeout(milliseconds, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
      timeouts.set(milliseconds, policy);
    }
    return policy;
  };

  const retrierFor = (settings: RetryPolicy | undefined) => {
    if (settings === undefined) return noRetries;
    let found = retriers.get(settings);
    if (found === undefined) {
      found = retrier(settings);
      retriers.set(settings, found);
    }
    return found;
  };

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
        return await timeoutFor(policy.timeoutMs).execute(
          (_context, timeoutSignal) => work(timeoutSignal),
          signal,
        );
      } catch (error: unknown) {
        throw toFailure(error, signal, policy.timeoutMs);
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
      throw toFailure(error, signal, policy.timeoutMs);
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
    const { retrying, worthRetrying } = retrierFor(retryPolicy);
    let waitMs = 0;
    return retrying.execute(async ({ attempt }) => {
      if (attempt > 0 && waitMs > 0) {
        try {
          await sleep(waitMs, signal);
        } catch (error: unknown) {
          throw toFailure(error, signal, undefined);
        }
      }
      if (signal.aborted) throw toFailure(signal.reason, signal, undefined);
      const started = clock();
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
        const failure = error instanceof ModelCallError ? error : toFailure(error, signal, policy.timeoutMs);
        const willRetry = attempt < maxRetries && worthRetrying(failure) && !signal.aborted;
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
        throw failure;
      }
    }, signal);
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
        throw error instanceof ModelCallError ? error : toFailure(error, signal, undefined);
      }
    },
  };
}

/** A retry policy of cockatiel and the test of what it retries, for one retry setting. */
interface Retrier {
  readonly retrying: CockatielRetryPolicy;
  readonly worthRetrying: (error: unknown) => error is ModelCallError;
}

/**
 * cockatiel counts and filters the retries; the backoff wait runs through `sleep` (in each call) so it
 * aborts and fakes. A provider that asks for a longer pause than we are willing to wait is not retried.
 */
function retrier(settings: RetryPolicy | undefined): Retrier {
  const worthRetrying = (error: unknown): error is ModelCallError =>
    error instanceof ModelCallError &&
    error.retryable &&
    (error.retryAfterMs === undefined || settings === undefined || error.retryAfterMs <= settings.maxDelayMs);
  const retrying = retry(handleWhen(worthRetrying), {
    maxAttempts: settings?.maxRetries ?? 0,
    backoff: new ConstantBackoff(0),
  });
  return { retrying, worthRetrying };
}

/** Maps a cockatiel cancellation (our timeout or the caller's abort) or any other error to a ModelCallError. */
function toFailure(error: unknown, signal: AbortSignal, timeoutMs: number | undefined): ModelCallError {
  if (error instanceof ModelCallError) return error;
  if (signal.aborted) {
    return new ModelCallError('the call was aborted by the caller', {
      errorClass: 'unknown',
      retryable: false,
      cause: error,
    });
  }
  if (isTaskCancelled(error)) {
    return new ModelCallError(`no answer within ${timeoutMs ?? 0} ms`, {
      errorClass: 'timeout',
      retryable: true,
      cause: error,
    });
  }
  return classifyError(error);
}

/**
 * Whether cockatiel cancelled the task (its timeout fired). cockatiel 3.2's own `isTaskCancelledError`
 * tests for the bulkhead's marker by mistake, so the error's own marker is checked here.
 */
function isTaskCancelled(error: unknown): boolean {
  return error instanceof Error && 'isTaskCancelledError' in error;
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
