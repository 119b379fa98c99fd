import { useCallback, useRef, useState } from 'react';
import { ApiError, newIdempotencyKey } from '../platform/api-client.js';

export interface Action {
  run: () => Promise<void>;
  busy: boolean;
  error: unknown;
}

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
      if (reason instanceof ApiError && !reason.retryable) key.current = undefined;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);

  return { run, busy, error };
}
