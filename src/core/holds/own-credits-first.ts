/**
 * Own credits first, held ones included (DESIGN 3.2, 3.5). Own credits a person has locked in an open hold
 * are still their own: a usage that would otherwise draw on the pool takes them first. The hold they come
 * from keeps its reservation, re-backed from the pool, so a hold placed for a later job still covers it.
 */
import { heldAccount, memberAccount } from '../ledger/accounts.js';
import type { Hold, HoldLotPart } from './hold-types.js';
import { holdRebackedEvent } from './hold-events.js';
import { holdPlacedDay, openHoldsOf, poolHoldRoom } from './hold-rules.js';
import type { LedgerState, Posting, PostingContext } from '../ledger/ledger-state.js';
import { applyPosting, emptyPosting, eventId, ownBalance, transferId } from '../ledger/ledger-state.js';
import type { Units } from '../ledger/money.js';
import { drawFromLots, poolBalance } from '../ledger/pool.js';
import type { Lot } from '../purchases/purchase-types.js';
import type { Transfer, TransferSource } from '../ledger/transfer.js';

export interface HeldOwnRelease {
  /** `hold_released` (own part, held → member) and `hold_placed` (re-backing, pool → held) transfers, the holds changed. */
  posting: Posting;
  /** The state after it, to draw the usage on. */
  state: LedgerState;
  /** Holds the usage used up entirely (nothing left to re-back them with): closed as settled. */
  settled: Hold[];
}

/**
 * Before a usage of `amount` is drawn (own credits, then the pool), frees the own credits the member's open
 * holds lock, as far as the usage would otherwise take from the pool, oldest hold first. Each hold gives
 * up that part of its own credits (`hold_released` to the member) and is re-backed from the pool by lot
 * (`hold_placed`) as far as the pool covers, after what the usage itself still needs from it, and as far as
 * the per-person limit on pool credits in holds allows; the hold shrinks by the rest. Call it on the state
 * after the holds the usage settles were released; join its posting before the usage's.
 */
export function takeHeldOwnCredits(
  state: LedgerState,
  usage: { memberId: string; service: string; date: string; amount: Units; source: TransferSource },
  ctx: PostingContext,
): HeldOwnRelease {
  const wanted = usage.amount - Math.min(usage.amount, Math.max(ownBalance(state, usage.memberId), 0));
  const holds = openHoldsOf(state, usage.memberId).filter((h) => h.fromOwn > 0);
  if (wanted <= 0 || holds.length === 0) return { posting: emptyPosting(ctx.postingId), state, settled: [] };
  const member = state.members[usage.memberId];
  if (!member) throw new Error(`Freeing held own credits: member ${usage.memberId} is not loaded.`);

  const freed = Math.min(wanted, holds.reduce((sum, h) => sum + h.fromOwn, 0));
  // The usage's own pool draw comes first; the holds are re-backed from what it leaves.
  let spare = Math.min(Math.max(poolBalance(state) - (wanted - freed), 0), poolHoldRoom(state, member.id, ctx.policy));
  let left = freed;
  let shrunk = 0;
  let rebacked = 0;
  let lots: readonly Lot[] = state.lots;
  const changedLots = new Map<string, Lot>();
  const posting = emptyPosting(ctx.postingId);
  const settled: Hold[] = [];
  const held = heldAccount(member.id);

  for (const hold of holds) {
    if (left === 0) break;
    const take = Math.min(hold.fromOwn, left);
    const reback = Math.min(take, spare);
    left -= take;
    spare -= reback;
    shrunk += take - reback;
    const common = {
      postingId: ctx.postingId,
      memberId: member.id,
      service: hold.service,
      source: usage.source,
      actor: ctx.actor,
      at: ctx.now,
      holdId: hold.id,
      ...(member.office ? { office: member.office } : {}),
    };
    const add = (t: Pick<Transfer, 'debit' | 'credit' | 'amount' | 'code'> & { lotId?: string }) =>
      posting.transfers.push({ ...common, ...t, id: transferId(ctx.postingId, posting.transfers.length) });
    add({ debit: held, credit: memberAccount(member.id), amount: take, code: 'hold_released' });

    const poolLots = hold.poolLots.map((p) => ({ ...p }));
    const addPart = (amount: Units, lotId?: string) => {
      const same = poolLots.find((p) => p.lotId === lotId);
      if (same) same.amount += amount;
      else poolLots.push(lotId === undefined ? { amount } : ({ lotId, amount } satisfies HoldLotPart));
    };
    if (reback > 0) {
      const { draws, uncovered } = drawFromLots(lots, reback, ctx.now);
      for (const draw of draws) {
        add({ debit: 'pool', credit: held, amount: draw.amount, code: 'hold_placed', lotId: draw.lot.id });
        addPart(draw.amount, draw.lot.id);
        changedLots.set(draw.lot.id, draw.lot);
      }
      lots = lots.map((l) => changedLots.get(l.id) ?? l);
      // Pool credit outside any lot (an opening balance), as placeHold holds it.
      if (uncovered > 0) {
        add({ debit: 'pool', credit: held, amount: uncovered, code: 'hold_placed' });
        addPart(uncovered);
      }
    }
    const amount = hold.amount - take + reback;
    if (amount === 0) {
      // All it held went to the usage: it is settled by it, as a hold the usage was for would be, and says by
      // what. A usage dated before the hold existed settles nothing: it leaves the hold nothing to reserve, voided.
      const settledBy = { service: usage.service, date: usage.date, amount: usage.amount, source: usage.source };
      const closing = { closedAt: ctx.now, closedBy: ctx.actor, closedIn: ctx.postingId };
      const closed: Hold = holdPlacedDay(hold.placedAt) <= usage.date ? { ...hold, state: 'settled', ...closing, settledBy } : { ...hold, state: 'voided', ...closing };
      posting.holds.push(closed);
      if (closed.state === 'settled') settled.push(closed);
      continue;
    }
    const kept: Hold = { ...hold, amount, fromOwn: hold.fromOwn - take, fromPool: hold.fromPool + reback, poolLots };
    posting.holds.push(kept);
    if (reback > 0) {
      rebacked += reback;
      const event = holdRebackedEvent(kept, reback, usage.service, { member, postingId: ctx.postingId, at: ctx.now, actor: ctx.actor, poolAfter: poolBalance(state) - rebacked, policy: ctx.policy });
      posting.events.push({ ...event, id: eventId(ctx.postingId, posting.events.length) });
    }
  }
  posting.lots = [...changedLots.values()];
  posting.members.push({ ...member, held: member.held - shrunk });
  return { posting, state: applyPosting(state, posting), settled };
}
