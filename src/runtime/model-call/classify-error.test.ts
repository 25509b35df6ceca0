import { APICallError, generateText, InvalidPromptError, JSONParseError } from 'ai';
import { describe, expect, it } from 'vitest';
import { classifyError } from './classify-error.js';
import { ModelCallError } from './model-call-error.js';
import { parseRetryAfterMs } from './parse-retry-after.js';
import { useFakeUpstream } from './upstream-harness.case.js';

const startModel = useFakeUpstream();

/** The raw AI SDK error of one call to the fake upstream with the given faults. */
async function rawError(faults: Parameters<typeof startModel>[0]): Promise<unknown> {
  const { model } = await startModel(faults);
  try {
    await generateText({ model, prompt: 'Hello', maxRetries: 0 });
  } catch (error: unknown) {
    return error;
  }
  throw new Error('the call succeeded');
}

describe('classifyError on real provider failures', () => {
  it('429 is rate_limited and retryable, with Retry-After in milliseconds', async () => {
    const error = classifyError(
      await rawError({ faults: { errorRate: 1, status: 429, retryAfterSeconds: 7 } }),
    );
    expect(error).toMatchObject({
      errorClass: 'rate_limited',
      retryable: true,
      status: 429,
      retryAfterMs: 7000,
    });
  });

  it.each([500, 502, 503, 529])('%i is a retryable server_error', async (status) => {
    const error = classifyError(await rawError({ faults: { errorRate: 1, status } }));
    expect(error).toMatchObject({ errorClass: 'server_error', retryable: true, status });
  });

  it('408 is a retryable timeout', async () => {
    const error = classifyError(await rawError({ faults: { errorRate: 1, status: 408 } }));
    expect(error).toMatchObject({ errorClass: 'timeout', retryable: true });
  });

  it.each([400, 401, 403, 404, 422])('%i is a client_error that is not retried', async (status) => {
    const error = classifyError(await rawError({ faults: { errorRate: 1, status } }));
    expect(error).toMatchObject({ errorClass: 'client_error', retryable: false, status });
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('a reset connection is a retryable connection error', async () => {
    const error = classifyError(await rawError({ faults: { resetRate: 1 } }));
    expect(error).toMatchObject({ errorClass: 'connection', retryable: true });
    expect(error.status).toBeUndefined();
  });

  it('a refused connection is a retryable connection error', async () => {
    const { model, upstream } = await startModel();
    await upstream.close();
    const error = await generateText({ model, prompt: 'Hello', maxRetries: 0 }).catch(
      (caught: unknown) => caught,
    );
    expect(classifyError(error)).toMatchObject({ errorClass: 'connection', retryable: true });
  });

  it('a 200 whose body is not JSON is a retryable parse_error', async () => {
    const error = classifyError(await rawError({ faults: { malformedRate: 1 } }));
    expect(error).toMatchObject({ errorClass: 'parse_error', retryable: true, status: 200 });
  });

  it('an abort for a timeout is a retryable timeout; any other abort is not retried', async () => {
    const { model } = await startModel({ faults: { timeoutRate: 1 } });
    const timedOut = AbortSignal.timeout(30);
    const timeoutError = await generateText({
      model,
      prompt: 'Hi',
      maxRetries: 0,
      abortSignal: timedOut,
    }).catch((caught: unknown) => caught);
    expect(classifyError(timeoutError, { abortSignal: timedOut })).toMatchObject({
      errorClass: 'timeout',
      retryable: true,
    });
    const controller = new AbortController();
    const pending = generateText({ model, prompt: 'Hi', maxRetries: 0, abortSignal: controller.signal });
    controller.abort();
    const abortError = await pending.catch((caught: unknown) => caught);
    expect(classifyError(abortError, { abortSignal: controller.signal })).toMatchObject({
      errorClass: 'unknown',
      retryable: false,
    });
  });
});

describe('classifyError on other errors', () => {
  it('passes a ModelCallError through unchanged', () => {
    const original = new ModelCallError('guarded', { errorClass: 'guard_failed', retryable: false });
    expect(classifyError(original)).toBe(original);
  });

  it('reads retry-after-ms before retry-after and HTTP dates against the given time', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const headers = { 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' };
    const error = new APICallError({
      message: 'slow down',
      url: 'x',
      requestBodyValues: {},
      statusCode: 429,
      responseHeaders: headers,
    });
    expect(classifyError(error, { nowMs: now }).retryAfterMs).toBe(5000);
    const precise = new APICallError({
      message: 'slow down',
      url: 'x',
      requestBodyValues: {},
      statusCode: 429,
      responseHeaders: { 'retry-after-ms': '250', 'retry-after': '9' },
    });
    expect(classifyError(precise).retryAfterMs).toBe(250);
  });

  it('maps network codes in the cause chain', () => {
    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    });
    expect(classifyError(reset)).toMatchObject({ errorClass: 'connection', retryable: true });
    const hungUp = new Error('socket hang up');
    expect(classifyError(hungUp)).toMatchObject({ errorClass: 'connection', retryable: true });
    const slow = Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(classifyError(slow)).toMatchObject({ errorClass: 'timeout', retryable: true });
  });

  it('treats bad prompts as client errors and unknown errors as unknown, neither retried', () => {
    expect(classifyError(new InvalidPromptError({ prompt: '', message: 'empty' }))).toMatchObject({
      errorClass: 'client_error',
      retryable: false,
    });
    expect(classifyError(new JSONParseError({ text: '{', cause: new Error('bad') }))).toMatchObject({
      errorClass: 'parse_error',
      retryable: true,
    });
    expect(classifyError(new RangeError('boom'))).toMatchObject({ errorClass: 'unknown', retryable: false });
    expect(classifyError('a string')).toMatchObject({ errorClass: 'unknown', message: 'a string' });
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  it('reads seconds, fractional seconds and milliseconds', () => {
    expect(parseRetryAfterMs({ 'retry-after': '2' }, now)).toBe(2000);
    expect(parseRetryAfterMs({ 'retry-after': '0.5' }, now)).toBe(500);
    expect(parseRetryAfterMs({ 'retry-after-ms': '125.2' }, now)).toBe(126);
  });

  it('reads an HTTP date, a past date meaning now', () => {
    expect(parseRetryAfterMs({ 'retry-after': 'Sun, 01 Mar 2026 12:00:30 GMT' }, now)).toBe(30_000);
    expect(parseRetryAfterMs({ 'retry-after': 'Sun, 01 Mar 2026 11:00:00 GMT' }, now)).toBe(0);
  });

  it('ignores missing and malformed values', () => {
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
    expect(parseRetryAfterMs({}, now)).toBeUndefined();
    expect(parseRetryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(parseRetryAfterMs({ 'retry-after': '-4' }, now)).toBeUndefined();
    expect(parseRetryAfterMs({ 'retry-after-ms': 'x', 'retry-after': '1' }, now)).toBe(1000);
  });
});

describe('classifyError on parser messages', () => {
  it('does not take a JSON parser error for a dropped connection', () => {
    const error = classifyError(new SyntaxError('Unterminated string in JSON at position 12'));
    expect(error.errorClass).not.toBe('connection');
    expect(classifyError(new TypeError('terminated')).errorClass).toBe('connection');
  });
});
