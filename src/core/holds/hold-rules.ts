/**
 * Holds (DESIGN 3.5): reserving credits before a big job, two-phase like TigerBeetle's pending transfers.
 *
 * Placing a hold of N for member M takes own credits first and then the pool, by the usual rule (3.2), and
 * moves them into M's held account `held:{M}` with `hold_placed` transfers: one from `member:{M}` for the
 * own part, one from `pool` per lot for the pool part (so the lots stay equal to the pool). The member's
 * own balance and the pool balance are therefore always what is *available*: nobody else's usage or hold
 * can take credits someone holds. Closing a hold (settled by usage, voided, expired) moves every unit back
 * where it came from with `hold_released` transfers, the pool part to the lots it came from; the usage
 * that settles a hold is then drawn by the usual rule in the same posting, so the difference is released.
 */
import { heldAccount, memberAccount } from '../ledger/accounts.js';
import type { Hold, HoldLotPart, HoldSettledBy } from './hold-types.js';
import type { HoldClosing } from './hold-events.js';
import { holdClosedEvent, holdPlacedEvent } from './hold-events.js';
import { isOpenHold } from './hold-types.js';
import type { LedgerState, Posting, PostingContext } from '../ledger/ledger-state.js';
import { applyPosting, balanceOf, emptyPosting, eventId, ownBalance, transferId } from '../ledger/ledger-state.js';
import type { Member } from '../ledger/member.js';
import { isRegistered } from '../ledger/member.js';
import type { Units } from '../ledger/money.js';
import { creditsToUnits, unitsToCredits } from '../ledger/money.js';
import type { Policy } from '../policy/policy.js';
import { formatAmount, isKnownService } from '../policy/policy.js';
import { expireDuePacksFirst } from '../ledger/packs.js';
import { drawFromLots, poolBalance, poolInsufficient } from '../ledger/pool.js';
import type { Lot } from '../purchases/purchase-types.js';
import type { Result } from '../result.js';
import { fail, ok } from '../result.js';
import type { Transfer, TransferSource } from '../ledger/transfer.js';

/** Who expires holds, in the ledger and on the idempotency markers. */
export const HOLDS_ACTOR = 'system:holds';

const DAY_MS = 86_400_000;

/** When a hold placed at `placedAt` expires: `days` (policy.holdExpiryDays) later, to the millisecond. */
export function holdExpiry(placedAt: string, days: number): string {
  return new Date(Date.parse(placedAt) + days * DAY_MS).toISOString();
}

export interface PlaceHoldInput {
  memberId: string;
  amount: Units;
  service: string;
  note?: string;
  /** `self`, or `manager` when an account manager reserves for someone. */
  source: TransferSource;
}

/** The open holds of a member in the state, oldest first. */
export function openHoldsOf(state: LedgerState, memberId: string): Hold[] {
  return Object.values(state.holds)
    .filter((h) => h.memberId === memberId && isOpenHold(h))
    .sort(oldestFirst);
}

/** Oldest placed first; ids are newest-first, so among equal times the greater id is older. */
function oldestFirst(a: { placedAt: string; id: string }, b: { placedAt: string; id: string }): number {
  return a.placedAt.localeCompare(b.placedAt) || b.id.localeCompare(a.id);
}

/** The day a hold was placed (UTC), the earliest day of usage that can settle it. */
export function holdPlacedDay(placedAt: string): string {
  return placedAt.slice(0, 10);
}

/** The usage a hold settlement is decided on: what it was for, the day it was used, its size. */
export interface UsageForHolds {
  service: string;
  /** `YYYY-MM-DD`. */
  date: string;
  amount: number;
}

/**
 * Which open holds a usage settles: only holds for its service, placed on or before the day it was used
 * (a job run before the hold was placed is not the one it reserved for), oldest first, as many as it takes
 * to cover the usage, at least one. Usage no hold matches settles none and is drawn as usual. Works on any
 * record with a service, a time and a size, so the tab can say the same before the usage is sent.
 */
export function pickHoldsToSettle<T extends { id: string; service: string; placedAt: string }>(open: readonly T[], usage: UsageForHolds, size: (hold: T) => number): T[] {
  const candidates = open.filter((h) => h.service === usage.service && holdPlacedDay(h.placedAt) <= usage.date).sort(oldestFirst);
  const chosen: T[] = [];
  let covered = 0;
  for (const hold of candidates) {
    if (chosen.length > 0 && covered >= usage.amount) break;
    chosen.push(hold);
    covered += size(hold);
  }
  return chosen;
}

/**
 * Reserves credits for a planned job: own credits first, then the pool once they would be used up; a
 * pool that cannot cover the rest refuses it (POOL_INSUFFICIENT), as for self-logged usage, and so does
 * a pool part past the person's limit on pool credits in open holds (HOLD_LIMIT_REACHED).
 */
export function placeHold(state: LedgerState, input: PlaceHoldInput, ctx: PostingContext): Result<{ posting: Posting; hold: Hold }> {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) {
    return fail('VALIDATION_FAILED', 'A hold is a positive whole number of units.', { field: 'amount' });
  }
  if (!isKnownService(ctx.policy, input.service)) {
    return fail('VALIDATION_FAILED', `Unknown service "${input.service}".`, { field: 'service', allowed: ctx.policy.services.map((s) => s.slug) });
  }
  const member = state.members[input.memberId];
  if (!member) return fail('NOT_FOUND', `No member ${input.memberId}.`);
  if (!isRegistered(member)) {
    return fail('NOT_REGISTERED', 'Only people registered under the Autodesk contract can reserve credits.', { registrationState: member.registration.state });
  }
  // Flex packs past their expiry lapse first, in the same posting: nothing is held from an expired pack.
  const expiry = expireDuePacksFirst(state, ctx);
  const placed = placeHoldOn(expiry.state, input, member, ctx);
  if (!placed.ok || !expiry.expired) return placed;
  return ok({ ...placed.value, posting: joinPostings(expiry.posting, placed.value.posting) });
}

function placeHoldOn(state: LedgerState, input: PlaceHoldInput, member: Member, ctx: PostingContext): Result<{ posting: Posting; hold: Hold }> {
  const own = ownBalance(state, member.id);
  const fromOwn = Math.min(input.amount, Math.max(own, 0));
  const fromPool = input.amount - fromOwn;
  if (fromPool > poolHoldRoom(state, member.id, ctx.policy)) return holdLimitReached(state, member.id, fromPool, ctx.policy);
  if (fromPool > 0 && fromPool > poolBalance(state)) return poolInsufficient(state, fromPool);

  const posting = emptyPosting(ctx.postingId);
  const held = heldAccount(member.id);
  const common = {
    postingId: ctx.postingId,
    memberId: member.id,
    service: input.service,
    source: input.source,
    actor: ctx.actor,
    at: ctx.now,
    holdId: ctx.postingId,
    ...(member.office ? { office: member.office } : {}),
    ...(input.note ? { note: input.note } : {}),
  };
  const transfers: Transfer[] = [];
  const poolLots: HoldLotPart[] = [];
  if (fromOwn > 0) transfers.push({ ...common, id: transferId(ctx.postingId, 0), debit: memberAccount(member.id), credit: held, amount: fromOwn, code: 'hold_placed' });
  if (fromPool > 0) {
    const { draws, uncovered } = drawFromLots(state.lots, fromPool, ctx.now);
    for (const draw of draws) {
      transfers.push({ ...common, id: transferId(ctx.postingId, transfers.length), debit: 'pool', credit: held, amount: draw.amount, code: 'hold_placed', lotId: draw.lot.id });
      poolLots.push({ lotId: draw.lot.id, amount: draw.amount });
      posting.lots.push(draw.lot);
    }
    // Pool credit outside any lot (e.g. an opening balance): held, and given back, without a lot.
    if (uncovered > 0) {
      transfers.push({ ...common, id: transferId(ctx.postingId, transfers.length), debit: 'pool', credit: held, amount: uncovered, code: 'hold_placed' });
      poolLots.push({ amount: uncovered });
    }
  }
  const hold: Hold = {
    id: ctx.postingId,
    memberId: member.id,
    amount: input.amount,
    fromOwn,
    fromPool,
    poolLots,
    service: input.service,
    ...(input.note ? { note: input.note } : {}),
    placedAt: ctx.now,
    placedBy: ctx.actor,
    expiresAt: holdExpiry(ctx.now, ctx.policy.holdExpiryDays),
    state: 'held',
  };
  posting.transfers = transfers;
  posting.members.push({ ...member, held: member.held + input.amount });
  posting.holds.push(hold);
  const events = holdPlacedEvent(hold, { member, postingId: ctx.postingId, at: ctx.now, actor: ctx.actor, poolAfter: poolBalance(state) - fromPool, policy: ctx.policy });
  posting.events = events.map((e, i) => ({ ...e, id: eventId(ctx.postingId, i) }));
  return ok({ posting, hold });
}

/**
 * Gives back what the holds reserved, each part where it came from (own credits, the pool's lots), and
 * closes them, with a feed event for each that gives the pool something back. The members and the lots the
 * holds name must be in the state: a missing one is a bug in what was loaded, not a refusal.
 */
function releaseHolds(state: LedgerState, holds: readonly Hold[], closing: HoldClosing, source: TransferSource, ctx: PostingContext, settledBy?: HoldSettledBy): Posting {
  const posting = emptyPosting(ctx.postingId);
  let pool = poolBalance(state);
  const lots = new Map<string, Lot>();
  const members = new Map<string, Member>();
  for (const hold of holds) {
    const member = members.get(hold.memberId) ?? state.members[hold.memberId];
    if (!member) throw new Error(`Releasing hold ${hold.id}: member ${hold.memberId} is not loaded.`);
    const held = heldAccount(member.id);
    const common = {
      postingId: ctx.postingId,
      memberId: member.id,
      service: hold.service,
      source,
      actor: ctx.actor,
      at: ctx.now,
      holdId: hold.id,
      ...(member.office ? { office: member.office } : {}),
    };
    const add = (t: Omit<Transfer, 'id' | keyof typeof common | 'code' | 'debit'>) =>
      posting.transfers.push({ ...common, ...t, id: transferId(ctx.postingId, posting.transfers.length), debit: held, code: 'hold_released' });
    if (hold.fromOwn > 0) add({ credit: memberAccount(member.id), amount: hold.fromOwn });
    for (const part of hold.poolLots) {
      if (part.lotId === undefined) {
        add({ credit: 'pool', amount: part.amount });
        pool += part.amount;
        continue;
      }
      const lot = lots.get(part.lotId) ?? state.lots.find((l) => l.id === part.lotId);
      if (!lot) throw new Error(`Releasing hold ${hold.id}: lot ${part.lotId} is not loaded.`);
      add({ credit: 'pool', amount: part.amount, lotId: lot.id });
      pool += part.amount;
      if (lot.expiredAt !== undefined) {
        pool -= part.amount;
        // A hold does not shield a Flex pack from expiry: held units of an expired pack lapse as they come back.
        lots.set(lot.id, { ...lot, expiredAmount: (lot.expiredAmount ?? 0) + part.amount });
        posting.transfers.push({ ...common, id: transferId(ctx.postingId, posting.transfers.length), debit: 'pool', credit: 'expired', amount: part.amount, code: 'pack_expired', lotId: lot.id, source: 'system' });
        continue;
      }
      lots.set(lot.id, { ...lot, remaining: lot.remaining + part.amount });
    }
    members.set(member.id, { ...member, held: member.held - hold.amount });
    const closed: Hold = { ...hold, state: closing, closedAt: ctx.now, closedBy: ctx.actor, closedIn: ctx.postingId, ...(settledBy ? { settledBy } : {}) };
    posting.holds.push(closed);
    const events = holdClosedEvent(closed, closing, { member, postingId: ctx.postingId, at: ctx.now, actor: ctx.actor, poolAfter: pool, policy: ctx.policy });
    posting.events.push(...events.map((e) => ({ ...e, id: eventId(ctx.postingId, posting.events.length) })));
  }
  posting.members = [...members.values()];
  posting.lots = [...lots.values()];
  return posting;
}

/**
 * Two decisions as one posting, the second decided on the state after the first (e.g. holds released,
 * then the usage drawn): transfer and event ids follow on, and a record both change is kept as the second
 * left it.
 */
export function joinPostings(first: Posting, second: Posting): Posting {
  const lastWins = <T extends { id: string }>(a: readonly T[], b: readonly T[]): T[] => {
    const byId = new Map<string, T>();
    for (const item of [...a, ...b]) byId.set(item.id, item);
    return [...byId.values()];
  };
  const policy = second.policy ?? first.policy;
  return {
    ...second,
    ...first,
    id: first.id,
    transfers: [...first.transfers, ...second.transfers.map((t, i) => ({ ...t, id: transferId(first.id, first.transfers.length + i), postingId: first.id }))],
    members: lastWins(first.members, second.members),
    lots: lastWins(first.lots, second.lots),
    purchases: lastWins(first.purchases, second.purchases),
    holds: lastWins(first.holds, second.holds),
    events: [...first.events, ...second.events.map((e, i) => ({ ...e, id: eventId(first.id, first.events.length + i), postingId: first.id }))],
    claims: [...first.claims, ...second.claims],
    ...(policy ? { policy } : {}),
  };
}

export interface HoldSettlement {
  /** The `hold_released` transfers and the closed holds; empty when the member has no open hold. */
  posting: Posting;
  /** The state after the release, to decide the usage on. */
  state: LedgerState;
  settled: Hold[];
}

/**
 * Settles a member's open holds with a usage (self-logged or imported): releases the holds the usage is
 * for (pickHoldsToSettle: its service, placed on or before the day it was used), each recording the usage
 * that settled it, so that the usage can then be drawn, by the usual rule, from the state returned.
 * planUsage does this itself; an importer that builds its own usage posting calls it first and joins the
 * two with joinPostings. Only holds in `state.holds` are seen: load the member's open holds.
 */
export function settleHoldsForUsage(
  state: LedgerState,
  usage: { memberId: string; service: string; date: string; amount: Units; source: TransferSource },
  ctx: PostingContext,
): HoldSettlement {
  const chosen = pickHoldsToSettle(openHoldsOf(state, usage.memberId), usage, (h) => h.amount);
  if (chosen.length === 0) return { posting: emptyPosting(ctx.postingId), state, settled: [] };
  const settledBy: HoldSettledBy = { service: usage.service, date: usage.date, amount: usage.amount, source: usage.source };
  const posting = releaseHolds(state, chosen, 'settled', usage.source, ctx, settledBy);
  return { posting, state: applyPosting(state, posting), settled: posting.holds };
}

/** Voids an open hold (the member, or an account manager): everything it reserved goes back. */
export function voidHold(state: LedgerState, holdId: string, source: TransferSource, ctx: PostingContext): Result<{ posting: Posting; hold: Hold }> {
  const hold = state.holds[holdId];
  if (!hold) return fail('NOT_FOUND', `No hold ${holdId}.`);
  if (!isOpenHold(hold)) {
    return fail('INVALID_TRANSITION', `This hold is already ${hold.state}; only an open hold can be voided.`, { holdId, state: hold.state });
  }
  const posting = releaseHolds(state, [hold], 'voided', source, ctx);
  return ok({ posting, hold: posting.holds[0]! });
}

/** Expires the named holds that are still open and past their expiry at `asOf` (the timer's clock). */
export function expireHolds(state: LedgerState, holdIds: readonly string[], asOf: string, ctx: PostingContext): Result<{ posting: Posting; expired: Hold[] }> {
  const due = holdIds.flatMap((id) => {
    const hold = state.holds[id];
    return hold && isOpenHold(hold) && hold.expiresAt <= asOf ? [hold] : [];
  });
  if (due.length === 0) return fail('INVALID_TRANSITION', 'None of these holds is open and past its expiry.', { holdIds: [...holdIds] });
  const posting = releaseHolds(state, due, 'expired', 'system', ctx);
  return ok({ posting, expired: posting.holds });
}

/**
 * Pool units a member may still put into open holds: the per-person limit (policy.maxPoolHeldPerPerson)
 * less what their open holds already take from the pool. The same for a hold an account manager places.
 */
export function poolHoldRoom(state: LedgerState, memberId: string, policy: Policy): Units {
  return Math.max(0, creditsToUnits(policy.maxPoolHeldPerPerson) - heldFromPool(openHoldsOf(state, memberId)));
}

function holdLimitReached(state: LedgerState, memberId: string, fromPool: Units, policy: Policy): Result<never> {
  const held = heldFromPool(openHoldsOf(state, memberId));
  const limit = creditsToUnits(policy.maxPoolHeldPerPerson);
  const amount = (units: Units) => formatAmount(policy, unitsToCredits(units));
  return fail(
    'HOLD_LIMIT_REACHED',
    `One person may hold at most ${amount(limit)} from the shared pool in open holds; ${held > 0 ? `${amount(held)} already are` : 'none are yet'} and this needs ${amount(fromPool)} from it. Use or void a hold first, or reserve less.`,
    { limit: unitsToCredits(limit), heldFromPool: unitsToCredits(held), needed: unitsToCredits(fromPool) },
  );
}

/** Units held from the pool by these holds (the open ones). */
export function heldFromPool(holds: Iterable<Hold>): Units {
  let sum = 0;
  for (const h of holds) if (isOpenHold(h)) sum += h.fromPool;
  return sum;
}

/** What a member holds, by the ledger: their held account. */
export function heldBalance(state: LedgerState, memberId: string): Units {
  return balanceOf(state, heldAccount(memberId));
}
