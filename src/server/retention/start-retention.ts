import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type RetentionSettings,
  type RetentionSettingsInput,
  retentionSettingsSchema,
} from '../../control/retention/retention-settings.js';
import type { RetentionResult } from '../../control/retention/run-retention.js';
import { runRetention } from '../../control/retention/run-retention.js';
import type { Store } from '../../store/store.js';
import { startPeriodicPass } from '../periodic-pass.js';

/** The lease servers on one store compete for; its holder runs the automatic passes. */
export const RETENTION_LEASE = 'retention';

/** The server's retention: automatic passes on one server per store, and passes run on request. */
export interface Retention {
  /** The settings in force (windows in ms); no window means nothing is ever removed. */
  readonly settings: RetentionSettings;
  /** Runs a pass now, audited as `actor`, whether or not this server holds the lease. */
  run(actor: string): Promise<RetentionResult>;
  /** Runs the automatic pass now (when this server holds the lease); null when it did not run. */
  tick(): Promise<RetentionResult | null>;
  /** Stops the automatic passes, cutting a pass in progress short between two batches. */
  close(): Promise<void>;
}

/** What a server hands its retention. */
export interface RetentionOptions {
  settings: RetentionSettingsInput | undefined;
  store: Store;
  clock: () => number;
  onError: (error: unknown) => void;
}

/**
 * Starts retention from the server's `retention` settings: with any window set, a pass at start and every
 * `intervalMs` (hourly) on the one server holding the `retention` lease (two intervals long, renewed each
 * pass), audited as actor `retention` when it removed anything. Passes of one server never overlap.
 */
export function startRetention(options: RetentionOptions): Retention {
  const { store, clock, onError } = options;
  const settings = retentionSettingsSchema.parse(options.settings ?? {});
  const configured = [settings.events, settings.content, settings.audit].some(
    (window) => window !== undefined,
  );
  const holder = `${hostname()}:${process.pid}:${randomUUID()}`;
  let closed = false;
  // Content older than this was scrubbed by a finished pass of this process; the next scrub starts there.
  let scrubbedBefore: number | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const pass = (actor: string) => {
    const run = queue.then(async () => {
      const result = await runRetention(store, settings, {
        now: clock(),
        ...(scrubbedBefore === undefined ? {} : { scrubbedBefore }),
        stopped: () => closed,
      });
      if (!closed && result.before.content !== null) scrubbedBefore = result.before.content;
      const removed = result.deleted.events + result.deleted.audit + result.scrubbed.events;
      if (actor !== 'retention' || removed > 0) {
        await store.appendAudit({
          actor,
          action: 'retention.run',
          target: 'events',
          before: null,
          after: result,
          reason: null,
        });
      }
      return result;
    });
    queue = run.catch(() => undefined);
    return run;
  };

  const automatic = async (): Promise<RetentionResult | null> => {
    if (!configured || closed) return null;
    const leaseMs = Math.min(2 * settings.intervalMs, 86_400_000);
    if (!(await store.acquireLease(RETENTION_LEASE, holder, leaseMs, clock()))) return null;
    return pass('retention');
  };
  const periodic = configured ? startPeriodicPass(automatic, settings.intervalMs, onError) : undefined;
  if (periodic) void periodic.tick().catch(onError);

  return {
    settings,
    run: pass,
    tick: () => (periodic ? periodic.tick() : Promise.resolve(null)),
    async close() {
      closed = true;
      await periodic?.stop();
      await queue;
      if (configured) await store.releaseLease(RETENTION_LEASE, holder).catch(onError);
    },
  };
}
