import { type ConfigProblem, InvalidConfigError } from '../../core/errors.js';
import { createIdGenerator } from '../../runtime/ids/create-id-generator.js';
import { parseRetryAfterMs } from '../../runtime/model-call/parse-retry-after.js';
import { sleep as defaultSleep } from '../../runtime/remote/sleep.js';
import { retryDelayMs } from '../../runtime/resilience/retry-delay.js';
import { signWebhookPayload } from './sign-webhook-payload.js';

export { verifyWebhookSignature } from './verify-webhook-signature.js';

/** Options of `createWebhookSender`. */
export interface WebhookSenderOptions {
  /** The receiver: an http or https URL. */
  url: string;
  /** Shared secret the receiver verifies signatures with. */
  secret: string;
  /** Default the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Epoch milliseconds: the signed timestamp, event ids and Retry-After dates. */
  clock: () => number;
  /** Random source in [0, 1) for the backoff jitter; default `Math.random`. */
  random?: () => number;
  /** Waits between attempts; default a timer (tests pass one that records the delay). */
  sleep?: (delayMs: number) => Promise<void>;
  /** Event ids; default UUIDv7 from `clock`. */
  newId?: () => string;
  /** Attempts per event, the first included; default 5. */
  maxAttempts?: number;
  /** Ceiling of the first backoff; doubles per retry up to `maxDelayMs`. Default 500 ms. */
  initialDelayMs?: number;
  /** Longest wait between attempts; a Retry-After asking for longer ends the retries. Default 30 s. */
  maxDelayMs?: number;
  /** Per attempt, until the response headers arrive. Default 5 s. */
  timeoutMs?: number;
  /** Aborting stops the sender: the attempt in flight is cancelled and no further attempt starts. */
  signal?: AbortSignal;
  /** Told once for each event that was not delivered, with why. */
  onError: (error: Error, details: WebhookDeliveryResult & { eventId: string }) => void;
}

/** What became of one event. */
export interface WebhookDeliveryResult {
  delivered: boolean;
  /** HTTP requests made (0 when the event could not be serialised). */
  attempts: number;
  /** Status of the last response, when there was one. */
  status?: number;
}

/** Sends events to one webhook. */
export interface WebhookSender {
  /** POSTs the event as JSON, retrying what may pass; resolves with the outcome and never rejects. */
  send(event: object): Promise<WebhookDeliveryResult>;
}

type Attempt =
  | { outcome: 'delivered'; status: number }
  | { outcome: 'retry'; status?: number; retryAfterMs?: number; reason: string }
  | { outcome: 'fail'; status?: number; reason: string };

/**
 * Creates a sender of signed webhook deliveries (format in docs/webhooks.md): each event is one JSON POST with
 * `x-switchyard-event-id` (the same on every attempt, for the receiver to drop duplicates),
 * `x-switchyard-timestamp` (epoch seconds, per attempt) and `x-switchyard-signature: sha256=<hex HMAC-SHA256 of
 * "<timestamp>.<body>">`. Any 2xx is delivered. 408, 429, 5xx, network errors and timeouts are retried with
 * exponential backoff and full jitter, waiting at least what Retry-After asks; other statuses (redirects are
 * not followed, so that the signature never goes elsewhere) are final. At most `maxAttempts` attempts, each
 * cut at `timeoutMs`, with waits of at most `maxDelayMs` between them; `send` never throws. Throws
 * InvalidConfigError naming the option for bad options.
 *
 * @example
 * const webhook = createWebhookSender({ url, secret, clock: Date.now, onError: (error) => log.warn(error.message) });
 * await webhook.send({ type: 'alert-firing', feature: 'persona-generation', rule: 'preset-error-rate' });
 */
export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const settings = checkOptions(options);
  const fetchImplementation = options.fetch ?? globalThis.fetch;
  const random = options.random ?? Math.random;
  const wait = options.sleep ?? ((delayMs: number) => defaultSleep(delayMs, { signal: options.signal }));
  const newId = options.newId ?? createIdGenerator({ clock: options.clock });
  const target = new URL(options.url);
  // The origin only: webhook URLs often carry a token in their path.
  const where = target.origin;
  const retryPolicy = {
    maxRetries: settings.maxAttempts - 1,
    initialDelayMs: settings.initialDelayMs,
    maxDelayMs: settings.maxDelayMs,
  };

  const attempt = async (eventId: string, body: string): Promise<Attempt> => {
    if (options.signal?.aborted) return { outcome: 'fail', reason: 'sender stopped' };
    const timestamp = Math.floor(options.clock() / 1000);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), settings.timeoutMs);
    const stop = () => controller.abort();
    options.signal?.addEventListener('abort', stop, { once: true });
    try {
      const response = await fetchImplementation(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'switchyard-webhook',
          'x-switchyard-event-id': eventId,
          'x-switchyard-timestamp': String(timestamp),
          'x-switchyard-signature': signWebhookPayload(options.secret, timestamp, body),
        },
        body,
        redirect: 'manual',
        signal: controller.signal,
      });
      // The body is not read: free the connection.
      response.body?.cancel().catch(() => {});
      const { status } = response;
      if (status >= 200 && status < 300) return { outcome: 'delivered', status };
      if (status === 408 || status === 429 || (status >= 500 && status < 600)) {
        const retryAfterMs = parseRetryAfterMs(
          {
            'retry-after': response.headers.get('retry-after') ?? undefined,
            'retry-after-ms': response.headers.get('retry-after-ms') ?? undefined,
          },
          options.clock(),
        );
        return { outcome: 'retry', status, retryAfterMs, reason: `HTTP ${status}` };
      }
      return { outcome: 'fail', status, reason: `HTTP ${status}` };
    } catch (error) {
      if (options.signal?.aborted) return { outcome: 'fail', reason: 'sender stopped' };
      const reason = controller.signal.aborted
        ? `no response within ${settings.timeoutMs} ms`
        : `request failed: ${describe(error)}`;
      return { outcome: 'retry', reason };
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', stop);
    }
  };

  const report = (message: string, details: WebhookDeliveryResult & { eventId: string }) => {
    try {
      options.onError(new Error(message), details);
    } catch {
      // A failing error handler must not make send() throw.
    }
  };

  return {
    async send(event) {
      let eventId = '';
      let body: string;
      try {
        eventId = newId();
        body = JSON.stringify(event);
        if (typeof body !== 'string') throw new TypeError('the event is not a JSON value');
      } catch (error) {
        const result = { delivered: false, attempts: 0 };
        report(`webhook to ${where}: event not sent, ${describe(error)}`, { ...result, eventId });
        return result;
      }

      for (let attempts = 1; ; attempts++) {
        const outcome = await attempt(eventId, body);
        const status = outcome.status === undefined ? {} : { status: outcome.status };
        if (outcome.outcome === 'delivered') return { delivered: true, attempts, ...status };
        const giveUp = (why: string): WebhookDeliveryResult => {
          const result = { delivered: false, attempts, ...status };
          report(`webhook to ${where}: event ${eventId} not delivered after ${attempts} attempt(s): ${why}`, {
            ...result,
            eventId,
          });
          return result;
        };
        if (outcome.outcome === 'fail') return giveUp(outcome.reason);
        if (attempts >= settings.maxAttempts) return giveUp(outcome.reason);
        if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > settings.maxDelayMs) {
          return giveUp(`${outcome.reason}, Retry-After ${outcome.retryAfterMs} ms exceeds maxDelayMs`);
        }
        await wait(retryDelayMs(attempts, retryPolicy, random, outcome.retryAfterMs));
        if (options.signal?.aborted) return giveUp(`${outcome.reason}; sender stopped`);
      }
    },
  };
}

function checkOptions(options: WebhookSenderOptions) {
  const problems: ConfigProblem[] = [];
  const integer = (name: keyof WebhookSenderOptions, fallback: number, minimum: number, maximum: number) => {
    const value = options[name] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > maximum) {
      problems.push({ path: name, message: `must be an integer from ${minimum} to ${maximum}` });
    }
    return value as number;
  };
  let url: URL | undefined;
  try {
    url = new URL(options.url);
  } catch {
    // Reported below.
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    problems.push({ path: 'url', message: 'must be an http or https URL' });
  }
  if (typeof options.secret !== 'string' || options.secret.length === 0) {
    problems.push({ path: 'secret', message: 'must be a non-empty string' });
  }
  for (const name of ['clock', 'onError'] as const) {
    if (typeof options[name] !== 'function') problems.push({ path: name, message: 'must be a function' });
  }
  const settings = {
    maxAttempts: integer('maxAttempts', 5, 1, 20),
    initialDelayMs: integer('initialDelayMs', 500, 0, 300_000),
    maxDelayMs: integer('maxDelayMs', 30_000, 0, 300_000),
    timeoutMs: integer('timeoutMs', 5_000, 1, 300_000),
  };
  if (problems.length > 0) throw new InvalidConfigError('invalid webhook sender', problems);
  return settings;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici reports a refused connection as "fetch failed" with the reason in `cause`.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
