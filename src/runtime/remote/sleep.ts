/**
 * Resolves after `delayMs`, or at once when `signal` aborts (the caller checks the signal). With
 * `keepAlive: false` the timer does not hold the process open: a reconnect wait must not keep an
 * application running that is otherwise done.
 */
export function sleep(
  delayMs: number,
  options: { signal?: AbortSignal; keepAlive?: boolean } = {},
): Promise<void> {
  const { signal } = options;
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, delayMs);
    if (options.keepAlive === false) timer.unref();
    signal?.addEventListener('abort', done, { once: true });
  });
}
