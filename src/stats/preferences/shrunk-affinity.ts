import { SwitchyardError } from '../../core/errors.js';
import { check } from '../check.js';
import { decayEvidence, type PreferenceEvidence } from './preference-evidence.js';

/** Settings of `shrunkAffinity`. */
export interface ShrunkAffinityOptions {
  /** Evaluation time (epoch ms): every level's evidence is decayed to it. */
  readonly now: number;
  readonly halfLifeMs: number;
  /**
   * Pseudo-observations a level's prior carries from the level above (default 10): a profile with less
   * evidence than this mostly follows its tenant's, and a tenant's the global one.
   */
  readonly strength?: number;
}

/** A Beta posterior of an acceptance probability. */
export interface BetaPosterior {
  readonly alpha: number;
  readonly beta: number;
  /** alpha / (alpha + beta). */
  readonly mean: number;
}

/** Default pseudo-observations a level's prior carries from the level above. */
export const DEFAULT_SHRINK_STRENGTH = 10;

/**
 * The posterior of a unit's affinity for one attribute value, shrunk level by level: `levels` runs from the
 * most general (the global profile) to the most specific (the unit's), absent where a level has no evidence.
 * The global level starts from Beta(1, 1); each further level's prior is Beta(strength · m, strength · (1 − m))
 * with m the posterior mean of the level above, so little evidence follows the group and much evidence
 * speaks for itself.
 *
 * @example
 * shrunkAffinity(
 *   [{ successes: 300, failures: 700, at: 0 }, undefined, { successes: 9, failures: 1, at: 0 }],
 *   { now: 0, halfLifeMs: 14 * 86_400_000 },
 * ); // { alpha: 12.0, beta: 8.0, mean: 0.60 }: between the global 0.30 and the unit's own 0.90
 */
export function shrunkAffinity(
  levels: readonly (PreferenceEvidence | undefined)[],
  options: ShrunkAffinityOptions,
): BetaPosterior {
  check.finite('now', options.now);
  check.positive('halfLifeMs', options.halfLifeMs);
  const strength = check.positive('strength', options.strength ?? DEFAULT_SHRINK_STRENGTH);
  if (!Array.isArray(levels) || levels.length === 0) {
    throw new SwitchyardError('INVALID_INPUT', 'levels must be a non-empty array, the global level first');
  }
  let alpha = 1;
  let beta = 1;
  levels.forEach((level, index) => {
    if (index > 0) {
      const mean = alpha / (alpha + beta);
      alpha = strength * mean;
      beta = strength * (1 - mean);
    }
    if (level === undefined) return;
    check.nonNegative(`levels[${index}].successes`, level.successes);
    check.nonNegative(`levels[${index}].failures`, level.failures);
    const decayed = decayEvidence(level, options.now, options.halfLifeMs);
    alpha += decayed.successes;
    beta += decayed.failures;
  });
  return { alpha, beta, mean: alpha / (alpha + beta) };
}
