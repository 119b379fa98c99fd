import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../platform/api-client.js';
import type { FeedEntry } from './feed-kinds.js';

export const FEED_PAGE_SIZE = 30;

export interface FeedPages {
  items: FeedEntry[];
  /** The first page has arrived (or failed); until then there is nothing to show. */
  started: boolean;
  /** More, older entries can be loaded. */
  hasMore: boolean;
  loading: boolean;
  error: unknown;
  /** Loads the next page; does nothing while a page is on its way or when there is no more. */
  loadMore: () => void;
}

/**
 * Pages through the feed, newest first. One page at a time: a second call while one is in flight is ignored,
 * so a double click, a scroll and a click together load a page once. A failure keeps what was loaded.
 */
export function useFeedPages(api: ApiClient): FeedPages {
  const [items, setItems] = useState<FeedEntry[]>([]);
  const [started, setStarted] = useState(false);
  const [hasMore, setHasMore] = useState(true);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>();
  // undefined: the first page is next; null: the feed is exhausted.
  const cursor = useRef<string | null | undefined>(undefined);
  const pending = useRef<AbortController | null>(null);

  const load = useCallback(async () => {
    if (pending.current || cursor.current === null) return;
    const controller = new AbortController();
    pending.current = controller;
    setLoading(true);
    setError(undefined);
    try {
      const page = await api('feed', { query: { cursor: cursor.current, limit: FEED_PAGE_SIZE }, signal: controller.signal });
      if (controller.signal.aborted) return;
      cursor.current = page.nextCursor;
      setItems((loaded) => {
        const seen = new Set(loaded.map((item) => item.id));
        return [...loaded, ...page.items.filter((item) => !seen.has(item.id))];
      });
      setHasMore(page.nextCursor !== null);
    } catch (reason) {
      if (controller.signal.aborted) return;
      setError(reason);
    } finally {
      if (pending.current === controller) {
        pending.current = null;
        setLoading(false);
        setStarted(true);
      }
    }
  }, [api]);

  useEffect(() => {
    void load();
    return () => {
      pending.current?.abort();
      pending.current = null;
    };
  }, [load]);

  const loadMore = useCallback(() => void load(), [load]);
  return { items, started, hasMore, loading, error, loadMore };
}
