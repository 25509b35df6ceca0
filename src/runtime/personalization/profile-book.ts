import { LRUCache } from 'lru-cache';
import { addEvidence, type PreferenceEvidence } from '../../stats/preferences/preference-evidence.js';
import { entryKey, type PreferenceUpdate, type ProfileLevel } from './preference-update.js';

/**
 * The preference evidence a client ranks with, in memory: updated at once by this client's own feedback.
 * Bounded: the least recently used entries are forgotten first.
 */
export class ProfileBook {
  readonly #entries: LRUCache<string, PreferenceEvidence>;

  constructor(maxEntries = 500_000) {
    this.#entries = new LRUCache({ max: maxEntries });
  }

  /** The evidence for one attribute value of one profile, or undefined. */
  get(
    feature: string,
    level: ProfileLevel,
    attribute: string,
    value: string,
  ): PreferenceEvidence | undefined {
    return this.#entries.get(entryKey(feature, level, attribute, value));
  }

  /** Replaces an entry with evidence read from elsewhere (the store). */
  set(
    feature: string,
    level: ProfileLevel,
    attribute: string,
    value: string,
    evidence: PreferenceEvidence,
  ): void {
    this.#entries.set(entryKey(feature, level, attribute, value), evidence);
  }

  /** Adds each update's observations to its entry, decaying the old evidence first. */
  apply(updates: readonly PreferenceUpdate[]): void {
    for (const update of updates) {
      const key = entryKey(update.feature, update.level, update.attribute, update.value);
      this.#entries.set(key, addEvidence(this.#entries.get(key), update, update.halfLifeMs));
    }
  }
}
