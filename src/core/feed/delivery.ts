/**
 * Delivery of feed events to IT's Teams channel (DESIGN 4.5): which undelivered event goes next, how long to
 * wait after a failure, when to park an event, and how pool draws group into digest cards. Pure: the caller
 * passes the time and the random number used for jitter.
 */
import type { FeedEvent, FeedEventKind } from './feed-event.js';

export const DIGEST_MODES = ['off', 'hourly', 'daily'] as const;
export type DigestMode = (typeof DIGEST_MODES)[number];

export const DELIVERY_TUNING = {
  /** Attempts before an event is parked for IT to retry by hand. */
  maxAttempts: 8,
  /** First retry after about this long, doubling each time up to the cap (then ±50% jitter). */
  baseDelayMs: 5_000,
  maxDelayMs: 15 * 60_000,
  /** An event still waiting after this long means the dispatcher is stuck: IT sees an alert. */
  stalledAfterMs: 15 * 60_000,
};

/** An undelivered event as the outbox holds it. */
export interface OutboxEntry {
  event: FeedEvent;
  attempts: number;
  /** ISO time before which the event must not be tried again; null when it may go now. */
  nextAttemptAt: string | null;
  lastError: string | null;
}

export type DeliveryStep =
  | { kind: 'send'; entry: OutboxEntry }
  | { kind: 'digest'; entries: OutboxEntry[]; window: DigestWindow }
  | { kind: 'idle'; wakeAt: string | null };

export interface DigestWindow {
  from: string;
  to: string;
  mode: Exclude<DigestMode, 'off'>;
}

/** Kinds a busy channel receives as digests instead of one card each (holds come one card each: each explains a move of the pool). */
const DIGESTIBLE: ReadonlySet<FeedEventKind> = new Set(['pool_draw']);

export function isDigested(kind: FeedEventKind, mode: DigestMode): boolean {
  return mode !== 'off' && DIGESTIBLE.has(kind);
}

/** The UTC hour or day an event's digest covers. */
export function digestWindow(at: string, mode: Exclude<DigestMode, 'off'>): DigestWindow {
  const start = new Date(at);
  if (mode === 'hourly') start.setUTCMinutes(0, 0, 0);
  else start.setUTCHours(0, 0, 0, 0);
  const end = new Date(start.getTime() + (mode === 'hourly' ? 3_600_000 : 86_400_000));
  return { from: start.toISOString(), to: end.toISOString(), mode };
}

/** Exponential back-off with jitter: about base·2^(attempt−1), capped, then scaled by 0.5–1.5. */
export function retryDelayMs(attempt: number, random01: number, tuning = DELIVERY_TUNING): number {
  const exponential = Math.min(tuning.maxDelayMs, tuning.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.5 + Math.min(1, Math.max(0, random01))));
}

const earliest = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);

/**
 * The next thing to deliver, from the outbox oldest first. Single cards go out strictly in order: one
 * waiting for its retry holds back those behind it. Digested draws travel apart from them, one card per
 * closed window, so a digest never holds back a purchase step or an alert.
 */
export function nextDelivery(entries: readonly OutboxEntry[], now: string, mode: DigestMode): DeliveryStep {
  let wakeAt: string | null = null;
  let singlesBlocked = false;
  const windowsSeen = new Set<string>();
  for (const entry of entries) {
    if (mode !== 'off' && isDigested(entry.event.kind, mode)) {
      const window = digestWindow(entry.event.at, mode);
      if (windowsSeen.has(window.from)) continue;
      windowsSeen.add(window.from);
      if (now < window.to) {
        wakeAt = earliest(wakeAt, window.to);
        continue;
      }
      const group = entries.filter((e) => isDigested(e.event.kind, mode) && digestWindow(e.event.at, mode).from === window.from);
      const retryAt = group.reduce<string | null>((latest, e) => (e.nextAttemptAt && (!latest || e.nextAttemptAt > latest) ? e.nextAttemptAt : latest), null);
      if (retryAt && retryAt > now) {
        wakeAt = earliest(wakeAt, retryAt);
        continue;
      }
      return { kind: 'digest', entries: group, window };
    }
    if (singlesBlocked) continue;
    if (entry.nextAttemptAt && entry.nextAttemptAt > now) {
      wakeAt = earliest(wakeAt, entry.nextAttemptAt);
      singlesBlocked = true;
      continue;
    }
    return { kind: 'send', entry };
  }
  return { kind: 'idle', wakeAt };
}

/** After a failed attempt: try again later, or park the event once the attempts are used up. */
export function afterFailure(entry: OutboxEntry, now: string, error: string, random01: number, retryAfterMs?: number, tuning = DELIVERY_TUNING): { park: true; entry: OutboxEntry } | { park: false; entry: OutboxEntry } {
  const attempts = entry.attempts + 1;
  if (attempts >= tuning.maxAttempts) return { park: true, entry: { ...entry, attempts, nextAttemptAt: null, lastError: error } };
  const delay = Math.max(retryDelayMs(attempts, random01, tuning), retryAfterMs ?? 0);
  return { park: false, entry: { ...entry, attempts, nextAttemptAt: new Date(Date.parse(now) + delay).toISOString(), lastError: error } };
}

/**
 * The dispatcher is stuck when an event that should have gone by now has waited longer than the threshold
 * (digested draws count from the end of their window).
 */
export function isStalled(entries: readonly OutboxEntry[], now: string, mode: DigestMode, tuning = DELIVERY_TUNING): boolean {
  const nowMs = Date.parse(now);
  return entries.some((e) => {
    const due = isDigested(e.event.kind, mode) && mode !== 'off' ? digestWindow(e.event.at, mode).to : e.event.at;
    return nowMs - Date.parse(due) > tuning.stalledAfterMs;
  });
}
