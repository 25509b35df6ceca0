const httpDate = /^[A-Za-z]{3}.*\b\d{1,2}:\d{2}:\d{2}\b/;

/** Longest wait a Retry-After header is believed for; anything longer is treated as this (one day). */
const maxRetryAfterMs = 86_400_000;

/**
 * Reads how long a provider asked us to wait, in milliseconds, from `retry-after-ms` (OpenAI) or
 * `retry-after` (delay in seconds, or an HTTP date compared with `nowMs`); `undefined` when neither
 * header is present and valid. Header names must be lower-case, as the AI SDK reports them.
 *
 * @example
 * parseRetryAfterMs({ 'retry-after': '2' }, Date.now()); // 2000
 */
export function parseRetryAfterMs(
  headers: Readonly<Record<string, string | undefined>> | undefined,
  nowMs: number,
): number | undefined {
  if (headers === undefined) return undefined;
  const milliseconds = headers['retry-after-ms']?.trim();
  if (milliseconds !== undefined && /^\d+(?:\.\d+)?$/.test(milliseconds)) {
    return clamp(Number.parseFloat(milliseconds));
  }
  const value = headers['retry-after']?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(value)) return clamp(Number.parseFloat(value) * 1000);
  // HTTP dates (IMF-fixdate, RFC 850, asctime) start with a day name and carry a time; Date.parse alone
  // accepts far too much ("-4" is a date to it).
  if (!httpDate.test(value)) return undefined;
  const date = Date.parse(value);
  // A date in the past means "now": retrying at once is what the provider allows.
  return Number.isNaN(date) ? undefined : clamp(date - nowMs);
}

function clamp(milliseconds: number): number {
  return Math.min(maxRetryAfterMs, Math.max(0, Math.ceil(milliseconds)));
}
