import { isMemberAccount, mayGoNegative } from './accounts.js';
import type { LedgerState, Posting, PostingContext } from './ledger-state.js';
import { balanceOf, emptyPosting, eventId, transferId } from './ledger-state.js';
import { unitsToCredits } from './money.js';
import { poolBalance } from './pool.js';
import type { Result } from '../result.js';
import { fail, ok } from '../result.js';
import type { Transfer, TransferCode } from './transfer.js';
import type { Words } from '../feed/wording.js';
import { wordsFor } from '../feed/wording.js';

/** What each kind of entry is called when it is corrected. */
const ENTRY_WORDS: Record<TransferCode, string> = {
  allotment_granted: 'An allotment',
  purchase_applied: 'A purchase added to the pool',
  usage_individual: 'A usage of own credits',
  usage_pool: 'A pool draw',
  hold_placed: 'A hold',
  hold_released: 'A hold released',
  pack_expired: 'An expired pack',
  opening_balance: 'An opening balance',
  reversal: 'A correction',
};

/** "A pool draw of 12.5 credits (Ana Lima, Cloud rendering, Dec 2, 2026) was reversed: wrong person." */
function reversalMessage(original: Transfer, memberName: string | undefined, reason: string, words: Words): string {
  const about = [memberName, original.service ? words.service(original.service) : undefined, original.date ? words.day(original.date) : undefined].filter(Boolean);
  return `${ENTRY_WORDS[original.code]} of ${words.amount(original.amount)}${about.length ? ` (${about.join(', ')})` : ''} was reversed: ${reason}`;
}

/** The claim a reversal makes, so that a transfer is reversed at most once. */
export function reversalClaim(transferId: string): string {
  return `reversed|${transferId}`;
}

/**
 * Transfers are never edited: a correction is a new transfer with the accounts swapped that points at the
 * original. It may not take a member or the pool below zero.
 */
export function reverseTransfer(
  state: LedgerState,
  original: Transfer,
  input: { reason: string },
  ctx: PostingContext,
): Result<{ posting: Posting; reversal: Transfer }> {
  if (original.code === 'reversal') {
    return fail('NOT_REVERSIBLE', 'A reversal cannot itself be reversed; record a new entry instead.', { transferId: original.id });
  }
  if (original.code === 'hold_placed' || original.code === 'hold_released') {
    return fail('NOT_REVERSIBLE', 'A hold is not corrected by reversing its entries: void the hold instead (its credits go back in one step).', { transferId: original.id });
  }
  const reason = input.reason.trim();
  if (!reason) return fail('VALIDATION_FAILED', 'A reversal needs a reason.', { field: 'reason' });

  const debit = original.credit;
  const credit = original.debit;
  if (!mayGoNegative(debit) && balanceOf(state, debit) < original.amount) {
    return fail('BALANCE_INSUFFICIENT', `Reversing this would take ${debit} below zero.`, {
      account: isMemberAccount(debit) ? 'member' : debit,
      balance: unitsToCredits(balanceOf(state, debit)),
      amount: unitsToCredits(original.amount),
    });
  }
  const posting = emptyPosting(ctx.postingId);
  if (original.lotId && (debit === 'pool' || credit === 'pool')) {
    const lot = state.lots.find((l) => l.id === original.lotId);
    if (!lot) return fail('NOT_FOUND', `The pool lot ${original.lotId} of this transfer is missing.`);
    const remaining = lot.remaining + (credit === 'pool' ? original.amount : -original.amount);
    if (remaining < 0 || remaining > lot.units) {
      return fail('BALANCE_INSUFFICIENT', `Lot ${lot.id} has ${unitsToCredits(lot.remaining)} left; this reversal does not fit it.`);
    }
    posting.lots.push({ ...lot, remaining });
  }

  const reversal: Transfer = {
    id: transferId(ctx.postingId, 0),
    postingId: ctx.postingId,
    debit,
    credit,
    amount: original.amount,
    code: 'reversal',
    ...(original.memberId ? { memberId: original.memberId } : {}),
    ...(original.lotId ? { lotId: original.lotId } : {}),
    ...(original.service ? { service: original.service } : {}),
    ...(original.office ? { office: original.office } : {}),
    ...(original.project ? { project: original.project } : {}),
    ...(original.date ? { date: original.date } : {}),
    source: 'manager',
    actor: ctx.actor,
    at: ctx.now,
    reverses: original.id,
    reason,
  };
  posting.transfers.push(reversal);
  const drawer = original.code === 'usage_pool' && original.memberId ? state.members[original.memberId] : undefined;
  if (drawer) posting.members.push({ ...drawer, poolDrawn: Math.max(0, (drawer.poolDrawn ?? 0) - original.amount) });
  posting.claims.push(reversalClaim(original.id));
  const poolDelta = (credit === 'pool' ? 1 : 0) * original.amount - (debit === 'pool' ? 1 : 0) * original.amount;
  const member = original.memberId ? state.members[original.memberId] : undefined;
  posting.events.push({
    id: eventId(ctx.postingId, 0),
    postingId: ctx.postingId,
    kind: 'reversal',
    at: ctx.now,
    actor: ctx.actor,
    ...(member ? { memberId: member.id, memberName: member.displayName } : {}),
    amount: original.amount,
    poolAfter: poolBalance(state) + poolDelta,
    poolDelta,
    message: reversalMessage(original, member?.displayName, reason, wordsFor(ctx.policy)),
  });
  return ok({ posting, reversal });
}
