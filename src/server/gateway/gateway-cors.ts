/** Headers a browser may read from a gateway answer. */
const EXPOSED_HEADERS = [
  'x-request-id',
  'x-switchyard-request-id',
  'x-switchyard-variant',
  'x-switchyard-reason',
  'x-switchyard-cache',
  'x-switchyard-fallback',
  'retry-after',
  'x-should-retry',
].join(', ');

/** How long a browser may reuse a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE = '600';

/**
 * The origins a browser may call the gateway from: exact origins (`https://app.example.com`), or `*` for
 * any. Gateway tokens travel in headers, never cookies, so no credentials mode is granted.
 */
export class GatewayCors {
  private readonly origins: ReadonlySet<string>;
  private readonly any: boolean;

  constructor(origins: readonly string[] = []) {
    this.origins = new Set(origins);
    this.any = this.origins.has('*');
  }

  /** Whether a browser at `origin` may call the gateway. */
  allows(origin: string | undefined): origin is string {
    return origin !== undefined && (this.any || this.origins.has(origin));
  }

  /** Headers for an answer to a request from `origin`: none when it is not allowed (or not a browser's). */
  answerHeaders(origin: string | string[] | undefined): Record<string, string> | undefined {
    if (typeof origin !== 'string' || !this.allows(origin)) return undefined;
    return {
      'access-control-allow-origin': origin,
      'access-control-expose-headers': EXPOSED_HEADERS,
      vary: 'Origin',
    };
  }

  /** Headers of a preflight answer: the methods, the headers the browser asked for, how long to keep it. */
  preflightHeaders(origin: string, requested: string | string[] | undefined): Record<string, string> {
    return {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers':
        typeof requested === 'string' && requested.trim() !== ''
          ? requested
          : 'authorization, content-type, api-key, x-api-key',
      'access-control-max-age': PREFLIGHT_MAX_AGE,
      vary: 'Origin, Access-Control-Request-Headers',
    };
  }
}
