/**
 * How the Autodesk clients wait: polls of an export slow down exponentially, a 429 waits at least its
 * Retry-After, and every kind of waiting has a bound after which the pull gives up with a coded error.
 * The waiting itself goes through a `Scheduler`, so tests record the waits instead of sleeping.
 */

/** Waits; tests inject one that records the wait and returns at once. */
export interface Scheduler {
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface BackoffPolicy {
  /** The first wait between two status polls. */
  initialMs: number;
  /** Each further wait is this many times the last one… */
  factor: number;
  /** …up to this. */
  maxMs: number;
  /** Status polls before the export counts as too slow ('unavailable'). */
  maxPolls: number;
  /** 5xx answers and network failures retried in a row before giving up ('unavailable'). */
  maxTransientRetries: number;
  /** Total time spent waiting on 429s in one pull before giving up ('throttled'). */
  maxThrottleWaitMs: number;
}

/**
 * Autodesk's exports take from seconds to many minutes for a year of data: 2 s, 4 s, … up to a minute
 * between polls, for about half an hour in all. Autodesk's rate limits are per minute, so a throttled pull
 * waits up to ten minutes in all before it is left for the next run.
 */
export const DEFAULT_BACKOFF: BackoffPolicy = {
  initialMs: 2_000,
  factor: 2,
  maxMs: 60_000,
  maxPolls: 40,
  maxTransientRetries: 3,
  maxThrottleWaitMs: 600_000,
};

/** The wait before the `attempt`-th retry or poll (0-based): initial × factor^attempt, capped. */
export function backoffDelay(policy: Pick<BackoffPolicy, 'initialMs' | 'factor' | 'maxMs'>, attempt: number): number {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`bad attempt: ${attempt}`);
  return Math.min(policy.maxMs, Math.round(policy.initialMs * policy.factor ** attempt));
}

/**
 * Milliseconds a Retry-After header asks for: delay-seconds or an HTTP-date (RFC 9110 10.2.3), never
 * negative; null when absent or unreadable.
 */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP-date starts with the day's name ("Fri, 20 Nov 2026 12:00:30 GMT"); Date.parse alone takes "-5" for a year.
  const at = /^[A-Za-z]{3}/.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** How long to wait after a 429: what Retry-After asks, else the back-off delay; never less than the back-off delay. */
export function throttleWait(policy: BackoffPolicy, attempt: number, retryAfter: number | null): number {
  return Math.max(retryAfter ?? 0, backoffDelay(policy, attempt));
}

/** Real waiting, cut short (rejecting with the abort reason) when the signal aborts. */
export const realScheduler: Scheduler = {
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      const aborted = () => (signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      if (signal?.aborted) return reject(aborted());
      const onAbort = () => {
        clearTimeout(timer);
        reject(aborted());
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
