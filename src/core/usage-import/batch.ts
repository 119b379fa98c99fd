import type { AccountId } from '../ledger/accounts.js';
import { isMemberAccount, memberAccount } from '../ledger/accounts.js';
import type { FeedEvent } from '../feed/feed-event.js';
import type { LedgerState, Posting, PostingContext } from '../ledger/ledger-state.js';
import { emptyLedgerState, emptyPosting, eventId, transferId } from '../ledger/ledger-state.js';
import type { Member } from '../ledger/member.js';
import { isRegistered } from '../ledger/member.js';
import type { Units } from '../ledger/money.js';
import { dayNumber } from '../policy/policy.js';
import { drawFromLots } from '../ledger/pool.js';
import type { Lot } from '../purchases/purchase-types.js';
import type { Result } from '../result.js';
import { fail, ok } from '../result.js';
import { reverseTransfer } from '../ledger/reversal.js';
import type { Hold } from '../holds/hold-types.js';
import { heldAccount } from '../ledger/accounts.js';
import { takeHeldOwnCredits } from '../holds/own-credits-first.js';
import { settleHoldsForUsage } from '../holds/hold-rules.js';
import type { Transfer, TransferSource } from '../ledger/transfer.js';
import type { ImportBudget, ImportRowToPost, ProvisionalUsage } from './types.js';

export interface ImportBatchInput {
  importId: string;
  /** In posting order: the caller orders them member by member, by date. */
  rows: ImportRowToPost[];
  /** Self-logged usage not yet confirmed, of the members these rows are for. */
  provisional: ProvisionalUsage[];
  /** A provisional entry settles a row of the same member and service at most this many days apart. */
  settleWindowDays: number;
  budget: ImportBudget;
}

export interface ImportBatchOutcome {
  posting: Posting;
  /** Rows posted, from the start of `rows`: the caller sends the rest in the next batch. */
  rowsTaken: number;
  /** The provisional entries reversed, and the row each was settled by. */
  settled: { rowId: string; provisionalPostingId: string }[];
  fromOwn: Units;
  fromPool: Units;
  /** Pool use no lot covered: recorded anyway (Autodesk charged it), and it takes the pool below zero. */
  uncovered: Units;
  /** Members with rows posted who are not registered under the contract: Autodesk charged them all the same. */
  notRegistered: string[];
}

/**
 * The records a posting costs the store, to fit a transaction: one per transfer (one for them all when the
 * posting is packed), two per member (the balance row and the bundle of their copies of the transfers),
 * one per lot, claim and system account, two per feed event (the event and its outbox entry).
 */
export function importPostingRecords(posting: Posting): number {
  const members = new Set<string>();
  const system = new Set<AccountId>();
  for (const t of posting.transfers) {
    if (t.memberId) members.add(t.memberId);
    for (const account of [t.debit, t.credit]) {
      if (isMemberAccount(account)) members.add(account.slice('member:'.length));
      else system.add(account);
    }
  }
  for (const m of posting.members) members.add(m.id);
  const transferRecords = posting.packed ? Math.min(posting.transfers.length, 1) : posting.transfers.length;
  return transferRecords + 2 * members.size + new Set(posting.lots.map((l) => l.id)).size + posting.claims.length + system.size + posting.holds.length + 2 * posting.events.length;
}

/** The ledger as the batch has changed it so far: the state underneath, with the batch's changes on top. */
class Working {
  readonly balances = new Map<string, Units>();
  readonly members = new Map<string, Member>();
  readonly holds = new Map<string, Hold>();
  lots: Lot[];
  constructor(readonly state: LedgerState) {
    this.lots = state.lots;
  }
  balance(account: string): Units {
    return this.balances.get(account) ?? this.state.balances[account] ?? 0;
  }
  member(id: string): Member | undefined {
    return this.members.get(id) ?? this.state.members[id];
  }
  /** The member's holds as the batch has left them. */
  holdsOf(memberId: string): Record<string, Hold> {
    const holds: Record<string, Hold> = {};
    for (const hold of Object.values(this.state.holds)) if (hold.memberId === memberId) holds[hold.id] = this.holds.get(hold.id) ?? hold;
    return holds;
  }
}

/** One row's share of the posting, decided before it is taken so that a row that does not fit changes nothing. */
interface RowPlan {
  /** Numbered when the row is taken. */
  transfers: Omit<Transfer, 'id'>[];
  lots: Lot[];
  /** Holds the row settled (closed), and the feed events of those that give the pool something back. */
  holds: Hold[];
  events: Omit<FeedEvent, 'id'>[];
  member: Member;
  memberChanged: boolean;
  claims: string[];
  fromOwn: Units;
  fromPool: Units;
  uncovered: Units;
}

/**
 * Posts imported actuals (DESIGN 3.4), as many rows as the record budget allows, in one posting. Each row
 * takes the member's own credits first, then the pool oldest lot first; what no lot covers is recorded
 * against the pool anyway. Before a row is posted, an unconfirmed self-logged usage of the same member and
 * service within the window is reversed in the same posting, so the usage is counted once.
 */
export function planImportBatch(state: LedgerState, input: ImportBatchInput, ctx: PostingContext): Result<ImportBatchOutcome> {
  if (input.rows.length === 0) return fail('VALIDATION_FAILED', 'An import batch needs at least one row.');
  const source: TransferSource = `import:${input.importId}`;
  const work = new Working(state);
  const candidates = provisionalIndex(input.provisional);
  const used = new Set<string>();

  const posting: Posting = { ...emptyPosting(ctx.postingId), packed: true };
  const counted: Counted = { members: new Set<string>(), lots: new Set<string>(), system: new Set<string>(), records: 0, chars: 0 };
  const changedMembers = new Map<string, Member>();
  const changedLots = new Map<string, Lot>();
  const changedHolds = new Map<string, Hold>();
  const outcome = { settled: [] as ImportBatchOutcome['settled'], fromOwn: 0, fromPool: 0, uncovered: 0, notRegistered: [] as string[] };
  let rowsTaken = 0;

  for (const row of input.rows) {
    if (!Number.isSafeInteger(row.amount) || row.amount <= 0) return fail('VALIDATION_FAILED', `Row ${row.rowId}: an amount is a positive whole number of units.`, { rowId: row.rowId });
    if (!Number.isFinite(dayNumber(row.date))) return fail('VALIDATION_FAILED', `Row ${row.rowId}: ${row.date} is not a date.`, { rowId: row.rowId });
    const member = work.member(row.memberId);
    if (!member) return fail('NOT_FOUND', `No member ${row.memberId}.`, { memberId: row.memberId, rowId: row.rowId });

    const match = closestProvisional(candidates.get(keyOf(row.memberId, row.service)) ?? [], row, used, input.settleWindowDays);
    const planned = planRow(work, member, row, match, source, ctx);
    if (!planned.ok) return planned;
    const plan = planned.value;

    // Numbered in the posting when taken; the row's identity goes with each of its transfers.
    const numbered = plan.transfers.map((t, i) => ({ ...t, id: transferId(ctx.postingId, posting.transfers.length + i), importRowId: row.rowId }));
    const added = addedRecords(counted, plan, numbered);
    if (counted.records + added.records > input.budget.max || counted.chars + added.chars > input.budget.chars) {
      if (rowsTaken === 0) {
        return fail('VALIDATION_FAILED', `One import row needs ${added.records} records and ${added.chars} characters but the budget is ${input.budget.max} and ${input.budget.chars}.`, {
          needed: added.records,
          max: input.budget.max,
          chars: added.chars,
          rowId: row.rowId,
        });
      }
      break;
    }

    // Take the row: its changes become the working state the next row sees.
    counted.records += added.records;
    counted.chars += added.chars;
    for (const m of added.members) counted.members.add(m);
    for (const l of added.lots) counted.lots.add(l);
    for (const s of added.system) counted.system.add(s);
    for (const t of plan.transfers) {
      work.balances.set(t.debit, work.balance(t.debit) - t.amount);
      work.balances.set(t.credit, work.balance(t.credit) + t.amount);
    }
    for (const lot of plan.lots) changedLots.set(lot.id, lot);
    for (const hold of plan.holds) {
      work.holds.set(hold.id, hold);
      changedHolds.set(hold.id, hold);
    }
    if (plan.lots.length > 0) work.lots = work.lots.map((lot) => changedLots.get(lot.id) ?? lot);
    work.members.set(member.id, plan.member);
    if (plan.memberChanged) changedMembers.set(member.id, plan.member);
    posting.transfers.push(...numbered);
    posting.events.push(...plan.events.map((e, i) => ({ ...e, id: eventId(ctx.postingId, posting.events.length + i) })));
    posting.claims.push(...plan.claims);
    if (match) {
      used.add(match.postingId);
      outcome.settled.push({ rowId: row.rowId, provisionalPostingId: match.postingId });
    }
    outcome.fromOwn += plan.fromOwn;
    outcome.fromPool += plan.fromPool;
    outcome.uncovered += plan.uncovered;
    if (!isRegistered(member) && !outcome.notRegistered.includes(member.id)) outcome.notRegistered.push(member.id);
    rowsTaken++;
  }

  posting.members = [...changedMembers.values()];
  posting.lots = [...changedLots.values()];
  posting.holds = [...changedHolds.values()];
  return ok({ posting, rowsTaken, ...outcome });
}

function planRow(work: Working, member: Member, row: ImportRowToPost, match: ProvisionalUsage | null, source: TransferSource, ctx: PostingContext): Result<RowPlan> {
  const account = memberAccount(member.id);
  const plan: RowPlan = { transfers: [], lots: [], holds: [], events: [], member, memberChanged: false, claims: [], fromOwn: 0, fromPool: 0, uncovered: 0 };
  let lots = work.lots;
  let own = work.balance(account);
  let pool = work.balance('pool');
  const replaceLot = (lot: Lot) => {
    lots = lots.map((l) => (l.id === lot.id ? lot : l));
    plan.lots = [...plan.lots.filter((l) => l.id !== lot.id), lot];
  };

  if (match) {
    // A reader's words: the entry is undone because the export's row counts instead (no import id).
    const reason = `Replaced by line ${row.line} of Autodesk's usage export: the same usage, counted once`;
    for (const original of match.transfers) {
      // reverseTransfer decides the mirror, the lot it refills and the pool drawn it undoes; it needs only
      // the accounts, member and lots it touches, as this row sees them.
      const view: LedgerState = { ...emptyLedgerState(), balances: { [account]: own, pool, usage: work.balance('usage') }, members: { [member.id]: plan.member }, lots };
      const reversed = reverseTransfer(view, original, { reason }, ctx);
      if (!reversed.ok) return reversed;
      const { posting: undo, reversal } = reversed.value;
      plan.transfers.push({ ...reversal, source });
      plan.claims.push(...undo.claims);
      for (const lot of undo.lots) replaceLot(lot);
      const changed = undo.members.find((m) => m.id === member.id);
      if (changed) [plan.member, plan.memberChanged] = [changed, true];
      own += (reversal.credit === account ? reversal.amount : 0) - (reversal.debit === account ? reversal.amount : 0);
      pool += (reversal.credit === 'pool' ? reversal.amount : 0) - (reversal.debit === 'pool' ? reversal.amount : 0);
    }
  }

  // Open holds the usage was reserved for are released first, as for self-logged usage (DESIGN 3.5).
  const held = heldAccount(member.id);
  const view: LedgerState = {
    ...emptyLedgerState(),
    balances: { [account]: own, [held]: work.balance(held), pool, usage: work.balance('usage') },
    members: { [member.id]: plan.member },
    lots,
    holds: work.holdsOf(member.id),
  };
  const usage = { memberId: member.id, service: row.service, date: row.date, amount: row.amount, source };
  const release = settleHoldsForUsage(view, usage, ctx);
  for (const t of release.posting.transfers) {
    plan.transfers.push({ ...t, postingId: ctx.postingId });
    own += (t.credit === account ? t.amount : 0) - (t.debit === account ? t.amount : 0);
    pool += (t.credit === 'pool' ? t.amount : 0) - (t.debit === 'pool' ? t.amount : 0);
  }
  // Own credits the member's other holds lock go before the pool, as for self-logged usage.
  const freeing = takeHeldOwnCredits(release.state, usage, ctx);
  for (const t of freeing.posting.transfers) {
    plan.transfers.push({ ...t, postingId: ctx.postingId });
    own += (t.credit === account ? t.amount : 0) - (t.debit === account ? t.amount : 0);
    pool += (t.credit === 'pool' ? t.amount : 0) - (t.debit === 'pool' ? t.amount : 0);
  }
  for (const lot of [...release.posting.lots, ...freeing.posting.lots]) replaceLot(lot);
  const released = freeing.posting.members.find((m) => m.id === member.id) ?? release.posting.members.find((m) => m.id === member.id);
  if (released) [plan.member, plan.memberChanged] = [released, true];
  plan.holds = [...release.posting.holds, ...freeing.posting.holds];
  plan.events = [...release.posting.events, ...freeing.posting.events].map(({ id: _id, ...e }) => ({ ...e, postingId: ctx.postingId }));

  const common = {
    postingId: ctx.postingId,
    memberId: member.id,
    service: row.service,
    date: row.date,
    source,
    actor: ctx.actor,
    at: ctx.now,
    ...(member.office ? { office: member.office } : {}),
    ...(row.project ? { project: row.project } : {}),
    ...(row.job ? { note: `Job ${row.job}` } : {}),
  };
  plan.fromOwn = Math.min(row.amount, Math.max(own, 0));
  plan.fromPool = row.amount - plan.fromOwn;
  if (plan.fromOwn > 0) {
    plan.transfers.push({ ...common, debit: account, credit: 'usage', amount: plan.fromOwn, code: 'usage_individual' });
  }
  if (plan.fromPool > 0) {
    const { draws, uncovered } = drawFromLots(lots, plan.fromPool, ctx.now);
    for (const draw of draws) {
      plan.transfers.push({ ...common, debit: 'pool', credit: 'usage', amount: draw.amount, code: 'usage_pool', lotId: draw.lot.id });
      replaceLot(draw.lot);
    }
    // Autodesk already charged it: recorded against the pool with no lot, even below zero (DESIGN 3.4).
    if (uncovered > 0) plan.transfers.push({ ...common, debit: 'pool', credit: 'usage', amount: uncovered, code: 'usage_pool' });
    plan.uncovered = uncovered;
    plan.member = { ...plan.member, poolDrawn: (plan.member.poolDrawn ?? 0) + plan.fromPool };
    plan.memberChanged = true;
  }
  return ok(plan);
}

interface Counted {
  members: Set<string>;
  lots: Set<string>;
  system: Set<string>;
  records: number;
  chars: number;
}

/**
 * The records and characters a row adds to what the batch already writes: its transfers' JSON (packed, so
 * the first transfer costs the batch's one transfer record), and the members, lots and accounts the batch
 * does not touch yet.
 */
function addedRecords(counted: Counted, plan: RowPlan, transfers: readonly Transfer[]) {
  const members = new Set<string>([plan.member.id]);
  const system = new Set<string>();
  for (const t of plan.transfers) {
    if (t.memberId) members.add(t.memberId);
    for (const account of [t.debit, t.credit]) {
      if (isMemberAccount(account)) members.add(account.slice('member:'.length));
      else system.add(account);
    }
  }
  const newMembers = [...members].filter((m) => !counted.members.has(m));
  const newLots = [...new Set(plan.lots.map((l) => l.id))].filter((l) => !counted.lots.has(l));
  const newSystem = [...system].filter((s) => !counted.system.has(s));
  const packedRecord = counted.chars === 0 && transfers.length > 0 ? 1 : 0;
  const records = packedRecord + 2 * newMembers.length + newLots.length + plan.claims.length + newSystem.length + plan.holds.length + 2 * plan.events.length;
  const chars = transfers.reduce((sum, t) => sum + JSON.stringify(t).length + 1, 0);
  return { records, chars, members: newMembers, lots: newLots, system: newSystem };
}

const keyOf = (memberId: string, service: string) => `${memberId}\u0000${service}`;

function provisionalIndex(provisional: readonly ProvisionalUsage[]): Map<string, ProvisionalUsage[]> {
  const index = new Map<string, ProvisionalUsage[]>();
  for (const p of provisional) {
    const key = keyOf(p.memberId, p.service);
    const list = index.get(key);
    if (list) list.push(p);
    else index.set(key, [p]);
  }
  return index;
}

/** When a provisional entry was logged: its earliest transfer. */
function loggedAt(p: ProvisionalUsage): string {
  return p.transfers.reduce((min, t) => (t.at < min ? t.at : min), p.transfers[0]?.at ?? '');
}

/** The unused entry nearest the row's date within the window; on a tie the one logged first. */
function closestProvisional(list: readonly ProvisionalUsage[], row: ImportRowToPost, used: ReadonlySet<string>, windowDays: number): ProvisionalUsage | null {
  const day = dayNumber(row.date);
  let best: { p: ProvisionalUsage; distance: number; at: string } | null = null;
  for (const p of list) {
    if (used.has(p.postingId) || p.transfers.length === 0) continue;
    const distance = Math.abs(dayNumber(p.date) - day);
    if (!(distance <= windowDays)) continue;
    const at = loggedAt(p);
    const better = !best || distance < best.distance || (distance === best.distance && (at < best.at || (at === best.at && p.postingId < best.p.postingId)));
    if (better) best = { p, distance, at };
  }
  return best?.p ?? null;
}
