import { heldAccount, heldMemberIdOf, isHeldAccount, isMemberAccount, memberAccount, memberIdOf } from './accounts.js';
import type { FeedEvent } from '../feed/feed-event.js';
import type { Hold } from '../holds/hold-types.js';
import { isOpenHold } from '../holds/hold-types.js';
import { applyTransfers } from './ledger-state.js';
import type { Member } from './member.js';
import type { Units } from './money.js';
import type { Lot, Purchase } from '../purchases/purchase-types.js';
import type { Transfer } from './transfer.js';

export interface LedgerSnapshot {
  /** Stored balance rows, by account. */
  balances: Record<string, Units>;
  members: Member[];
  lots: Lot[];
  purchases: Purchase[];
  /** In the order they were written: postings oldest first, each one's transfers in order. */
  transfers: Transfer[];
  events: FeedEvent[];
  /** Every hold, open and closed (none when left out). */
  holds?: Hold[];
}

export interface Violation {
  rule: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Checks the ledger's invariants (DESIGN 3.1) over a full snapshot; an empty list means it is sound. */
export function checkInvariants(snapshot: LedgerSnapshot): Violation[] {
  const violations: Violation[] = [];
  const add = (rule: string, message: string, details?: Record<string, unknown>) =>
    violations.push(details ? { rule, message, details } : { rule, message });

  const stored = Object.values(snapshot.balances).reduce((a, b) => a + b, 0);
  if (stored !== 0) add('sum_zero', `The account balances sum to ${stored}, not zero.`, { sum: stored });

  const replayed = applyTransfers({}, snapshot.transfers);
  for (const account of new Set([...Object.keys(replayed), ...Object.keys(snapshot.balances)])) {
    const want = replayed[account] ?? 0;
    const have = snapshot.balances[account] ?? 0;
    if (want !== have) add('balance_matches_transfers', `${account} holds ${have} but its transfers add up to ${want}.`, { account, stored: have, replayed: want });
  }

  // An import that overdraws the pool raises its reconciliation alert once, when it completes.
  const negativeAlerted = snapshot.events.some((e) => e.kind === 'alert_pool_negative' || e.kind === 'alert_reconciliation');
  for (const [account, balance] of Object.entries(snapshot.balances)) {
    if (balance >= 0) continue;
    if (isMemberAccount(account as `member:${string}`)) add('no_negative_member', `${account} is below zero (${balance}).`, { account, balance });
    if (isHeldAccount(account as `held:${string}`)) add('no_negative_held', `${account} is below zero (${balance}).`, { account, balance });
    if (account === 'pool' && !negativeAlerted) add('no_negative_pool', `The pool is below zero (${balance}) with no alert raised.`, { balance });
  }

  for (const t of snapshot.transfers) {
    if (!Number.isSafeInteger(t.amount) || t.amount <= 0) add('positive_amount', `Transfer ${t.id} moves ${t.amount}.`, { transferId: t.id });
    if (t.debit === t.credit) add('distinct_accounts', `Transfer ${t.id} debits and credits the same account.`, { transferId: t.id });
  }

  const grants = new Map<string, number>();
  for (const t of snapshot.transfers) if (t.code === 'allotment_granted' && t.memberId) grants.set(t.memberId, (grants.get(t.memberId) ?? 0) + 1);
  for (const [memberId, count] of grants) if (count > 1) add('allotment_once', `Member ${memberId} was granted the allotment ${count} times.`, { memberId, count });
  for (const m of snapshot.members) {
    if (grants.has(m.id) !== Boolean(m.allotmentGrantedAt)) {
      add('allotment_recorded', `Member ${m.id}'s allotment flag disagrees with the ledger.`, { memberId: m.id });
    }
    if (!(memberAccount(m.id) in snapshot.balances) && grants.has(m.id)) add('balance_row', `Member ${m.id} has no balance row.`);
  }

  const applied = new Map<string, number>();
  for (const t of snapshot.transfers) if (t.code === 'purchase_applied' && t.lotId) applied.set(t.lotId, (applied.get(t.lotId) ?? 0) + 1);
  for (const p of snapshot.purchases) {
    const count = applied.get(p.id) ?? 0;
    const expected = p.state === 'applied' ? 1 : 0;
    if (count !== expected) add('purchase_applied_once', `Purchase ${p.id} (${p.state}) was applied ${count} times.`, { purchaseId: p.id, count });
    if (p.state === 'applied' && !snapshot.lots.some((l) => l.purchaseId === p.id)) add('lot_exists', `Applied purchase ${p.id} has no lot.`);
  }

  const lotSum = snapshot.lots.reduce((a, l) => a + l.remaining, 0);
  const lotFree = snapshot.transfers.filter((t) => !t.lotId && (t.debit === 'pool' || t.credit === 'pool'));
  const unlotted = lotFree.reduce((a, t) => a + (t.credit === 'pool' ? t.amount : -t.amount), 0);
  if (lotSum + unlotted !== (snapshot.balances['pool'] ?? 0)) {
    add('lots_match_pool', `The lots hold ${lotSum} but the pool balance is ${snapshot.balances['pool'] ?? 0}.`, { lots: lotSum, pool: snapshot.balances['pool'] ?? 0 });
  }
  for (const lot of snapshot.lots) {
    if (lot.remaining < 0 || lot.remaining > lot.units) add('lot_bounds', `Lot ${lot.id} has ${lot.remaining} of ${lot.units}.`, { lotId: lot.id });
  }
  violations.push(...checkPacks(snapshot));

  const byId = new Map(snapshot.transfers.map((t) => [t.id, t]));
  const reversed = new Map<string, number>();
  for (const t of snapshot.transfers) {
    if (t.code !== 'reversal') continue;
    const original = t.reverses ? byId.get(t.reverses) : undefined;
    if (!original) {
      add('reversal_target', `Reversal ${t.id} points at no transfer.`, { transferId: t.id });
      continue;
    }
    reversed.set(original.id, (reversed.get(original.id) ?? 0) + 1);
    if (original.amount !== t.amount || original.debit !== t.credit || original.credit !== t.debit) {
      add('reversal_mirror', `Reversal ${t.id} does not mirror ${original.id}.`, { transferId: t.id });
    }
  }
  for (const [id, count] of reversed) if (count > 1) add('reversed_once', `Transfer ${id} was reversed ${count} times.`, { transferId: id });

  const drawn = new Map<string, number>();
  for (const t of snapshot.transfers) {
    if (!t.memberId) continue;
    const reversesDraw = t.code === 'reversal' && t.reverses !== undefined && byId.get(t.reverses)?.code === 'usage_pool';
    if (t.code === 'usage_pool') drawn.set(t.memberId, (drawn.get(t.memberId) ?? 0) + t.amount);
    if (reversesDraw) drawn.set(t.memberId, (drawn.get(t.memberId) ?? 0) - t.amount);
  }
  for (const m of snapshot.members) {
    const want = drawn.get(m.id) ?? 0;
    if ((m.poolDrawn ?? 0) !== want) add('pool_drawn_matches', `Member ${m.id} shows ${m.poolDrawn ?? 0} drawn from the pool; the ledger says ${want}.`, { memberId: m.id });
  }

  violations.push(...checkHolds(snapshot));
  violations.push(...checkOwnCreditsFirst(snapshot.transfers));
  return violations;
}

/**
 * Own credits first (DESIGN 3.2): nobody draws on the pool (`usage_pool`) while they have own credits, free
 * or locked in their open holds. Replays the transfers in the order they were written, tracking each
 * member's own balance and the own credits their holds lock (`hold_placed` member → held, `hold_released`
 * held → member). One violation per posting and member.
 */
function checkOwnCreditsFirst(transfers: readonly Transfer[]): Violation[] {
  const violations: Violation[] = [];
  const free = new Map<string, number>();
  const heldOwn = new Map<string, number>();
  const move = (map: Map<string, number>, memberId: string, amount: number) => map.set(memberId, (map.get(memberId) ?? 0) + amount);
  const flagged = new Set<string>();
  for (const t of transfers) {
    if (t.code === 'usage_pool' && t.memberId) {
      const own = Math.max(free.get(t.memberId) ?? 0, 0);
      const held = Math.max(heldOwn.get(t.memberId) ?? 0, 0);
      const key = `${t.postingId}|${t.memberId}`;
      if (own + held > 0 && !flagged.has(key)) {
        flagged.add(key);
        violations.push({
          rule: 'own_credits_first',
          message: `Member ${t.memberId} drew on the pool in ${t.postingId} with ${own} own units free and ${held} held.`,
          details: { memberId: t.memberId, postingId: t.postingId, transferId: t.id, ownFree: own, ownHeld: held },
        });
      }
    }
    if (isMemberAccount(t.debit)) move(free, memberIdOf(t.debit), -t.amount);
    if (isMemberAccount(t.credit)) move(free, memberIdOf(t.credit), t.amount);
    if (t.code === 'hold_placed' && isMemberAccount(t.debit) && isHeldAccount(t.credit)) move(heldOwn, heldMemberIdOf(t.credit), t.amount);
    if (t.code === 'hold_released' && isHeldAccount(t.debit) && isMemberAccount(t.credit)) move(heldOwn, heldMemberIdOf(t.debit), -t.amount);
  }
  return violations;
}

/**
 * Flex packs (DESIGN 3.1): an expired pack is empty, what it lost is what its `pack_expired` transfers
 * moved, only an expired pack loses anything, and nothing is drawn from it once it expired.
 */
function checkPacks(snapshot: LedgerSnapshot): Violation[] {
  const violations: Violation[] = [];
  const add = (rule: string, message: string, details: Record<string, unknown>) => violations.push({ rule, message, details });
  const lost = new Map<string, number>();
  for (const t of snapshot.transfers) {
    if (t.code !== 'pack_expired') continue;
    if (t.debit !== 'pool' || t.credit !== 'expired' || !t.lotId) add('pack_expired_shape', `Transfer ${t.id} (pack_expired) is not pool → expired for a pack.`, { transferId: t.id });
    else lost.set(t.lotId, (lost.get(t.lotId) ?? 0) + t.amount);
  }
  const lots = new Map(snapshot.lots.map((l) => [l.id, l]));
  for (const [lotId, amount] of lost) {
    const lot = lots.get(lotId);
    if (!lot?.expiredAt) add('pack_expired_once', `Pack ${lotId} lost ${amount} but is not expired.`, { lotId });
    else if ((lot.expiredAmount ?? 0) !== amount) add('pack_expired_amount', `Pack ${lotId} records ${lot.expiredAmount ?? 0} lost; its transfers moved ${amount}.`, { lotId });
  }
  for (const lot of snapshot.lots) {
    if (lot.expiredAt === undefined) continue;
    if (lot.remaining !== 0) add('pack_expired_empty', `Pack ${lot.id} expired with ${lot.remaining} still in it.`, { lotId: lot.id });
    if (!lost.has(lot.id) && (lot.expiredAmount ?? 0) !== 0) add('pack_expired_amount', `Pack ${lot.id} records ${lot.expiredAmount} lost with no transfer.`, { lotId: lot.id });
  }
  for (const t of snapshot.transfers) {
    if (t.debit !== 'pool' || !t.lotId || t.code === 'pack_expired' || t.code === 'reversal') continue;
    const expiredAt = lots.get(t.lotId)?.expiredAt;
    if (expiredAt !== undefined && t.at >= expiredAt) add('no_draw_after_expiry', `Transfer ${t.id} drew from pack ${t.lotId} after it expired.`, { transferId: t.id, lotId: t.lotId });
  }
  return violations;
}

/** Placed and released units of a hold by account and lot: `member`, `pool|{lotId}` or `pool|`. */
function partsKey(t: Transfer): string {
  const other = t.code === 'hold_placed' ? t.debit : t.credit;
  return other === 'pool' ? `pool|${t.lotId ?? ''}` : isMemberAccount(other) ? 'member' : `other|${other}`;
}

function expectedParts(hold: Hold): Map<string, number> {
  const parts = new Map<string, number>();
  if (hold.fromOwn > 0) parts.set('member', hold.fromOwn);
  for (const p of hold.poolLots) parts.set(`pool|${p.lotId ?? ''}`, (parts.get(`pool|${p.lotId ?? ''}`) ?? 0) + p.amount);
  return parts;
}

const sameParts = (a: Map<string, number>, b: Map<string, number>) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

/**
 * Holds (DESIGN 3.5): every held account equals the open holds of its member (and the member's `held`),
 * a hold's parts add up, and its transfers hold exactly its parts while it is open and, once closed, gave
 * back everything they placed.
 */
function checkHolds(snapshot: LedgerSnapshot): Violation[] {
  const violations: Violation[] = [];
  const add = (rule: string, message: string, details: Record<string, unknown>) => violations.push({ rule, message, details });
  const holds = snapshot.holds ?? [];

  const openByMember = new Map<string, number>();
  for (const h of holds) if (isOpenHold(h)) openByMember.set(h.memberId, (openByMember.get(h.memberId) ?? 0) + h.amount);
  const heldAccounts = new Set<string>([...openByMember.keys()].map(heldAccount));
  for (const account of Object.keys(snapshot.balances)) if (isHeldAccount(account as `held:${string}`)) heldAccounts.add(account);
  for (const account of heldAccounts) {
    const memberId = account.slice('held:'.length);
    const have = snapshot.balances[account] ?? 0;
    const want = openByMember.get(memberId) ?? 0;
    if (have !== want) add('held_matches_holds', `${account} holds ${have} but the open holds of ${memberId} add up to ${want}.`, { account, held: have, open: want });
  }
  for (const m of snapshot.members) {
    const have = snapshot.balances[heldAccount(m.id)] ?? 0;
    if ((m.held ?? 0) !== have) add('member_held_matches', `Member ${m.id} shows ${m.held} held; the held account has ${have}.`, { memberId: m.id });
  }

  const placed = new Map<string, Map<string, number>>();
  const released = new Map<string, Map<string, number>>();
  for (const t of snapshot.transfers) {
    if (t.code !== 'hold_placed' && t.code !== 'hold_released') continue;
    if (!t.holdId) {
      add('hold_transfer_names_hold', `Transfer ${t.id} (${t.code}) names no hold.`, { transferId: t.id });
      continue;
    }
    const byHold = t.code === 'hold_placed' ? placed : released;
    const parts = byHold.get(t.holdId) ?? new Map<string, number>();
    parts.set(partsKey(t), (parts.get(partsKey(t)) ?? 0) + t.amount);
    byHold.set(t.holdId, parts);
  }
  const ids = new Set(holds.map((h) => h.id));
  for (const id of new Set([...placed.keys(), ...released.keys()])) {
    if (!ids.has(id)) add('hold_exists', `Transfers name hold ${id}, which does not exist.`, { holdId: id });
  }
  for (const h of holds) {
    const poolSum = h.poolLots.reduce((a, p) => a + p.amount, 0);
    const sound = Number.isSafeInteger(h.amount) && h.amount > 0 && h.fromOwn >= 0 && h.fromPool >= 0 && h.fromOwn + h.fromPool === h.amount && poolSum === h.fromPool && h.poolLots.every((p) => p.amount > 0);
    if (!sound) add('hold_parts', `Hold ${h.id} of ${h.amount} does not add up (own ${h.fromOwn}, pool ${h.fromPool} in lots ${poolSum}).`, { holdId: h.id });
    // A usage may take the own part of an open hold and re-back it from the pool (own credits first): what
    // its transfers placed less what they released is what it holds while open, and nothing once closed.
    const net = new Map(placed.get(h.id) ?? []);
    for (const [key, amount] of released.get(h.id) ?? []) net.set(key, (net.get(key) ?? 0) - amount);
    for (const [key, amount] of net) if (amount === 0) net.delete(key);
    if ([...net.values()].some((amount) => amount < 0)) add('hold_released_matches', `Hold ${h.id} (${h.state}): more was released than placed.`, { holdId: h.id });
    else if (!sameParts(net, isOpenHold(h) ? expectedParts(h) : new Map<string, number>())) {
      add(isOpenHold(h) && !released.has(h.id) ? 'hold_placed_matches' : 'hold_released_matches', `Hold ${h.id} (${h.state}): what was placed less what was released is not ${isOpenHold(h) ? 'its parts' : 'nothing'}.`, { holdId: h.id });
    }
    if (!isOpenHold(h) && (!h.closedAt || !h.closedBy)) add('hold_closed_stamped', `Hold ${h.id} is ${h.state} without who and when.`, { holdId: h.id });
  }
  return violations;
}
