import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/** One page of a cursor-paged list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A cursor-paged list: the pages read so far, joined. */
export interface PagedList<T> {
  readonly items: readonly T[];
  readonly error: unknown;
  readonly loading: boolean;
  /** True while the last page read had a next cursor. */
  readonly hasMore: boolean;
  loadMore(): void;
  /** Starts again from the first page. */
  reload(): void;
}

/**
 * Reads the first page of a list when `keys` change (filters, a new version), and the next one on
 * `loadMore`; a load for stale keys is dropped.
 */
export function usePagedList<T>(
  load: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>,
  keys: readonly unknown[],
): PagedList<T> {
  const [state, setState] = useState<{
    items: T[];
    cursor: string | null;
    error: unknown;
    loading: boolean;
  }>({ items: [], cursor: null, error: undefined, loading: true });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const controllerRef = useRef<AbortController | undefined>(undefined);

  const read = useCallback(async (cursor: string | undefined, append: boolean) => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    setState((previous) => ({ ...previous, loading: true, error: undefined }));
    try {
      const page = await loadRef.current(cursor, controller.signal);
      if (controller.signal.aborted) return;
      setState((previous) => ({
        items: append ? [...previous.items, ...page.items] : page.items,
        cursor: page.nextCursor,
        error: undefined,
        loading: false,
      }));
    } catch (error) {
      if (!controller.signal.aborted) setState((previous) => ({ ...previous, error, loading: false }));
    }
  }, []);

  useEffect(() => {
    void read(undefined, false);
    return () => controllerRef.current?.abort();
  }, [...keys, generation]);

  const cursor = state.cursor;
  const loadMore = useCallback(() => {
    if (cursor !== null) void read(cursor, true);
  }, [cursor, read]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return {
    items: state.items,
    error: state.error,
    loading: state.loading,
    hasMore: state.cursor !== null,
    loadMore,
    reload,
  };
}
