import type { TransferView } from '../contract/schemas.js';

/**
 * The order a person reads a history in: by the day the credits were used, newest first, then by when the
 * entry was recorded. `GET /api/usage` pages by recording time (so a page-by-page read never skips or
 * repeats an entry); the tab orders everything it has loaded, so a page loaded later puts its entries in
 * their place rather than after the others.
 */

type Dated = Pick<TransferView, 'id' | 'date' | 'at'>;

/** The day an entry concerns: its usage day, or the day it was recorded when it has none (an allotment). */
export const usageDay = (t: Pick<TransferView, 'date' | 'at'>): string => t.date ?? t.at.slice(0, 10);

export function byUsageDay<T extends Dated>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => usageDay(b).localeCompare(usageDay(a)) || b.at.localeCompare(a.at) || b.id.localeCompare(a.id));
}

/**
 * While older pages are not loaded, the last usage day that may still gain entries from them. Everything
 * not loaded was recorded before the oldest loaded entry, and a usage day is never after the day it was
 * recorded anywhere on Earth (at most one day after it in UTC): later days are complete.
 */
export function mayGrowThrough(loaded: readonly Dated[], moreToLoad: boolean): string | null {
  if (!moreToLoad || loaded.length === 0) return null;
  const oldest = loaded.reduce((min, t) => (t.at < min ? t.at : min), loaded[0]!.at);
  const day = new Date(`${oldest.slice(0, 10)}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}
