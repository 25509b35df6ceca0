import { formatProblem } from '../../core/errors.js';
import type { TelemetryEvent } from '../../core/event-schema.js';
import { zodProblems } from '../../core/validate-feature.js';
import type { Assignment } from '../../store/store.js';
import { type ConfigDocumentMessage, configDocumentSchema } from './config-messages.js';
import { RemoteRequestError } from './remote-request-error.js';

/** Options for `createServerApi`. */
export interface ServerApiOptions {
  /** The server's base URL (`http://127.0.0.1:4280`); a path prefix (`…/switchyard`) is kept. */
  readonly server: string;
  /** The API token (`sy_<id>_<secret>`), sent as a bearer token; role `sdk` is enough. */
  readonly token: string;
  /** Bound on each request, body included; for the stream, until its headers arrive. Default 10 s. */
  readonly requestTimeoutMs?: number;
}

/** What `GET /api/config` answered: 304 for the copy held, or a new document with its body and ETag. */
export type ConfigFetch =
  | { readonly changed: false }
  | {
      readonly changed: true;
      readonly document: ConfigDocumentMessage;
      readonly body: string;
      readonly etag: string | undefined;
    };

/** What `POST /api/assignments` takes: a lookup (no `variant`) or an assign-once (with `variant`, `seed`). */
export interface AssignmentRequest {
  experiment: string;
  unitId: string;
  variant?: string;
  seed?: string;
}

/** The routes a remote client uses; every failure is a RemoteRequestError. */
export interface ServerApi {
  /** `GET /api/config`, with If-None-Match when `etag` is given. */
  getConfig(etag: string | undefined, signal?: AbortSignal): Promise<ConfigFetch>;
  /** `GET /api/config/stream`: the open event stream, once its headers arrived. */
  openConfigStream(signal: AbortSignal): Promise<ReadableStream<Uint8Array>>;
  /** `POST /api/events`: one batch, stored idempotently by event id. */
  postEvents(events: readonly TelemetryEvent[]): Promise<{ inserted: number; duplicates: number }>;
  /** `POST /api/assignments`: the unit's sticky arm, stored first when `variant` is given and none holds. */
  postAssignment(request: AssignmentRequest): Promise<Assignment | undefined>;
}

/**
 * Calls the Switchyard server with the global `fetch`, a bearer token and a time bound on every request,
 * turning refusals, timeouts and error answers into RemoteRequestError (status, retryable, problems).
 *
 * @example
 * const api = createServerApi({ server: 'http://127.0.0.1:4280', token: process.env.SWITCHYARD_TOKEN });
 * const config = await api.getConfig(undefined);
 */
export function createServerApi(options: ServerApiOptions): ServerApi {
  const base = options.server.endsWith('/') ? options.server : `${options.server}/`;
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const authorization = `Bearer ${options.token}`;

  /** Sends one request and runs `use` on its answer, both within the time bound (a body `use` returns outlives it). */
  const call = async <T>(
    method: 'GET' | 'POST',
    path: string,
    init: { headers?: Record<string, string>; body?: string; signal?: AbortSignal },
    use: (response: Response) => Promise<T>,
  ): Promise<T> => {
    const target = `${method} /${path}`;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout.signal]) : timeout.signal;
    try {
      const response = await fetch(new URL(path, base), {
        method,
        headers: { authorization, ...init.headers },
        ...(init.body === undefined ? {} : { body: init.body }),
        signal,
      });
      if (response.status >= 400) throw await answerError(target, response);
      return await use(response);
    } catch (error) {
      if (init.signal?.aborted) throw error;
      if (timeout.signal.aborted) {
        throw new RemoteRequestError(`${target}: no answer within ${timeoutMs} ms`, { cause: error });
      }
      if (error instanceof RemoteRequestError) throw error;
      throw new RemoteRequestError(`${target}: ${describe(error)}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    getConfig: (etag, signal) =>
      call(
        'GET',
        'api/config',
        { headers: etag === undefined ? {} : { 'if-none-match': etag }, ...(signal ? { signal } : {}) },
        async (response): Promise<ConfigFetch> => {
          if (response.status === 304) return { changed: false };
          const body = await response.text();
          const parsed = configDocumentSchema.safeParse(parseJson(body));
          if (!parsed.success) {
            const problems = zodProblems(parsed.error).map(formatProblem).join('; ');
            throw new RemoteRequestError(`GET /api/config: not a config document (${problems})`, {});
          }
          return {
            changed: true,
            document: parsed.data,
            body,
            etag: response.headers.get('etag') ?? undefined,
          };
        },
      ),

    openConfigStream: (signal) =>
      call(
        'GET',
        'api/config/stream',
        { headers: { accept: 'text/event-stream' }, signal },
        async (response) => {
          const type = response.headers.get('content-type') ?? '';
          if (response.body === null || !type.startsWith('text/event-stream')) {
            await response.body?.cancel();
            throw new RemoteRequestError(`GET /api/config/stream: answered ${type || 'no body'}`, {});
          }
          return response.body;
        },
      ),

    postEvents: (events) =>
      call(
        'POST',
        'api/events',
        { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) },
        async (response) => {
          const answer = parseJson(await response.text()) as { inserted?: unknown; duplicates?: unknown };
          return { inserted: Number(answer?.inserted ?? 0), duplicates: Number(answer?.duplicates ?? 0) };
        },
      ),

    postAssignment: (request) =>
      call(
        'POST',
        'api/assignments',
        { headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) },
        async (response) => {
          const answer = parseJson(await response.text()) as { assignment?: Assignment | null } | undefined;
          return answer?.assignment ?? undefined;
        },
      ),
  };
}

/** The error of a 4xx or 5xx answer, with the message, problems and Retry-After the server gave. */
async function answerError(target: string, response: Response): Promise<RemoteRequestError> {
  const text = await response.text().catch(() => '');
  const error = (parseJson(text) as { error?: { message?: unknown; problems?: unknown } } | undefined)?.error;
  const message = typeof error?.message === 'string' ? error.message : response.statusText;
  const problems = Array.isArray(error?.problems)
    ? error.problems.filter(
        (problem): problem is { path: string; message: string } =>
          typeof problem?.path === 'string' && typeof problem?.message === 'string',
      )
    : [];
  const seconds = Number(response.headers.get('retry-after') ?? Number.NaN);
  return new RemoteRequestError(`${target}: ${response.status} ${message}`, {
    status: response.status,
    problems,
    ...(Number.isFinite(seconds) && seconds >= 0 ? { retryAfterMs: seconds * 1_000 } : {}),
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `connect ECONNREFUSED 127.0.0.1:4280` rather than fetch's bare `fetch failed`. */
function describe(error: unknown): string {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  const inner = cause instanceof Error ? cause.message : undefined;
  return inner ?? (error instanceof Error ? error.message : String(error));
}
