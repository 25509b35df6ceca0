import { type CompiledFeature, compileFeature } from '../../core/compile-feature.js';
import type { FeatureConfig } from '../../core/feature-config.js';
import type { ConfigChangeMessage, ConfigDocumentMessage } from './config-messages.js';

/** The whole document a state was last built from, so the same document is not compiled twice. */
export interface DocumentSource {
  readonly body: string;
  readonly etag: string | undefined;
}

/**
 * The compiled features a remote client serves, built from the server's config document and its change
 * events. A feature is applied only when its revision is newer than the one held (archived ones leave a
 * tombstone revision), so a late answer never undoes a newer change; a config that no longer compiles keeps
 * serving its last good version.
 */
export class RemoteFeatureState {
  readonly #onError: (error: unknown) => void;
  #compiled = new Map<string, CompiledFeature>();
  /** Revision of every feature held or removed, by key. */
  #revisions = new Map<string, number>();
  #revision = 0;
  #source: DocumentSource | undefined;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  /** The highest revision applied. */
  get revision(): number {
    return this.#revision;
  }

  /** The document the state equals, when no change event has been applied since; its ETag and body. */
  get source(): DocumentSource | undefined {
    return this.#source;
  }

  get(key: string): CompiledFeature | undefined {
    return this.#compiled.get(key);
  }

  keys(): string[] {
    return [...this.#compiled.keys()].sort();
  }

  /**
   * Takes a whole document as the truth (a fresh load, or the first event of a new stream): features it
   * lacks are dropped, whatever their revision, since a restarted server may count revisions anew. A body
   * equal to the one held changes nothing. Returns the keys of the features added, changed or dropped.
   */
  replace(document: ConfigDocumentMessage, source: DocumentSource): string[] {
    if (this.#source?.body === source.body) {
      this.#source = { body: source.body, etag: source.etag ?? this.#source.etag };
      return [];
    }
    const before = this.#revisions;
    const compiled = new Map<string, CompiledFeature>();
    const revisions = new Map<string, number>();
    for (const feature of document.features) {
      revisions.set(feature.key, feature.revision);
      const built = this.#compile(feature.config) ?? this.#compiled.get(feature.key);
      if (built !== undefined) compiled.set(feature.key, built);
    }
    this.#compiled = compiled;
    this.#revisions = revisions;
    this.#revision = document.revision;
    this.#source = source;
    const keys = new Set([...before.keys(), ...revisions.keys()]);
    return [...keys].filter((key) => before.get(key) !== revisions.get(key)).sort();
  }

  /**
   * Takes a whole document only when it is newer than what is held (a refresh racing the stream); returns
   * the keys it changed.
   */
  merge(document: ConfigDocumentMessage, source: DocumentSource): string[] {
    if (document.revision <= this.#revision) return [];
    return this.replace(document, source);
  }

  /**
   * Applies a change event: each feature newer than the one held is compiled, archived ones removed.
   * Returns the keys it changed.
   */
  apply(change: ConfigChangeMessage): string[] {
    const changed: string[] = [];
    for (const feature of change.features) {
      if (feature.revision <= (this.#revisions.get(feature.key) ?? -1)) continue;
      this.#revisions.set(feature.key, feature.revision);
      changed.push(feature.key);
      if (feature.archived) {
        this.#compiled.delete(feature.key);
        continue;
      }
      const built = this.#compile(feature.config);
      if (built !== undefined) this.#compiled.set(feature.key, built);
    }
    this.#revision = Math.max(this.#revision, change.revision);
    // The state no longer equals a document whose bytes are known: the next fetch must not send an ETag.
    this.#source = undefined;
    return [...new Set(changed)].sort();
  }

  #compile(config: Record<string, unknown>): CompiledFeature | undefined {
    try {
      // compileFeature validates the config with the same schema the server used, and throws naming the field.
      return compileFeature(config as FeatureConfig);
    } catch (error) {
      this.#onError(error);
      return undefined;
    }
  }
}
