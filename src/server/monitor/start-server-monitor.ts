import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createIdGenerator } from '../../runtime/ids/create-id-generator.js';
import type { Store } from '../../store/store.js';
import { createMonitorNotifier } from './monitor-notifier.js';
import {
  type MonitorSettings,
  type MonitorSettingsInput,
  monitorSettingsSchema,
} from './monitor-settings.js';
import { type Monitor, startMonitor } from './start-monitor.js';

/** A monitor that never evaluates: what a server with `monitor.enabled: false` runs. */
export const IDLE_MONITOR: Monitor = {
  tick: async () => ({ leader: false, evaluations: [], opened: [], resolved: [], rampMoves: [] }),
  close: async () => undefined,
};

/** What a server hands its monitor. */
export interface ServerMonitorOptions {
  settings: MonitorSettingsInput | undefined;
  store: Store;
  clock: () => number;
  random?: () => number;
  fetch?: typeof globalThis.fetch;
  onChange: () => Promise<void>;
  onError: (error: unknown) => void;
}

/**
 * Starts the server's guardrail monitor from its settings (defaults: every 10 s, lease of 3 intervals, no
 * webhooks), holding the lease under a name unique to this process; IDLE_MONITOR when disabled.
 */
export function startServerMonitor(options: ServerMonitorOptions): Monitor {
  const settings: MonitorSettings = monitorSettingsSchema.parse(options.settings ?? {});
  if (!settings.enabled) return IDLE_MONITOR;
  return startMonitor({
    store: options.store,
    clock: options.clock,
    intervalMs: settings.intervalMs,
    ...(settings.leaseMs === undefined ? {} : { leaseMs: settings.leaseMs }),
    holder: `${hostname()}:${process.pid}:${randomUUID()}`,
    newId: createIdGenerator({ clock: options.clock }),
    notifier: createMonitorNotifier({
      webhooks: settings.webhooks,
      clock: options.clock,
      ...(options.random === undefined ? {} : { random: options.random }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      onError: options.onError,
    }),
    onChange: options.onChange,
    onError: options.onError,
  });
}
