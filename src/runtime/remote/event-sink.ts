import type { TelemetryEvent } from '../../core/event-schema.js';
import { retryDelayMs } from '../resilience/retry-delay.js';
import type { TelemetrySink } from '../telemetry/telemetry-writer.js';
import { RemoteRequestError } from './remote-request-error.js';
import type { ServerApi } from './server-api.js';
import { sleep } from './sleep.js';

/** Events the server takes in one `POST /api/events`. */
const MAX_EVENTS_PER_POST = 10_000;

/** Options for `createRemoteEventSink`. */
export interface RemoteEventSinkOptions {
  readonly api: Pick<ServerApi, 'postEvents'>;
  /** Tries per batch for failures that may pass (no answer, 408, 429, 5xx); default 2. */
  readonly attempts?: number;
  /** First and largest wait between tries (exponential, full jitter, Retry-After honoured); default 200 ms and 2 s. */
  readonly retryDelayMs?: { readonly initial: number; readonly max: number };
  /** Random source in [0, 1) for the jitter; default `Math.random`. */
  readonly random?: () => number;
  /** Told of every batch, or part of one, that the server refused and that was dropped. */
  readonly onError?: (error: unknown) => void;
}

/**
 * A telemetry sink that posts batches to `POST /api/events`. A failure that may pass is retried a bounded
 * number of times and then rejected, so the telemetry writer keeps the batch and sends it again later (the
 * server stores events idempotently by id, so a batch sent twice is stored once). A batch too large for the
 * server (413) is split in halves; events the server refuses as invalid (400) can never be stored, so they
 * are dropped and reported, and the rest of their batch is sent again, rather than blocking every later batch.
 *
 * @example
 * const writer = createTelemetryWriter({ sink: createRemoteEventSink({ api, onError: console.warn }) });
 */
export function createRemoteEventSink(options: RemoteEventSinkOptions): TelemetrySink {
  const { api } = options;
  const attempts = options.attempts ?? 2;
  const delays = options.retryDelayMs ?? { initial: 200, max: 2_000 };
  const policy = { maxRetries: attempts - 1, initialDelayMs: delays.initial, maxDelayMs: delays.max };
  const random = options.random ?? Math.random;
  const onError = options.onError ?? (() => {});

  const dropped = (events: readonly TelemetryEvent[], why: string, cause: RemoteRequestError) => {
    onError(
      new RemoteRequestError(`${events.length} telemetry events dropped: ${why}`, {
        ...(cause.status === undefined ? {} : { status: cause.status }),
        problems: cause.problems,
        cause,
      }),
    );
  };

  const send = async (events: readonly TelemetryEvent[], refusedBefore: boolean): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await api.postEvents(events);
        return;
      } catch (error) {
        if (!(error instanceof RemoteRequestError)) throw error;
        if (error.status === 413 && events.length > 1) {
          const half = Math.ceil(events.length / 2);
          await send(events.slice(0, half), refusedBefore);
          await send(events.slice(half), refusedBefore);
          return;
        }
        if (error.status === 400 || error.status === 413) {
          const bad = refusedIndexes(error, events.length);
          if (refusedBefore || bad.size === 0 || bad.size === events.length) {
            dropped(events, `the server refused them (${error.message})`, error);
            return;
          }
          dropped(
            events.filter((_, index) => bad.has(index)),
            'the server refused them as invalid',
            error,
          );
          await send(
            events.filter((_, index) => !bad.has(index)),
            true,
          );
          return;
        }
        if (!error.retryable || attempt >= attempts) throw error;
        await sleep(retryDelayMs(attempt, policy, random, error.retryAfterMs));
      }
    }
  };

  return async (events) => {
    for (let start = 0; start < events.length; start += MAX_EVENTS_PER_POST) {
      await send(events.slice(start, start + MAX_EVENTS_PER_POST), false);
    }
  };
}

/** Indexes of the events a 400 named (`events[3].at` names event 3). */
function refusedIndexes(error: RemoteRequestError, count: number): Set<number> {
  const indexes = new Set<number>();
  for (const problem of error.problems) {
    const match = /^events\[(\d+)\]/.exec(problem.path);
    const index = match === null ? Number.NaN : Number(match[1]);
    if (Number.isInteger(index) && index < count) indexes.add(index);
  }
  return indexes;
}
