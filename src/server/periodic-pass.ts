/** A pass that runs on an interval and on demand, never two at once. */
export interface PeriodicPass<T> {
  /** Runs a pass now, or joins the one in progress. */
  tick(): Promise<T>;
  /** Stops the interval and waits for a pass in progress (its failure is ignored here: `onError` saw it). */
  stop(): Promise<void>;
}

/**
 * Runs `pass` every `intervalMs` (on an unref'd timer, so it never keeps the process alive) and whenever
 * `tick()` is called; a tick during a pass joins it instead of starting another. Failures of timed passes go
 * to `onError`; a `tick()` caller sees its own.
 *
 * @example
 * const reweigh = startPeriodicPass(() => reweighDueBandits(), 10_000, log);
 * await reweigh.tick();
 */
export function startPeriodicPass<T>(
  pass: () => Promise<T>,
  intervalMs: number,
  onError: (error: unknown) => void,
): PeriodicPass<T> {
  let running: Promise<T> | undefined;
  const tick = () => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => void tick().catch(onError), intervalMs);
  timer.unref();
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
