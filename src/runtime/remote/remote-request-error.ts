import { type ConfigProblem, hasMarker, SwitchyardError } from '../../core/errors.js';

const remoteRequestErrorMarker = Symbol.for('switchyard.error.RemoteRequestError');

/**
 * Why a request to the Switchyard server failed (code `REMOTE_REQUEST_FAILED`), and whether sending it
 * again may help.
 */
export class RemoteRequestError extends SwitchyardError {
  readonly [remoteRequestErrorMarker] = true;
  /** The HTTP status, or undefined when no answer came (connection refused, reset, timed out). */
  readonly status: number | undefined;
  /** True for failures that may pass: no answer, 408, 429 and 5xx. */
  readonly retryable: boolean;
  /** The server's Retry-After, in milliseconds. */
  readonly retryAfterMs: number | undefined;
  /** The problems a 400 named (`events[3].at`). */
  readonly problems: readonly ConfigProblem[];

  constructor(
    message: string,
    details: { status?: number; retryAfterMs?: number; problems?: readonly ConfigProblem[]; cause?: unknown },
  ) {
    super('REMOTE_REQUEST_FAILED', message, details.cause === undefined ? {} : { cause: details.cause });
    this.name = 'RemoteRequestError';
    this.status = details.status;
    this.retryable =
      details.status === undefined ||
      details.status === 408 ||
      details.status === 429 ||
      details.status >= 500;
    this.retryAfterMs = details.retryAfterMs;
    this.problems = details.problems ?? [];
  }

  /** Whether `error` is a RemoteRequestError, from this copy of the package or any other. */
  static override isInstance(error: unknown): error is RemoteRequestError {
    return hasMarker(error, remoteRequestErrorMarker);
  }
}
