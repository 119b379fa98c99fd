/**
 * Flex packs (DESIGN 3.1, issue 7): in Flex mode every applied purchase is a pack that expires
 * `packExpiryMonths` calendar months after it was applied. Draws take the earliest-expiring pack first
 * (then the smallest, then the oldest); packs without expiry come after, oldest first. A pack past its
 * expiry is never drawn from: what is left in it moves `pool → expired` with a `pack_expired` transfer,
 * exactly once (the lot records `expiredAt`; the store's optimistic concurrency on the lot row makes a
 * second expiry decide again and find nothing to do).
 */
import type { FeedEvent } from '../feed/feed-event.js';
import type { LedgerState, Posting, PostingContext } from './ledger-state.js';
import { applyPosting, balanceOf, emptyPosting, eventId, transferId } from './ledger-state.js';
import type { Units } from './money.js';
import type { Policy } from '../policy/policy.js';
import { dayNumber } from '../policy/policy.js';
import type { Lot, Purchase } from '../purchases/purchase-types.js';
import type { Words } from '../feed/wording.js';
import { wordsFor } from '../feed/wording.js';

/** Who expires packs, in the ledger and on the idempotency markers. */
export const PACKS_ACTOR = 'system:packs';

/** Days before a pack's expiry at which the feed warns, with the amount at risk. */
export const PACK_WARNING_DAYS = [90, 30] as const;

/**
 * `months` calendar months after an ISO timestamp, same time of day; a day the month lacks becomes its
 * last day (31 January + 1 month = 28 or 29 February).
 */
export function addCalendarMonths(at: string, months: number): string {
  const d = new Date(at);
  const target = d.getUTCMonth() + months;
  const year = d.getUTCFullYear() + Math.floor(target / 12);
  const month = ((target % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(d.getTime());
  result.setUTCDate(1);
  result.setUTCFullYear(year, month, Math.min(d.getUTCDate(), lastDay));
  return result.toISOString();
}

/** When a pack applied at `appliedAt` expires under the policy; undefined when packs do not expire. */
export function packExpiry(policy: Pick<Policy, 'packExpiryMonths'>, appliedAt: string): string | undefined {
  return policy.packExpiryMonths ? addCalendarMonths(appliedAt, policy.packExpiryMonths) : undefined;
}

/** A pack the ledger has expired, or (given a clock) one past its expiry the timer has not reached yet. */
export function isLotExpired(lot: Lot, asOf?: string): boolean {
  if (lot.expiredAt !== undefined) return true;
  return asOf !== undefined && lot.expiresAt !== undefined && lot.expiresAt <= asOf;
}

/**
 * The order draws take lots in: earliest expiry first, then the smallest (what is left), then the oldest;
 * lots without expiry after those with one, oldest first. Stable for equal keys (the id breaks ties).
 */
export function compareLotsForDraw(a: Lot, b: Lot): number {
  if (a.expiresAt !== undefined && b.expiresAt !== undefined) {
    return a.expiresAt.localeCompare(b.expiresAt) || a.remaining - b.remaining || a.appliedAt.localeCompare(b.appliedAt) || a.id.localeCompare(b.id);
  }
  if (a.expiresAt !== undefined) return -1;
  if (b.expiresAt !== undefined) return 1;
  return a.appliedAt.localeCompare(b.appliedAt) || a.id.localeCompare(b.id);
}

/** Lots past their expiry at `ctx.now` that the ledger has not expired yet. */
export function lotsDueToExpire(lots: readonly Lot[], now: string): Lot[] {
  return lots.filter((l) => l.expiredAt === undefined && l.expiresAt !== undefined && l.expiresAt <= now).sort(compareLotsForDraw);
}

/** "The pack from Purchase of 2 blocks (Q4 top-up), applied Dec 6, 2026": by what it is, never its id. */
export function packName(lot: Lot, purchase: Pick<Purchase, 'blocks' | 'reason'> | undefined, words: Words): string {
  return `The pack${purchase ? ` from ${words.purchase(purchase)}` : ''}, applied ${words.day(lot.appliedAt)}`;
}

/**
 * Expires every pack past its expiry at `ctx.now`: what is left in it moves `pool → expired`
 * (`pack_expired`, with the lot), the lot is marked expired, and the feed says how much was lost. A pack
 * with nothing left is marked expired with no transfer and no event. Empty when nothing is due.
 */
export function planPackExpiry(state: LedgerState, ctx: PostingContext): { posting: Posting; expired: Lot[] } {
  const posting = emptyPosting(ctx.postingId);
  let poolAfter = balanceOf(state, 'pool');
  const words = wordsFor(ctx.policy);
  for (const lot of lotsDueToExpire(state.lots, ctx.now)) {
    const lost = lot.remaining;
    posting.lots.push({ ...lot, remaining: 0, expiredAt: ctx.now, expiredAmount: (lot.expiredAmount ?? 0) + lost });
    if (lost <= 0) continue;
    poolAfter -= lost;
    posting.transfers.push({
      id: transferId(ctx.postingId, posting.transfers.length),
      postingId: ctx.postingId,
      debit: 'pool',
      credit: 'expired',
      amount: lost,
      code: 'pack_expired',
      lotId: lot.id,
      source: 'system',
      actor: ctx.actor,
      at: ctx.now,
    });
    const purchase = state.purchases[lot.purchaseId];
    const event: FeedEvent = {
      id: eventId(ctx.postingId, posting.events.length),
      postingId: ctx.postingId,
      kind: 'pack_expired',
      at: ctx.now,
      actor: ctx.actor,
      purchaseId: lot.purchaseId,
      ...(purchase ? { purchaseTitle: words.purchase(purchase) } : {}),
      amount: lost,
      poolAfter,
      message: `${packName(lot, purchase, words)}, expired: ${words.amount(lost)} left in it lapsed.`,
    };
    posting.events.push(event);
  }
  return { posting, expired: posting.lots };
}

/**
 * Any pack due to expire, expired first, in the posting of a draw (usage, hold): so that nothing is ever
 * drawn from a pack past its expiry, even in the hour before the timer comes. Returns the state after.
 */
export function expireDuePacksFirst(state: LedgerState, ctx: PostingContext): { posting: Posting; state: LedgerState; expired: boolean } {
  const { posting, expired } = planPackExpiry(state, ctx);
  if (expired.length === 0) return { posting, state, expired: false };
  return { posting, state: applyPosting(state, posting), expired: true };
}

export interface PackWarning {
  lot: Lot;
  /** The threshold crossed: 90 or 30 days before expiry. */
  days: (typeof PACK_WARNING_DAYS)[number];
  /** Whole days left until the pack expires. */
  daysLeft: number;
  /** What is still in the pack: the amount lost if nothing more is drawn from it. */
  atRisk: Units;
}

/**
 * Packs to warn about at `now`: not yet expired, something left, expiring within 90 (or 30) days. Only
 * the nearest threshold crossed is named, so a pack first seen 20 days out gets the 30-day warning only.
 */
export function packWarnings(lots: readonly Lot[], now: string): PackWarning[] {
  const today = dayNumber(now);
  const warnings: PackWarning[] = [];
  for (const lot of lots) {
    if (lot.expiresAt === undefined || isLotExpired(lot, now) || lot.remaining <= 0) continue;
    const daysLeft = dayNumber(lot.expiresAt) - today;
    const crossed = [...PACK_WARNING_DAYS].filter((d) => daysLeft <= d).sort((a, b) => a - b)[0];
    if (crossed === undefined) continue;
    warnings.push({ lot, days: crossed, daysLeft, atRisk: lot.remaining });
  }
  return warnings.sort((a, b) => compareLotsForDraw(a.lot, b.lot));
}
