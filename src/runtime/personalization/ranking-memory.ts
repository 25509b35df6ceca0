import { LRUCache } from 'lru-cache';
import type { RankerLearnConfig } from '../../core/feature-config.js';
import type { ProfileLevel } from './preference-update.js';

/** What a client remembers of a ranking so feedback on it can teach the profiles. */
export interface RememberedRanking {
  readonly feature: string;
  readonly learn: RankerLearnConfig;
  /** The profiles feedback on it updates: the global one, the unit's groups, the unit's own. */
  readonly levels: readonly ProfileLevel[];
  /** The served item ids in order, each with its learned `[attribute, value]` pairs. */
  readonly served: readonly { readonly id: string; readonly values: readonly [string, string][] }[];
}

/** A bounded memory of recent rankings (the oldest are forgotten first, and teach nothing). */
export class RankingMemory {
  readonly #entries: LRUCache<string, RememberedRanking>;

  constructor(maxEntries = 20_000) {
    this.#entries = new LRUCache({ max: maxEntries });
  }

  remember(requestId: string, ranking: RememberedRanking): void {
    this.#entries.set(requestId, ranking);
  }

  recall(requestId: string): RememberedRanking | undefined {
    return this.#entries.get(requestId);
  }
}
