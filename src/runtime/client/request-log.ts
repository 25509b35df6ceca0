import { LRUCache } from 'lru-cache';

/** What a client remembers of a recent run, so feedback can name its feature and variant. */
export interface RememberedRequest {
  readonly feature: string;
  /** The variant that served the run; null for a `runAll` group. */
  readonly variant: string | null;
}

/** A bounded memory of recent request ids (the oldest are forgotten first). */
export class RequestLog {
  readonly #entries: LRUCache<string, RememberedRequest>;

  constructor(maxEntries = 100_000) {
    this.#entries = new LRUCache({ max: maxEntries });
  }

  /** Remembers a request's feature and served variant. */
  remember(requestId: string, request: RememberedRequest): void {
    this.#entries.set(requestId, request);
  }

  /** The remembered request, or undefined when it is unknown or forgotten. */
  recall(requestId: string): RememberedRequest | undefined {
    return this.#entries.get(requestId);
  }
}
