import type { z } from 'zod';
import { InvalidConfigError } from '../../core/errors.js';
import { zodProblems } from '../../core/validate-feature.js';
import { FeatureEvents } from '../client/feature-events.js';
import type { FeatureRegistry } from '../client/feature-registry.js';
import { retryDelayMs } from '../resilience/retry-delay.js';
import { configChangeSchema, configDocumentSchema } from './config-messages.js';
import { RemoteFeatureState } from './remote-feature-state.js';
import { RemoteRequestError } from './remote-request-error.js';
import type { ServerApi } from './server-api.js';
import { sleep } from './sleep.js';
import { readServerSentEvents } from './sse-reader.js';

/** Options for `createRemoteFeatureRegistry`. */
export interface RemoteFeatureRegistryOptions {
  readonly api: ServerApi;
  /** Told of every failed request, dropped stream and config that no longer compiles. */
  readonly onError?: (error: unknown) => void;
  /** Random source in [0, 1) for the reconnect jitter; default `Math.random`. */
  readonly random?: () => number;
  /** A stream silent this long (the server sends a keep-alive every 15 s) is dropped; default 45 s. */
  readonly streamIdleTimeoutMs?: number;
  /** First and largest wait between reconnects (exponential, with jitter); default 250 ms and 10 s. */
  readonly reconnectDelayMs?: { readonly initial: number; readonly max: number };
}

/**
 * Loads every feature from `GET /api/config` (rejecting when the server cannot be reached or refuses the
 * token), then follows `GET /api/config/stream`, applying each change as it arrives. When the stream drops
 * it waits (exponential backoff with jitter), fetches `/api/config` again with If-None-Match, so a change
 * made while it was away is not missed, and reconnects; until then the last config keeps being served.
 */
export async function createRemoteFeatureRegistry(
  options: RemoteFeatureRegistryOptions,
): Promise<FeatureRegistry> {
  const { api } = options;
  const onError = options.onError ?? (() => {});
  const random = options.random ?? Math.random;
  const idleTimeoutMs = options.streamIdleTimeoutMs ?? 45_000;
  const delays = options.reconnectDelayMs ?? { initial: 250, max: 10_000 };
  const state = new RemoteFeatureState(onError);
  const events = new FeatureEvents(onError);
  const changed = (features: string[]) => events.emit({ type: 'changed', features });
  const lifetime = new AbortController();
  let pending: Promise<void> | undefined;
  /** Whether the stream was lost and listeners were told so (until it is back). */
  let stale = false;

  /** One `GET /api/config`: `authoritative` replaces the state, otherwise only a newer document does. */
  const pull = async (authoritative: boolean) => {
    const answer = await api.getConfig(state.source?.etag, lifetime.signal);
    if (!answer.changed || lifetime.signal.aborted) return;
    const source = { body: answer.body, etag: answer.etag };
    changed(authoritative ? state.replace(answer.document, source) : state.merge(answer.document, source));
  };

  /** Reads one stream to its end; resolves when the server ended it, rejects when it broke. */
  const followStream = async (connected: () => void) => {
    const connection = new AbortController();
    const stop = () => connection.abort();
    lifetime.signal.addEventListener('abort', stop, { once: true });
    let idle: ReturnType<typeof setTimeout> | undefined;
    const stillAlive = () => {
      clearTimeout(idle);
      idle = setTimeout(() => connection.abort(), idleTimeoutMs);
      // The open stream is what holds the process, not its watchdog.
      idle.unref();
    };
    try {
      stillAlive();
      const body = await api.openConfigStream(connection.signal);
      for await (const event of readServerSentEvents(body, stillAlive)) {
        const data = JSON.parse(event.data) as unknown;
        if (event.event === 'config') {
          const document = checked(configDocumentSchema, data, 'config');
          changed(state.replace(document, { body: event.data, etag: undefined }));
          connected();
        } else if (event.event === 'change') {
          changed(state.apply(checked(configChangeSchema, data, 'change')));
        }
      }
    } catch (error) {
      if (lifetime.signal.aborted) return;
      if (connection.signal.aborted) {
        throw new RemoteRequestError(`GET /api/config/stream: silent for ${idleTimeoutMs} ms`, {});
      }
      throw error;
    } finally {
      clearTimeout(idle);
      lifetime.signal.removeEventListener('abort', stop);
    }
  };

  const follow = async () => {
    let failures = 0;
    let caughtUp = true;
    while (!lifetime.signal.aborted) {
      let lost = 'the server ended the config stream';
      try {
        if (!caughtUp) await pull(true);
        caughtUp = true;
        await followStream(() => {
          failures = 0;
          if (stale) {
            stale = false;
            events.emit({ type: 'ready' });
          }
        });
      } catch (error) {
        if (!lifetime.signal.aborted) onError(error);
        lost = error instanceof Error ? error.message : String(error);
      }
      if (lifetime.signal.aborted) return;
      // Still serving the last config, but no longer told of changes: stale until the stream is back.
      if (!stale) {
        stale = true;
        events.emit({ type: 'stale', message: lost });
      }
      caughtUp = false;
      failures++;
      const policy = {
        maxRetries: Number.MAX_SAFE_INTEGER,
        initialDelayMs: delays.initial,
        maxDelayMs: delays.max,
      };
      await sleep(retryDelayMs(failures, policy, random), { signal: lifetime.signal, keepAlive: false });
    }
  };

  try {
    await pull(true);
  } catch (error) {
    throw startError(error);
  }
  void follow();

  return {
    get: (key) => state.get(key),
    keys: () => state.keys(),
    refresh() {
      if (lifetime.signal.aborted) return Promise.resolve();
      pending ??= pull(false).finally(() => {
        pending = undefined;
      });
      return pending;
    },
    subscribe: (listener) => events.subscribe(listener),
    close() {
      lifetime.abort();
    },
  };
}

/** The event's data checked against its schema, or an error naming what is wrong (the stream is then reopened). */
function checked<Schema extends z.ZodType>(schema: Schema, value: unknown, event: string): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = zodProblems(parsed.error).map((problem) => `${problem.path}: ${problem.message}`);
  throw new RemoteRequestError(
    `GET /api/config/stream: malformed ${event} event (${problems.join('; ')})`,
    {},
  );
}

/** A refused token or a wrong URL is the caller's option to fix, named as such; other failures pass as they are. */
function startError(error: unknown): unknown {
  if (!(error instanceof RemoteRequestError)) return error;
  if (error.status === 401 || error.status === 403) {
    return new InvalidConfigError('invalid options', [
      { path: 'token', message: `the server refused it (${error.status}): ${error.message}` },
    ]);
  }
  if (error.status === 404) {
    return new InvalidConfigError('invalid options', [
      { path: 'server', message: `no Switchyard API at this URL (${error.message})` },
    ]);
  }
  return error;
}
