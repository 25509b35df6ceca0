import type { ScrubCursor, Store } from '../../store/store.js';
import type { RetentionSettings } from './retention-settings.js';

/** What one retention pass removed. */
export interface RetentionResult {
  readonly deleted: { readonly events: number; readonly audit: number };
  readonly scrubbed: { readonly events: number };
  /** The cutoffs applied (epoch ms: what is older goes), null for a window not configured. */
  readonly before: {
    readonly events: number | null;
    readonly content: number | null;
    readonly audit: number | null;
  };
}

/** Options of one pass. */
export interface RetentionRunOptions {
  readonly now: number;
  /** Content older than this was scrubbed by an earlier pass of this process: the scrub starts here. */
  readonly scrubbedBefore?: number;
  /** Awaited between batches so that a long pass never holds the event loop or the store for long. */
  readonly pause?: () => Promise<void>;
  /** Stops the pass between batches (the server is closing). */
  readonly stopped?: () => boolean;
}

/**
 * One retention pass: deletes events older than `events`, then removes stored prompts and outputs from
 * the call events older than `content`, then deletes audit entries older than `audit`, each in batches of
 * `batchSize` rows, pausing between batches. Counts what it removed; audits nothing itself (the caller
 * records who ran it).
 *
 * @example
 * const result = await runRetention(store, retentionSettingsSchema.parse({ events: '90d', content: '7d' }), { now: Date.now() });
 * // { deleted: { events: 1200, audit: 0 }, scrubbed: { events: 340 }, before: { ... } }
 */
export async function runRetention(
  store: Store,
  settings: RetentionSettings,
  options: RetentionRunOptions,
): Promise<RetentionResult> {
  const { now, batchSize } = { now: options.now, batchSize: settings.batchSize };
  const pause = options.pause ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  const stopped = options.stopped ?? (() => false);
  const cutoff = (window: number | undefined) => (window === undefined ? null : Math.max(0, now - window));
  const before = {
    events: cutoff(settings.events),
    content: cutoff(settings.content),
    audit: cutoff(settings.audit),
  };

  const drain = async (step: () => Promise<number>) => {
    let total = 0;
    while (!stopped()) {
      const removed = await step();
      total += removed;
      if (removed < batchSize) break;
      await pause();
    }
    return total;
  };

  const events =
    before.events === null
      ? 0
      : await drain(() => store.deleteEventsBefore(before.events as number, batchSize));
  let scrubbed = 0;
  const contentBefore = before.content;
  if (
    contentBefore !== null &&
    (options.scrubbedBefore === undefined || options.scrubbedBefore < contentBefore)
  ) {
    let cursor: ScrubCursor | null =
      options.scrubbedBefore === undefined ? null : { at: options.scrubbedBefore, id: '' };
    do {
      if (stopped()) break;
      const batch = await store.scrubEventContent(contentBefore, batchSize, cursor);
      scrubbed += batch.scrubbed;
      cursor = batch.next;
      if (cursor !== null) await pause();
    } while (cursor !== null);
  }
  const audit =
    before.audit === null ? 0 : await drain(() => store.deleteAuditBefore(before.audit as number, batchSize));
  return { deleted: { events, audit }, scrubbed: { events: scrubbed }, before };
}
