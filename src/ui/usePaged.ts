import { useCallback, useEffect, useRef, useState } from 'react';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PagedState<T> {
  items: T[];
  /** The last failure, of the first page or of a further one. */
  error: unknown;
  /** The last failure was of a further page: what had loaded is still there. */
  moreFailed: boolean;
  /** The first page is loading (show a skeleton). */
  loading: boolean;
  /** A further page is loading (keep the list, busy the button). */
  loadingMore: boolean;
  hasMore: boolean;
  reload: () => void;
  loadMore: () => void;
  /** Tries again what failed: the further page if that was it, else the whole list. */
  retry: () => void;
  /** Changes the loaded items in place, e.g. after an action answered with the new record. */
  update: (change: (items: T[]) => T[]) => void;
}

/** A cursor-paged list: the first page on mount and when `deps` change, more pages on demand. Abortable. */
export function usePaged<T>(load: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>, deps: unknown[]): PagedState<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const [failedMore, setFailedMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const controllerRef = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    const controller = new AbortController();
    controllerRef.current = controller;
    setLoading(true);
    setLoadingMore(false);
    setError(undefined);
    setFailedMore(false);
    loadRef.current(undefined, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setItems(page.items);
        setCursor(page.nextCursor);
        setLoading(false);
      },
      (reason: unknown) => {
        if (controller.signal.aborted) return;
        setItems([]);
        setCursor(null);
        setError(reason);
        setLoading(false);
      },
    );
    return () => controller.abort();
    // The caller's deps say when the list starts over; `load` itself is read through a ref.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  const loadingMoreRef = useRef(false);
  const loadMore = useCallback(() => {
    const controller = controllerRef.current;
    if (!cursor || !controller || loadingMoreRef.current) return;
    loadingMoreRef.current = true;
    setLoadingMore(true);
    setError(undefined);
    setFailedMore(false);
    loadRef.current(cursor, controller.signal)
      .then(
        (page) => {
          if (controller.signal.aborted) return;
          setItems((current) => [...current, ...page.items]);
          setCursor(page.nextCursor);
        },
        (reason: unknown) => {
          if (controller.signal.aborted) return;
          setError(reason);
          setFailedMore(true);
        },
      )
      .finally(() => {
        loadingMoreRef.current = false;
        if (!controller.signal.aborted) setLoadingMore(false);
      });
  }, [cursor]);

  const retry = useCallback(() => (failedMore ? loadMore() : reload()), [failedMore, loadMore, reload]);
  const update = useCallback((change: (items: T[]) => T[]) => setItems(change), []);

  return { items, error, moreFailed: failedMore, loading, loadingMore, hasMore: cursor !== null, reload, loadMore, retry, update };
}
