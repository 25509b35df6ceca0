import type { ErrorBody, Problem } from './api-types.js';

/** A failed API call: the HTTP status and the error the API answered with. */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: string;
  /** The field the error is about, when the API names one. */
  readonly path: string | undefined;
  /** Every problem of a rejected config or input, with its field path. */
  readonly problems: readonly Problem[];

  constructor(status: number, body: Partial<ErrorBody['error']>) {
    super(body.message ?? `request failed with status ${status}`);
    this.name = 'ApiRequestError';
    this.status = status;
    this.code = body.code ?? 'HTTP_ERROR';
    this.path = body.path;
    this.problems = body.problems ?? [];
  }
}

/** Query values; undefined and empty strings are left out. */
export type QueryValues = Readonly<Record<string, string | number | undefined>>;

/** A file the API answered with, ready to save. */
export interface DownloadedFile {
  blob: Blob;
  fileName: string;
}

/** Calls the REST API of the server that serves the dashboard, with the signed-in token. */
export interface ApiClient {
  get<T>(path: string, query?: QueryValues, signal?: AbortSignal): Promise<T>;
  /** POST, PUT or PATCH with a JSON body (none when `body` is undefined). */
  send<T>(method: 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown, contentType?: string): Promise<T>;
  download(path: string, query: QueryValues): Promise<DownloadedFile>;
}

/** `path?a=1&b=2`, leaving out undefined and empty values. */
export function withQuery(path: string, query: QueryValues = {}): string {
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') parameters.set(name, String(value));
  }
  const text = parameters.toString();
  return text === '' ? path : `${path}?${text}`;
}

/**
 * An API client for one token. `onUnauthorized` runs when the server answers 401 (the token was revoked or
 * is unknown), so the dashboard can ask for a token again.
 */
export function createApiClient(
  token: string,
  onUnauthorized: () => void,
  fetchFunction: typeof fetch = (input, init) => fetch(input, init),
): ApiClient {
  const call = async (url: string, init: RequestInit): Promise<Response> => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    const response = await fetchFunction(url, { ...init, headers, cache: 'no-store' });
    if (response.ok) return response;
    const body = (await response.json().catch(() => ({}))) as Partial<ErrorBody>;
    const error = new ApiRequestError(response.status, body.error ?? {});
    if (response.status === 401) onUnauthorized();
    throw error;
  };
  return {
    async get<T>(path: string, query?: QueryValues, signal?: AbortSignal) {
      const response = await call(withQuery(path, query), signal ? { signal } : {});
      return (await response.json()) as T;
    },
    async send<T>(method: 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown, contentType?: string) {
      const init: RequestInit =
        body === undefined
          ? { method }
          : {
              method,
              headers: { 'content-type': contentType ?? 'application/json' },
              body: JSON.stringify(body),
            };
      const response = await call(path, init);
      return (await response.json()) as T;
    },
    async download(path: string, query: QueryValues) {
      const response = await call(withQuery(path, query), {});
      const disposition = response.headers.get('content-disposition') ?? '';
      const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'export';
      return { blob: await response.blob(), fileName };
    },
  };
}
