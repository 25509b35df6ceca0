/**
 * What a client tells its listeners about the features it serves: `changed` with the keys of the
 * features written (archived ones included) after the first load; `stale` when a server-backed client lost
 * its config stream (it keeps serving what it has), and `ready` once it is back and caught up.
 */
export type FeatureEvent =
  | { readonly type: 'changed'; readonly features: readonly string[] }
  | { readonly type: 'stale'; readonly message: string }
  | { readonly type: 'ready' };

/** A listener of feature events; it must not throw (a throw is reported and the others still run). */
export type FeatureEventListener = (event: FeatureEvent) => void;

/** Listeners of one client's feature events. */
export class FeatureEvents {
  readonly #listeners = new Set<FeatureEventListener>();
  readonly #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  /** Adds a listener; the returned function removes it. */
  subscribe(listener: FeatureEventListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Tells every listener; a `changed` event without keys is not sent. */
  emit(event: FeatureEvent): void {
    if (event.type === 'changed' && event.features.length === 0) return;
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.#onError(error);
      }
    }
  }
}
