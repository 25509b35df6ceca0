import { hasMarker, SwitchyardError } from '../../core/errors.js';
import type { ErrorClass } from '../../core/event-schema.js';
import type { Usage } from './model-request.js';

/** What a `ModelCallError` carries besides its message. */
export interface ModelCallErrorOptions {
  errorClass: ErrorClass;
  /** Whether trying the same call again may succeed (transient provider or network trouble). */
  retryable: boolean;
  /** How long the provider asked us to wait before the next request (Retry-After). */
  retryAfterMs?: number;
  /** HTTP status of the provider's answer, when there was one. */
  status?: number;
  /** Tokens the provider billed before the call failed (a rejected reply still costs its tokens). */
  usage?: Usage;
  cause?: unknown;
}

const modelCallErrorMarker = Symbol.for('switchyard.error.ModelCallError');

/**
 * A failed model call (code `MODEL_CALL_FAILED`), classified: `errorClass` is what telemetry records and
 * `retryable` is what the retry policy and circuit breaker act on.
 */
export class ModelCallError extends SwitchyardError {
  readonly [modelCallErrorMarker] = true;
  readonly errorClass: ErrorClass;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  readonly usage: Usage | undefined;

  constructor(message: string, options: ModelCallErrorOptions) {
    super('MODEL_CALL_FAILED', message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ModelCallError';
    this.errorClass = options.errorClass;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
    this.usage = options.usage;
  }

  /** Whether `error` is a ModelCallError, from this copy of the package or any other. */
  static override isInstance(error: unknown): error is ModelCallError {
    return hasMarker(error, modelCallErrorMarker);
  }
}
