import { LRUCache } from 'lru-cache';
import type { Store } from '../../store/store.js';
import { GLOBAL_LEVEL, type PreferenceUpdate, type ProfileLevel } from './preference-update.js';
import type { ProfileBook } from './profile-book.js';

/** Options of `storeProfiles`. */
export interface StoreProfilesOptions {
  readonly store: Store;
  readonly book: ProfileBook;
  readonly clock: () => number;
  readonly onError: (error: unknown) => void;
  /** A profile read from the store is read again after this long; default 2,000 ms. */
  readonly refreshMs?: number;
  /** Updates wait at most this long to be written together; default 100 ms. */
  readonly flushMs?: number;
}

/** Profiles kept in a store: loaded into the book when stale, updates written in batches. */
export interface StoreProfiles {
  load(feature: string, levels: readonly ProfileLevel[]): Promise<void>;
  learn(updates: readonly PreferenceUpdate[]): void;
  /** Writes what is pending. */
  flush(): Promise<void>;
}

/**
 * Keeps a client's profile book current with the store: a profile is read when a ranking needs it and its
 * copy is older than `refreshMs`, so other processes' learning reaches this one within seconds; this client's
 * updates, already in its book, are written to the store in batches. A store outage keeps the copy in memory
 * (reported to `onError`); ranking never fails for it.
 */
export function storeProfiles(options: StoreProfilesOptions): StoreProfiles {
  const { store, book, clock, onError } = options;
  const refreshMs = options.refreshMs ?? 2_000;
  const flushMs = options.flushMs ?? 100;
  const loadedAt = new LRUCache<string, number>({ max: 100_000 });
  let pending: PreferenceUpdate[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> = Promise.resolve();

  const flush = async () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return writing;
    writing = writing.then(() =>
      store
        .addPreferences(
          batch.map((update) => ({
            feature: update.feature,
            scope: update.level.scope,
            profile: update.level.key,
            attribute: update.attribute,
            value: update.value,
            successes: update.successes,
            failures: update.failures,
            at: update.at,
            halfLifeMs: update.halfLifeMs,
          })),
        )
        .catch(onError),
    );
    return writing;
  };

  return {
    async load(feature, levels) {
      const now = clock();
      const stale = levels.filter((level) => {
        const at = loadedAt.get(`${feature}\u0000${level.scope}\u0000${level.key}`);
        return at === undefined || now - at >= refreshMs;
      });
      if (stale.length === 0) return;
      // Write this client's pending evidence first, so the read includes it.
      await flush();
      let entries: Awaited<ReturnType<Store['listPreferences']>>;
      try {
        entries = await store.listPreferences({
          feature,
          profiles: stale.map((level) => ({ scope: level.scope, profile: level.key })),
        });
      } catch (error) {
        onError(error);
        return;
      }
      for (const level of stale) loadedAt.set(`${feature}\u0000${level.scope}\u0000${level.key}`, now);
      for (const entry of entries) {
        const level =
          entry.scope === GLOBAL_LEVEL.scope ? GLOBAL_LEVEL : { scope: entry.scope, key: entry.profile };
        book.set(feature, level, entry.attribute, entry.value, {
          successes: entry.successes,
          failures: entry.failures,
          at: entry.updatedAt,
        });
      }
    },
    learn(updates) {
      pending.push(...updates);
      timer ??= setTimeout(() => void flush(), flushMs);
      timer.unref?.();
    },
    flush,
  };
}
