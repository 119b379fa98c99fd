import { useCallback, useEffect, useState } from 'react';
import type { UsageSourceKind, UsageSourceStatus } from '../../contract/usage-sources.js';
import type { ApiClient } from '../../platform/api-client.js';

/** How often the sources are asked again while a pull runs. */
export const SOURCES_POLL_MS = 2000;

export interface UsageSourcesState {
  sources: UsageSourceStatus[] | undefined;
  error: unknown;
  reload: () => void;
  /** IT's "Pull now": the source's status as the API answers, and whether this click started the pull. */
  pullNow: (kind: UsageSourceKind, idempotencyKey: string) => Promise<boolean>;
}

/** The connected usage sources with their pulls; asked again every two seconds while one is running. */
export function useUsageSources(api: ApiClient): UsageSourcesState {
  const [sources, setSources] = useState<UsageSourceStatus[]>();
  const [error, setError] = useState<unknown>();
  const [generation, setGeneration] = useState(0);
  const [pollRound, setPollRound] = useState(0);
  const running = sources?.some((s) => s.running !== null) ?? false;

  useEffect(() => {
    const controller = new AbortController();
    api('usageSources', { signal: controller.signal }).then(
      (answer) => {
        if (controller.signal.aborted) return;
        setSources(answer.sources);
        setError(undefined);
      },
      (reason: unknown) => {
        if (!controller.signal.aborted) setError(reason);
      },
    );
    return () => controller.abort();
  }, [api, generation]);

  // While a pull runs: ask again a little after each answer (never two in flight); a failed poll keeps the figures.
  useEffect(() => {
    if (!running) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api('usageSources', { signal: controller.signal }).then(
        (answer) => {
          if (controller.signal.aborted) return;
          setSources(answer.sources);
          setPollRound((r) => r + 1);
        },
        () => {
          if (!controller.signal.aborted) setPollRound((r) => r + 1);
        },
      );
    }, SOURCES_POLL_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [api, running, pollRound]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const pullNow = useCallback(
    async (kind: UsageSourceKind, idempotencyKey: string) => {
      const answer = await api('pullUsageSource', { params: { kind }, idempotencyKey });
      setSources((current) => current?.map((s) => (s.kind === kind ? answer.source : s)));
      return answer.started;
    },
    [api],
  );
  return { sources, error, reload, pullNow };
}
