/** How one simulated request ended, as the user saw it. */
export interface DemoOutcome {
  readonly feature: string;
  /** `ok`: an answer; `rejected`: refused before any call (rate limit, budget, input); `error`: it failed. */
  readonly result: 'ok' | 'rejected' | 'error';
  /** The variant that answered (ok only). */
  readonly variant?: string;
  readonly fallback?: boolean;
  readonly cached?: boolean;
  /**
   * The error code of a refusal or failure (`RATE_LIMITED`, `ALL_VARIANTS_FAILED`, `HTTP 502`, ...), or a note
   * on an answer (`BUDGET_DOWNGRADE`).
   */
  readonly code?: string;
}

/** Counts of one feature since the demo started. */
export interface FeatureCounts {
  requests: number;
  ok: number;
  rejected: number;
  errors: number;
  fallbacks: number;
  cached: number;
  /** Answers by the variant that served them. */
  byVariant: Record<string, number>;
  /** Refusals, failures and notes by code. */
  byCode: Record<string, number>;
}

/** Live counters of what the simulated users saw, for the progress line; the summary reads the store. */
export interface DemoTally {
  record(outcome: DemoOutcome): void;
  /** A copy of the counts by feature. */
  snapshot(): Record<string, FeatureCounts>;
  /** Requests over every feature. */
  total(): number;
}

/**
 * Creates an empty tally.
 *
 * @example
 * const tally = createDemoTally();
 * tally.record({ feature: 'coach-reply', result: 'rejected', code: 'RATE_LIMITED' });
 */
export function createDemoTally(): DemoTally {
  const counts = new Map<string, FeatureCounts>();
  let total = 0;
  return {
    record(outcome) {
      let entry = counts.get(outcome.feature);
      if (!entry) {
        entry = {
          requests: 0,
          ok: 0,
          rejected: 0,
          errors: 0,
          fallbacks: 0,
          cached: 0,
          byVariant: {},
          byCode: {},
        };
        counts.set(outcome.feature, entry);
      }
      total++;
      entry.requests++;
      if (outcome.result === 'ok') {
        entry.ok++;
        if (outcome.fallback) entry.fallbacks++;
        if (outcome.cached) entry.cached++;
        if (outcome.variant) entry.byVariant[outcome.variant] = (entry.byVariant[outcome.variant] ?? 0) + 1;
      } else if (outcome.result === 'rejected') entry.rejected++;
      else entry.errors++;
      const code = outcome.code ?? (outcome.result === 'ok' ? undefined : 'UNKNOWN');
      if (code !== undefined) entry.byCode[code] = (entry.byCode[code] ?? 0) + 1;
    },
    snapshot() {
      return Object.fromEntries(
        [...counts].map(([feature, entry]) => [
          feature,
          { ...entry, byVariant: { ...entry.byVariant }, byCode: { ...entry.byCode } },
        ]),
      );
    },
    total: () => total,
  };
}
