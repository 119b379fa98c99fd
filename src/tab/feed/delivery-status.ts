import { useEffect, useRef } from 'react';
import type { ResponseOf } from '../../contract/routes.js';
import { formatCredits, formatDateTime, formatRelative } from '../../ui/format.js';

/** What the API says about delivering the feed to IT's Teams channel. */
export type FeedDelivery = ResponseOf<'feedDelivery'>;
export type ParkedDelivery = FeedDelivery['parked'][number];
export type DigestMode = FeedDelivery['digest'];

/** How often the panel asks again while the page is on screen. */
export const DELIVERY_REFRESH_MS = 30_000;

/** A message bar above the feed: what is wrong with the channel, and whether Settings can fix it. */
export interface DeliveryNotice {
  id: 'stalled' | 'refused' | 'unconnected';
  intent: 'error' | 'warning' | 'info';
  title: string;
  text: string;
  /** Ends with a link to the Settings page, whose text this is. */
  settingsLink?: string;
}

export const DIGEST_TEXT: Record<DigestMode, string> = {
  off: 'Pool draws: one card each',
  hourly: 'Pool draws: hourly digest',
  daily: 'Pool draws: daily digest',
};

const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/** "09:30" for a time earlier today, the date and time for anything older. */
export function formatSince(iso: string, now: Date): string {
  const at = new Date(iso);
  return at.toDateString() === now.toDateString() ? timeOnly.format(at) : formatDateTime(iso);
}

/** "3 waiting", "nothing waiting"; the API counts only up to a limit, so a full count reads "1,000+". */
export function waitingText(delivery: Pick<FeedDelivery, 'pending' | 'pendingCountLimit'>): string {
  const { pending, pendingCountLimit } = delivery;
  if (pending <= 0) return 'nothing waiting';
  return `${formatCredits(pending)}${pending >= pendingCountLimit ? '+' : ''} waiting`;
}

/** The problem worth a message bar, if any: no channel, events stuck, or the last card refused. */
export function deliveryNotices(d: FeedDelivery, now: Date): DeliveryNotice[] {
  if (!d.webhookConfigured) {
    return [
      {
        id: 'unconnected',
        intent: 'info',
        title: 'No Teams channel connected',
        text: 'The feed shows here only.',
        settingsLink: 'Connect one in Settings.',
      },
    ];
  }
  const when = d.lastErrorAt ? ` (${formatRelative(d.lastErrorAt, now)})` : '';
  const error = d.lastError?.replace(/\.+$/, '');
  if (d.stalled) {
    // One bar, not two: the stall, the error behind it, and where to fix it.
    const since = d.oldestPendingAt ? ` since ${formatSince(d.oldestPendingAt, now)}` : '';
    return [
      {
        id: 'stalled',
        intent: 'error',
        title: 'Events are not reaching the Teams channel',
        text: `${capitalise(waitingText(d))}${since}.${error ? ` Last error: ${error}${when}.` : ' Nothing has been tried for a while: the sender may not be running.'}`,
        ...(error ? { settingsLink: 'Check the webhook URL in Settings.' } : {}),
      },
    ];
  }
  if (error) {
    return [
      {
        id: 'refused',
        intent: 'warning',
        title: 'The last card did not reach the channel',
        text: `${error}${when}. Cards are tried again for a while before they are set aside.`,
        settingsLink: 'Check the webhook URL in Settings.',
      },
    ];
  }
  return [];
}

/** The quiet line when all is well: "Delivered to Teams · last card 5 minutes ago · 3 waiting". */
export function deliveryStatusLine(d: FeedDelivery, now: Date): string {
  return ['Delivered to Teams', d.lastDeliveredAt ? `last card ${formatRelative(d.lastDeliveredAt, now)}` : undefined, waitingText(d)].filter(Boolean).join(' · ');
}

/** Parked first-parked first would bury the new ones: newest parked on top. */
export function sortParked(parked: readonly ParkedDelivery[]): ParkedDelivery[] {
  return [...parked].sort((a, b) => b.parkedAt.localeCompare(a.parkedAt));
}

/**
 * One idempotency key per event out of an action's key: "Send all again" makes one request per event, and a
 * retry of the same action must repeat each request with its own key, never share one between two paths.
 * Stays within the API's 8–64 letters, digits and dashes.
 */
export function keyForEvent(actionKey: string, eventId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < eventId.length; i++) {
    hash ^= eventId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${actionKey.slice(0, 55)}-${hash.toString(16).padStart(8, '0')}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Calls `callback` every `everyMs` while the page is visible, and once right away when it comes back into
 * view (a tab switched back to, a window restored), so a hidden tab does not poll.
 */
export function useWhileVisible(callback: () => void, everyMs: number): void {
  const latest = useRef(callback);
  latest.current = callback;
  useEffect(() => {
    let timer: ReturnType<typeof setInterval> | undefined;
    const start = () => {
      timer ??= setInterval(() => latest.current(), everyMs);
    };
    const stop = () => {
      clearInterval(timer);
      timer = undefined;
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') return stop();
      if (timer === undefined) latest.current();
      start();
    };
    if (document.visibilityState !== 'hidden') start();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [everyMs]);
}
