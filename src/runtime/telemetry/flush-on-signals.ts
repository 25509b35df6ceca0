/** The part of `process` that `flushOnSignals` uses; tests pass a fake. */
export interface SignalProcess {
  readonly pid: number;
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
  listenerCount(signal: NodeJS.Signals): number;
  kill(pid: number, signal: NodeJS.Signals): unknown;
}

/**
 * On the first of `signals`, closes `target` (flushing its telemetry) and then lets the signal do what it
 * would have done: it removes its own listeners and, when no other listener for that signal remains, sends
 * the signal again so the default action ends the process. A second signal during the close finds no
 * listener of ours and ends the process at once. Returns a disposer that removes the listeners.
 *
 * @example
 * ```ts
 * const writer = createTelemetryWriter({ sink: (events) => store.appendEvents(events) });
 * const dispose = flushOnSignals({ close: async () => { await writer.close(); await store.close(); } });
 * ```
 */
export function flushOnSignals(
  target: { close(): Promise<void> },
  signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
  signalProcess: SignalProcess = process,
): () => void {
  const listeners = new Map<NodeJS.Signals, () => void>();
  const dispose = () => {
    for (const [signal, listener] of listeners) {
      signalProcess.off(signal, listener);
    }
    listeners.clear();
  };
  for (const signal of new Set(signals)) {
    const listener = () => {
      dispose();
      void closeThenReraise(target, signal, signalProcess);
    };
    listeners.set(signal, listener);
    signalProcess.on(signal, listener);
  }
  return dispose;
}

async function closeThenReraise(
  target: { close(): Promise<void> },
  signal: NodeJS.Signals,
  signalProcess: SignalProcess,
): Promise<void> {
  try {
    await target.close();
  } catch {
    // The process is going down either way; a failed close must not keep it alive.
  }
  // Another listener means the application handles this signal (and its exit) itself.
  if (signalProcess.listenerCount(signal) === 0) {
    signalProcess.kill(signalProcess.pid, signal);
  }
}
