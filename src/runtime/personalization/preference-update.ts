/** Whose profile: a `by` attribute and its value (`tenant` / `acme`), or the feature's global profile. */
export interface ProfileLevel {
  /** The context attribute the profile is kept by (`userId`, `tenant`), or `*` for the global profile. */
  readonly scope: string;
  /** The attribute's value (the unit id for the unit's profile), or `*` for the global profile. */
  readonly key: string;
}

/** The global profile of a feature: every unit's evidence together. */
export const GLOBAL_LEVEL: ProfileLevel = { scope: '*', key: '*' };

/** New evidence for one attribute value of one profile, observed at `at` (epoch ms). */
export interface PreferenceUpdate {
  readonly feature: string;
  readonly level: ProfileLevel;
  readonly attribute: string;
  readonly value: string;
  readonly successes: number;
  readonly failures: number;
  readonly at: number;
  /** The half-life the feature learns with, which the update decays the stored evidence by. */
  readonly halfLifeMs: number;
}

/** The key one profile entry is kept under. */
export function entryKey(feature: string, level: ProfileLevel, attribute: string, value: string): string {
  return `${feature}\u0000${level.scope}\u0000${level.key}\u0000${attribute}\u0000${value}`;
}
