import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImportView } from '../../contract/imports.js';
import type { ApiClient } from '../../platform/api-client.js';

/** How often a posting import is asked for its progress. */
export const POLL_MS = 1000;

export interface ImportViewState {
  view: ImportView | undefined;
  /** The first load failed (nothing to show). */
  error: unknown;
  loading: boolean;
  /** A progress poll failed; the last figures stay and polling goes on. */
  pollError: unknown;
  reload: () => void;
  /** Puts an answer of an action (mapping, links, commit) in place. */
  replace: (view: ImportView) => void;
}

/**
 * One import by id: loaded when the id changes (unless it is the one already shown, e.g. just uploaded),
 * and asked again every second while it is posting, until it has posted or failed.
 */
export function useImportView(api: ApiClient, id: string | undefined): ImportViewState {
  const [view, setView] = useState<ImportView>();
  const [error, setError] = useState<unknown>();
  const [pollError, setPollError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const [generation, setGeneration] = useState(0);
  const viewRef = useRef(view);
  viewRef.current = view;
  /** Set by reload: load even the import already shown. */
  const force = useRef(false);

  useEffect(() => {
    setError(undefined);
    setPollError(undefined);
    if (!id) {
      setView(undefined);
      setLoading(false);
      return;
    }
    if (viewRef.current?.id === id && !force.current) return;
    force.current = false;
    const controller = new AbortController();
    setLoading(true);
    api('getImport', { params: { id }, signal: controller.signal }).then(
      (loaded) => {
        if (controller.signal.aborted) return;
        setView(loaded);
        setLoading(false);
      },
      (reason: unknown) => {
        if (controller.signal.aborted) return;
        setView(undefined);
        setError(reason);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [api, id, generation]);

  // While posting: ask again a second after each answer (never two polls in flight).
  const [pollRound, setPollRound] = useState(0);
  const committingId = view?.state === 'committing' ? view.id : undefined;
  useEffect(() => {
    if (!committingId || committingId !== id) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api('getImport', { params: { id: committingId }, signal: controller.signal }).then(
        (next) => {
          if (controller.signal.aborted) return;
          setPollError(undefined);
          setView(next);
          setPollRound((r) => r + 1);
        },
        (reason: unknown) => {
          if (controller.signal.aborted) return;
          setPollError(reason);
          setPollRound((r) => r + 1);
        },
      );
    }, POLL_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [api, id, committingId, pollRound]);

  const reload = useCallback(() => {
    force.current = true;
    setGeneration((g) => g + 1);
  }, []);
  const replace = useCallback((next: ImportView) => {
    setView(next);
    setError(undefined);
  }, []);
  return { view: view?.id === id ? view : undefined, error, loading, pollError, reload, replace };
}
