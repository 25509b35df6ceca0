/**
 * A fixed window of `ms` milliseconds, aligned to multiples of `ms` since the Unix epoch: a window of
 * 86 400 000 ms is a UTC day, 3 600 000 ms a clock hour.
 */
export interface FixedWindow {
  ms: number;
}

/** The answer to one `hit`: whether it counted, and where the counter stands now. */
export interface HitResult {
  /** True when the hit was counted; a refused hit leaves the counter unchanged. */
  allowed: boolean;
  /** The counter after this hit (or, when refused, as it stands). */
  count: number;
  /** How many more hits this window allows; never negative. */
  remaining: number;
  /** Epoch milliseconds at which the window ends and a fresh counter starts. */
  resetAt: number;
  /** Zero when allowed; otherwise the time until `resetAt`. */
  retryAfterMs: number;
}

/** Room held on a counter by `reserve`, to be corrected to the real amount by `settle`. */
export interface Reservation {
  /** The key given to `reserve` (without the window, which is in `windowStart`). */
  key: string;
  /** Epoch milliseconds at which the reserved window started. */
  windowStart: number;
  /** The amount reserved, as given. */
  amount: number;
  /** The window length the reservation was made in. */
  windowMs: number;
}

/** The answer to one `reserve`: a reservation, or how full the counter is and when it resets. */
export type ReserveResult =
  | { ok: true; reservation: Reservation }
  | { ok: false; current: number; retryAfterMs: number };

/** Which adapter a `Counters` instance is. */
export type CountersKind = 'memory' | 'redis';

/**
 * Atomic counters per key and fixed window, for rate limits (`hit`) and cost budgets
 * (`reserve` a maximum first, `settle` to the actual amount afterwards). Every operation is atomic
 * on its own, so concurrent callers (in one process or many sharing a Redis) never overshoot a limit.
 * Amounts are held as integer micro-units (one hit is one unit), so money adds up exactly.
 */
export interface Counters {
  readonly specificationVersion: 1;
  readonly kind: CountersKind;
  /** Adds 1 to the key's counter in the window containing `now`, only while the count is below `limit`. */
  hit(key: string, limit: number, window: FixedWindow, now: number): Promise<HitResult>;
  /** Adds `amount` to the key's counter in the window containing `now`, only if the total stays within `cap`. */
  reserve(key: string, amount: number, cap: number, window: FixedWindow, now: number): Promise<ReserveResult>;
  /**
   * Corrects a reservation's window by `actual - reservation.amount` (never below 0); a no-op once
   * that window's counter has expired. Settle each reservation once: every call applies the difference.
   */
  settle(reservation: Reservation, actual: number): Promise<void>;
  /** The key's counter in the window containing `now` (0 when there is none). */
  peek(key: string, window: FixedWindow, now: number): Promise<number>;
  /** Resolves when the backing service answers. */
  ping(): Promise<void>;
  /** Releases what this instance opened (never a connection it was given). */
  close(): Promise<void>;
}

/**
 * How long a counter outlives its window: long enough for a request that reserved just before the
 * window ended to settle into the same counter, short enough that old windows do not pile up.
 */
export const COUNTER_EXPIRY_MARGIN_MS = 60_000;
