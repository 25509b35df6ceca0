/** The length of each rate-limit window name; windows are aligned to the epoch, so `day` is a UTC day. */
export const RATE_LIMIT_WINDOW_MS = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
} as const satisfies Record<string, number>;

/** A window name a rate-limit tier may use. */
export type RateLimitWindow = keyof typeof RATE_LIMIT_WINDOW_MS;
