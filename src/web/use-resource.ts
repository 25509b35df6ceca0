import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/** What `useResource` knows about its data. */
export interface Resource<T> {
  /** The latest data; kept while a refresh is under way or after a refresh failed. */
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  /** Loads again now. */
  reload(): void;
}

/**
 * Loads data when `keys` change, and again every `refreshMs` when given (the next load starts once the
 * previous one ended, so slow answers never pile up). Loads for stale keys are aborted.
 */
export function useResource<T>(
  load: (signal: AbortSignal) => Promise<T>,
  keys: readonly unknown[],
  refreshMs?: number,
): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      setState((previous) => ({ ...previous, loading: true }));
      try {
        const data = await loadRef.current(controller.signal);
        if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
      } catch (error) {
        if (!controller.signal.aborted) setState((previous) => ({ ...previous, error, loading: false }));
      }
      if (refreshMs !== undefined && !controller.signal.aborted) timer = setTimeout(run, refreshMs);
    };
    void run();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [...keys, refreshMs, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...state, reload };
}
