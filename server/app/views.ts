import type { FeedEvent, Words } from '../../src/core/feed/index.js';
import type { Hold } from '../../src/core/holds/index.js';
import type { Member, Transfer, Units } from '../../src/core/ledger/index.js';
import type { Policy } from '../../src/core/policy/index.js';
import type { Lot, Purchase } from '../../src/core/purchases/index.js';
import { anonymousFeedEvent } from '../../src/core/feed/index.js';
import { POOL_OPENING_LOT, unitsToCredits } from '../../src/core/ledger/index.js';
import { isStuck } from '../../src/core/registration/index.js';
import type { HoldView, MemberRecord, TransferView } from '../../src/contract/index.js';

/** Maps core records to the contract's views: amounts in credits, absent fields as null. */
export function memberRecord(member: Member, own: Units, policy: Policy, now: Date): MemberRecord {
  return {
    member: { id: member.id, email: member.email, displayName: member.displayName, office: member.office ?? null },
    registration: {
      state: member.registration.state,
      since: member.registration.since,
      requestedBy: member.registration.requestedBy ?? null,
      reason: member.registration.reason ?? null,
      stuck: isStuck(member, now.toISOString(), policy),
      ...(member.registration.helpAskedAt ? { helpAskedAt: member.registration.helpAskedAt } : {}),
      history: member.registration.history,
    },
    credits: { own: unitsToCredits(own), held: unitsToCredits(member.held), poolDrawn: unitsToCredits(member.poolDrawn ?? 0) },
    allotmentGrantedAt: member.allotmentGrantedAt ?? null,
  };
}

export function transferView(t: Transfer): TransferView {
  return {
    id: t.id,
    postingId: t.postingId,
    code: t.code,
    debit: t.debit,
    credit: t.credit,
    credits: unitsToCredits(t.amount),
    memberId: t.memberId ?? null,
    lotId: t.lotId ?? null,
    service: t.service ?? null,
    office: t.office ?? null,
    project: t.project ?? null,
    note: t.note ?? null,
    date: t.date ?? null,
    source: t.source,
    actor: t.actor,
    at: t.at,
    reverses: t.reverses ?? null,
    reason: t.reason ?? null,
  };
}

/** A pool lot; `withPrice` is false for employees: prices are for account managers and IT. */
/**
 * A lot as the pool page shows it, named by where it came from: the purchase's reason as its title is for
 * those who read purchases (with the price), the kind and the day asked for are for everyone.
 */
export function lotView(lot: Lot, withPrice: boolean, purchase?: Pick<Purchase, 'reason' | 'createdAt'>) {
  return {
    id: lot.id,
    purchaseId: lot.purchaseId,
    source: lot.purchaseId === POOL_OPENING_LOT ? ('opening_balance' as const) : ('purchase' as const),
    ...(withPrice ? { title: purchase?.reason ?? null } : {}),
    requestedAt: purchase?.createdAt ?? null,
    appliedAt: lot.appliedAt,
    credits: unitsToCredits(lot.units),
    remaining: unitsToCredits(lot.remaining),
    ...(withPrice ? { price: lot.price ?? null, currency: lot.currency ?? null } : {}),
    expiresAt: lot.expiresAt ?? null,
    expiredAt: lot.expiredAt ?? null,
    expired: unitsToCredits(lot.expiredAmount ?? 0),
  };
}

export function holdView(h: Hold): HoldView {
  return {
    id: h.id,
    memberId: h.memberId,
    credits: unitsToCredits(h.amount),
    fromOwn: unitsToCredits(h.fromOwn),
    fromPool: unitsToCredits(h.fromPool),
    service: h.service,
    note: h.note ?? null,
    placedAt: h.placedAt,
    placedBy: h.placedBy,
    expiresAt: h.expiresAt,
    state: h.state,
    closedAt: h.closedAt ?? null,
    closedBy: h.closedBy ?? null,
    closedIn: h.closedIn ?? null,
    settledBy: h.settledBy
      ? { service: h.settledBy.service, date: h.settledBy.date, credits: unitsToCredits(h.settledBy.amount), source: h.settledBy.source.startsWith('import:') ? 'import' : h.settledBy.source === 'manager' ? 'manager' : 'self' }
      : null,
  };
}

export function purchaseView(p: Purchase) {
  return {
    id: p.id,
    blocks: p.blocks,
    credits: unitsToCredits(p.units),
    state: p.state,
    reason: p.reason ?? null,
    quoteNumber: p.quoteNumber ?? null,
    price: p.price ?? null,
    currency: p.currency ?? null,
    poNumber: p.poNumber ?? null,
    requestedBy: p.requestedBy,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    // Copied as plain objects: the contract's steps may carry fields a later step kind adds.
    steps: p.steps.map((step) => ({ ...step })),
  };
}

/**
 * A feed item; `withNames` is false for employees looking at someone else's event, who get the kind's
 * anonymous form (src/core/feed/feed-anonymous.ts) in the firm's `words` and no names, ids or actor.
 */
export function feedItem(e: FeedEvent, withNames: boolean, words: Words) {
  const shown = withNames ? { message: e.message, amount: e.amount ?? null, service: e.service ?? null } : anonymousFeedEvent(e, words);
  return {
    id: e.id,
    kind: e.kind,
    at: e.at,
    message: shown.message,
    credits: shown.amount === null ? null : unitsToCredits(shown.amount),
    poolAfter: unitsToCredits(e.poolAfter),
    memberId: withNames ? (e.memberId ?? null) : null,
    memberName: withNames ? (e.memberName ?? null) : null,
    office: withNames ? (e.office ?? null) : null,
    service: shown.service,
    purchaseId: withNames ? (e.purchaseId ?? null) : null,
    actor: withNames ? e.actor : null,
  };
}
