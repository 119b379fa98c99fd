import { useCallback, useRef, useState } from 'react';
import { ApiError, newIdempotencyKey } from '../platform/api-client.js';

export interface Action {
  run: () => Promise<void>;
  busy: boolean;
  error: unknown;
}

// A refusal (4xx) is not remembered by the API: the next attempt needs a new key.
const forgetsKey = (reason: unknown) => reason instanceof ApiError && !reason.retryable;

/**
 * One button's API call, safe against double clicks: a second click while the first is in flight does
 * nothing, and every attempt at the same action carries the same idempotency key, so a retry after a lost
 * answer changes nothing twice. A refusal (4xx) is not remembered by the API; the next attempt gets a new key.
 */
export function useAction(perform: (idempotencyKey: string) => Promise<void>): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const key = useRef<string>(undefined);
  const running = useRef(false);
  const performRef = useRef(perform);
  performRef.current = perform;

  const run = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    key.current ??= newIdempotencyKey();
    setBusy(true);
    setError(undefined);
    try {
      await performRef.current(key.current);
    } catch (reason) {
      setError(reason);
      if (forgetsKey(reason)) key.current = undefined;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);

  return { run, busy, error };
}

/** How one attempt ended, for callers that go on from it (a bulk step counts it, a dialog closes or stays). */
export type Outcome = { ok: true } | { ok: false; error: unknown };

/** Runs `perform` as `step` of `row`; 'busy' (doing nothing) while that row has an attempt in flight. */
export type RowAction = (row: string, step: string, perform: (idempotencyKey: string) => Promise<void>) => Promise<Outcome | 'busy'>;

/**
 * `useAction` for a list whose rows each take steps (a queue), by the same rules per row: one attempt per
 * row at a time, and one key per row and step, kept while a lost answer may be retried. Unlike one
 * button's action, a row may take the same step again later (declined again after a new request), so an
 * answered step's key is dropped.
 */
export function useRowAction(): RowAction {
  const keys = useRef(new Map<string, string>());
  const running = useRef(new Set<string>());

  return useCallback<RowAction>(async (row, step, perform) => {
    if (running.current.has(row)) return 'busy';
    running.current.add(row);
    const slot = JSON.stringify([row, step]);
    const key = keys.current.get(slot) ?? newIdempotencyKey();
    keys.current.set(slot, key);
    try {
      await perform(key);
      keys.current.delete(slot);
      return { ok: true };
    } catch (error) {
      if (forgetsKey(error)) keys.current.delete(slot);
      return { ok: false, error };
    } finally {
      running.current.delete(row);
    }
  }, []);
}
