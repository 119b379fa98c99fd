import type { AccountId } from './accounts.js';
import { memberAccount } from './accounts.js';
import type { FeedEvent } from '../feed/feed-event.js';
import type { Hold } from '../holds/hold-types.js';
import type { Member } from './member.js';
import type { Units } from './money.js';
import type { Policy } from '../policy/policy.js';
import type { Lot, Purchase } from '../purchases/purchase-types.js';
import type { Transfer } from './transfer.js';

/** The part of the ledger a decision needs: balances, the members, lots and purchases it touches. */
export interface LedgerState {
  balances: Record<string, Units>;
  members: Record<string, Member>;
  /** Pool lots, oldest first. */
  lots: Lot[];
  purchases: Record<string, Purchase>;
  /** Holds by id: the open holds of the members a decision touches (and any hold it names). */
  holds: Record<string, Hold>;
}

/**
 * One change to the ledger, written atomically: its transfers, the records it creates or changes, the
 * feed events it emits, and claims (markers that must not exist yet, e.g. "this transfer was reversed").
 */
export interface Posting {
  id: string;
  transfers: Transfer[];
  members: Member[];
  /**
   * People seen for the first time: their member records are created (the store also indexes them by
   * email). Not a change of the audit trail's: no credit and no registration moved.
   */
  joined?: Member[];
  lots: Lot[];
  purchases: Purchase[];
  /** Holds placed or closed. */
  holds: Hold[];
  events: FeedEvent[];
  claims: string[];
  /** A new policy, when the posting changes settings. */
  policy?: Policy;
  /**
   * The store writes the transfers packed: one record for the tenant's list and one per member for their
   * history, instead of a record per transfer and per copy. An import posts hundreds of rows at a time:
   * a record each would spend the partition's throughput (about 2,000 records/s) and a transaction's 100.
   */
  packed?: true;
}

/** Everything a decision needs from the outside world, passed in: the core has no clock and no random. */
export interface PostingContext {
  postingId: string;
  now: string;
  actor: string;
  policy: Policy;
}

export function emptyLedgerState(): LedgerState {
  return { balances: {}, members: {}, lots: [], purchases: {}, holds: {} };
}

export function emptyPosting(id: string): Posting {
  return { id, transfers: [], members: [], lots: [], purchases: [], holds: [], events: [], claims: [] };
}

export function balanceOf(state: LedgerState, account: AccountId): Units {
  return state.balances[account] ?? 0;
}

export function ownBalance(state: LedgerState, memberId: string): Units {
  return balanceOf(state, memberAccount(memberId));
}

export function transferId(postingId: string, index: number): string {
  return `${postingId}.${String(index).padStart(2, '0')}`;
}

export function eventId(postingId: string, index: number): string {
  return `${postingId}.e${index}`;
}

/** The account balances after the transfers: credit adds, debit subtracts. */
export function applyTransfers(balances: Record<string, Units>, transfers: readonly Transfer[]): Record<string, Units> {
  const next = { ...balances };
  for (const t of transfers) {
    next[t.debit] = (next[t.debit] ?? 0) - t.amount;
    next[t.credit] = (next[t.credit] ?? 0) + t.amount;
  }
  return next;
}

/** The state after a posting; the store uses the same function, so what is decided is what is written. */
export function applyPosting(state: LedgerState, posting: Posting): LedgerState {
  const members = { ...state.members };
  for (const m of [...(posting.joined ?? []), ...posting.members]) members[m.id] = m;
  const purchases = { ...state.purchases };
  for (const p of posting.purchases) purchases[p.id] = p;
  const lots = state.lots.map((lot) => posting.lots.find((l) => l.id === lot.id) ?? lot);
  for (const lot of posting.lots) if (!state.lots.some((l) => l.id === lot.id)) lots.push(lot);
  const holds = { ...state.holds };
  for (const h of posting.holds) holds[h.id] = h;
  return { balances: applyTransfers(state.balances, posting.transfers), members, lots, purchases, holds };
}

/** The accounts a posting moves: the balance rows a store must update. */
export function accountsTouched(posting: Posting): AccountId[] {
  const set = new Set<AccountId>();
  for (const t of posting.transfers) {
    set.add(t.debit);
    set.add(t.credit);
  }
  return [...set];
}
