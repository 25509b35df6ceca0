import { createWebhookSender, type WebhookSender } from '../../control/webhooks/send-webhook.js';
import type { AlertSeverity } from '../../store/store.js';
import type { MonitorEventType, WebhookTarget } from './monitor-settings.js';

/** One monitor event as webhooks receive it (JSON body). */
export interface MonitorEvent {
  type: MonitorEventType;
  /** Epoch milliseconds of the evaluation. */
  at: number;
  feature: string;
  /** Alert events only. */
  severity?: AlertSeverity;
  [field: string]: unknown;
}

/** Sends monitor events to the configured webhooks without holding the monitor up. */
export interface MonitorNotifier {
  /** Starts a delivery to every webhook that wants the event; never throws. */
  notify(event: MonitorEvent): void;
  /** Waits for deliveries in flight, then cancels what is still retrying. */
  close(graceMs?: number): Promise<void>;
}

/** Options of createMonitorNotifier. */
export interface MonitorNotifierOptions {
  webhooks: readonly WebhookTarget[];
  clock: () => number;
  random?: () => number;
  fetch?: typeof globalThis.fetch;
  onError: (error: Error) => void;
}

/**
 * Creates the notifier of a monitor: each event goes to every webhook whose `events` list it (all by default)
 * and, for alert events, whose `minSeverity` it meets, through a signed, retried sender (createWebhookSender).
 */
export function createMonitorNotifier(options: MonitorNotifierOptions): MonitorNotifier {
  const abort = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  const targets: Array<{ target: WebhookTarget; sender: WebhookSender }> = options.webhooks.map((target) => ({
    target,
    sender: createWebhookSender({
      url: target.url,
      secret: target.secret,
      clock: options.clock,
      signal: abort.signal,
      ...(options.random === undefined ? {} : { random: options.random }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      onError: (error) => options.onError(error),
    }),
  }));
  return {
    notify(event) {
      for (const { target, sender } of targets) {
        if (target.events !== undefined && !target.events.includes(event.type)) continue;
        if (target.minSeverity === 'critical' && event.severity === 'warning') continue;
        const delivery = sender.send(event).finally(() => inFlight.delete(delivery));
        inFlight.add(delivery);
      }
    },
    async close(graceMs = 2_000) {
      const settled = Promise.allSettled([...inFlight]);
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise((resolve) => {
        timer = setTimeout(resolve, graceMs);
        timer.unref();
      });
      await Promise.race([settled, grace]);
      clearTimeout(timer);
      abort.abort();
      await Promise.allSettled([...inFlight]);
    },
  };
}
