import { check } from '../check.js';

/**
 * Decayed evidence about one attribute value for one profile: successes and failures (each a sum of weights
 * that halve every half-life) as of `at` (epoch milliseconds).
 */
export interface PreferenceEvidence {
  readonly successes: number;
  readonly failures: number;
  readonly at: number;
}

/** The weight evidence keeps after `elapsedMs`: one half per half-life; none lost to a clock running back. */
export function decayFactor(elapsedMs: number, halfLifeMs: number): number {
  return elapsedMs <= 0 ? 1 : 0.5 ** (elapsedMs / halfLifeMs);
}

/** Evidence as of `now`: both counts decayed by the time since it was last updated. */
export function decayEvidence(
  evidence: PreferenceEvidence,
  now: number,
  halfLifeMs: number,
): PreferenceEvidence {
  const factor = decayFactor(now - evidence.at, halfLifeMs);
  return {
    successes: evidence.successes * factor,
    failures: evidence.failures * factor,
    at: Math.max(now, evidence.at),
  };
}

/**
 * Adds new observations at `at` to evidence (absent: none yet), decaying the old first: the incremental
 * update a profile gets from each feedback, with no re-read of history.
 *
 * @example
 * addEvidence(undefined, { successes: 1, failures: 0, at: 0 }, 14 * 86_400_000);
 * // { successes: 1, failures: 0, at: 0 }
 */
export function addEvidence(
  current: PreferenceEvidence | undefined,
  added: PreferenceEvidence,
  halfLifeMs: number,
): PreferenceEvidence {
  check.nonNegative('successes', added.successes);
  check.nonNegative('failures', added.failures);
  check.finite('at', added.at);
  check.positive('halfLifeMs', halfLifeMs);
  if (current === undefined) return { successes: added.successes, failures: added.failures, at: added.at };
  const now = Math.max(current.at, added.at);
  const old = decayEvidence(current, now, halfLifeMs);
  // Observations older than the stored evidence (late feedback) decay to the stored time before they count.
  const late = decayFactor(now - added.at, halfLifeMs);
  return {
    successes: old.successes + added.successes * late,
    failures: old.failures + added.failures * late,
    at: now,
  };
}
