import type { FeedEvent } from '../feed/feed-event.js';
import type { Hold } from '../holds/hold-types.js';
import { isOpenHold } from '../holds/hold-types.js';
import type { Lot, Purchase } from '../purchases/purchase-types.js';
import type { LedgerState, Posting } from './ledger-state.js';
import { accountsTouched } from './ledger-state.js';
import type { Member } from './member.js';
import { isRegistered } from './member.js';
import type { Units } from './money.js';
import { heldMemberIdOf, isHeldAccount, isMemberAccount, memberIdOf } from './accounts.js';

/** How many single draws, and how many day-and-service sums of draws, the pool page shows. */
export const POOL_PAGE_DRAWS = 20;

/** A pool draw as the pool page shows it to account managers and IT. */
export interface PoolDrawLine {
  at: string;
  amount: Units;
  service: string | null;
  office: string | null;
  memberId: string | null;
  memberName: string | null;
}

/** Draws summed per day and service: what employees see, never who drew. */
export interface PoolDrawDay {
  day: string;
  service: string | null;
  amount: Units;
  count: number;
}

/**
 * What the pool page shows beside the balance, kept by the ledger's writer in the same transaction as the
 * postings that change it, so the page is one point read instead of a scan of members, lots, purchases,
 * holds and events.
 */
export interface PoolSummary {
  /** Registered members whose own credits are used up (own credits reserved by a hold still count as theirs). */
  drawingMembers: number;
  /** What open holds reserve from the pool. */
  heldFromPool: Units;
  /** Every lot, oldest first. */
  lots: Lot[];
  /** The applied purchases' words for their lots, by purchase id. */
  purchases: Record<string, Pick<Purchase, 'reason' | 'createdAt'>>;
  /** Newest first. */
  draws: PoolDrawLine[];
  /** Newest first (by each group's newest draw). */
  drawDays: PoolDrawDay[];
}

export function isDrawingMember(member: Member, own: Units, openHolds: Iterable<Hold>): boolean {
  if (!isRegistered(member)) return false;
  let ownHeld = 0;
  for (const h of openHolds) if (h.memberId === member.id && isOpenHold(h)) ownHeld += h.fromOwn;
  return own + ownHeld <= 0;
}

const drawLine = (e: FeedEvent): PoolDrawLine => ({
  at: e.at,
  amount: e.amount ?? 0,
  service: e.service ?? null,
  office: e.office ?? null,
  memberId: e.memberId ?? null,
  memberName: e.memberName ?? null,
});

/** Adds one draw, newer than every draw in the summary. */
function withDraw(summary: PoolSummary, draw: PoolDrawLine): PoolSummary {
  const day = draw.at.slice(0, 10);
  const same = summary.drawDays.find((d) => d.day === day && d.service === draw.service);
  const others = summary.drawDays.filter((d) => d !== same);
  const grouped = { day, service: draw.service, amount: (same?.amount ?? 0) + draw.amount, count: (same?.count ?? 0) + 1 };
  return { ...summary, draws: [draw, ...summary.draws].slice(0, POOL_PAGE_DRAWS), drawDays: [grouped, ...others].slice(0, POOL_PAGE_DRAWS) };
}

const sortLots = (lots: Lot[]) => lots.sort((a, b) => a.appliedAt.localeCompare(b.appliedAt) || a.id.localeCompare(b.id));

function purchaseWords(purchases: Iterable<Purchase>) {
  const words: PoolSummary['purchases'] = {};
  for (const p of purchases) if (p.state === 'applied') words[p.id] = { ...(p.reason !== undefined ? { reason: p.reason } : {}), createdAt: p.createdAt };
  return words;
}

/** The summary from the facts themselves: registered members with their own balances, open holds, lots, purchases, and pool-draw events newest first. */
export function poolSummaryOf(facts: { members: { member: Member; own: Units }[]; openHolds: Hold[]; lots: Lot[]; purchases: Purchase[]; draws: FeedEvent[] }): PoolSummary {
  let summary: PoolSummary = {
    drawingMembers: facts.members.filter((m) => isDrawingMember(m.member, m.own, facts.openHolds)).length,
    heldFromPool: facts.openHolds.reduce((sum, h) => sum + (isOpenHold(h) ? h.fromPool : 0), 0),
    lots: sortLots([...facts.lots]),
    purchases: purchaseWords(facts.purchases),
    draws: [],
    drawDays: [],
  };
  for (const e of [...facts.draws].reverse()) if (e.kind === 'pool_draw') summary = withDraw(summary, drawLine(e));
  return summary;
}

/** The members whose rows a posting writes. */
function membersOf(posting: Posting): Set<string> {
  const ids = new Set([...(posting.joined ?? []), ...posting.members].map((m) => m.id));
  for (const account of accountsTouched(posting)) {
    if (isMemberAccount(account)) ids.add(memberIdOf(account));
    else if (isHeldAccount(account)) ids.add(heldMemberIdOf(account));
  }
  return ids;
}

function drawing(state: LedgerState, memberId: string): boolean {
  const member = state.members[memberId];
  return member !== undefined && isDrawingMember(member, state.balances[`member:${memberId}`] ?? 0, Object.values(state.holds));
}

/**
 * The summary after a posting, from the states before and after it: each holds every open hold of the
 * members the posting writes (the ledger's writer loads them to decide), and the posting's events are
 * newer than every draw the summary has.
 */
export function poolSummaryAfter(summary: PoolSummary, before: LedgerState, after: LedgerState, posting: Posting): PoolSummary {
  let next = summary;
  let drawingMembers = summary.drawingMembers;
  for (const id of membersOf(posting)) drawingMembers += Number(drawing(after, id)) - Number(drawing(before, id));
  let heldFromPool = summary.heldFromPool;
  for (const hold of posting.holds) {
    const was = before.holds[hold.id];
    heldFromPool += (isOpenHold(hold) ? hold.fromPool : 0) - (was && isOpenHold(was) ? was.fromPool : 0);
  }
  if (drawingMembers !== summary.drawingMembers || heldFromPool !== summary.heldFromPool) next = { ...next, drawingMembers, heldFromPool };
  if (posting.lots.length > 0) {
    const changed = new Map(posting.lots.map((l) => [l.id, l]));
    next = { ...next, lots: sortLots([...next.lots.filter((l) => !changed.has(l.id)), ...changed.values()]) };
  }
  if (posting.purchases.length > 0) {
    const purchases = { ...next.purchases };
    for (const p of posting.purchases) delete purchases[p.id];
    next = { ...next, purchases: { ...purchases, ...purchaseWords(posting.purchases) } };
  }
  for (const e of posting.events) if (e.kind === 'pool_draw') next = withDraw(next, drawLine(e));
  return next;
}
