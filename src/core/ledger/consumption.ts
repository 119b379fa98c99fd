import { memberAccount } from './accounts.js';
import { poolLowCoveredByIncoming } from '../feed/alerts.js';
import type { FeedEvent } from '../feed/feed-event.js';
import type { Hold } from '../holds/hold-types.js';
import { takeHeldOwnCredits } from '../holds/own-credits-first.js';
import { joinPostings, openHoldsOf, settleHoldsForUsage } from '../holds/hold-rules.js';
import type { LedgerState, Posting, PostingContext } from './ledger-state.js';
import { emptyPosting, eventId, ownBalance, transferId } from './ledger-state.js';
import { isRegistered } from './member.js';
import type { Units } from './money.js';
import { expireDuePacksFirst } from './packs.js';
import { drawFromLots, poolBalance, poolInsufficient, poolLowThreshold } from './pool.js';
import { isKnownService } from '../policy/policy.js';
import { OPEN_PURCHASE_STATES } from '../purchases/purchase-types.js';
import type { Result } from '../result.js';
import { fail, ok } from '../result.js';
import type { Transfer, TransferSource } from './transfer.js';
import { wordsFor } from '../feed/wording.js';

export interface UsageInput {
  memberId: string;
  amount: Units;
  service: string;
  date: string;
  project?: string;
  note?: string;
  source: TransferSource;
}

export interface UsageOutcome {
  posting: Posting;
  fromOwn: Units;
  fromPool: Units;
  balanceAfter: Units;
  /** The member's open holds this usage settled (released in the same posting, DESIGN 3.5). */
  settledHolds: Hold[];
}

/**
 * A usage takes the member's own credits first and the rest from the pool, oldest lot first. A member
 * draws on the pool only once their own credits are used up, which this order guarantees; own credits
 * locked in their other open holds count as own (takeHeldOwnCredits). Self-logged
 * usage the pool cannot cover is refused; imported actuals (already charged by Autodesk) are recorded
 * anyway and raise an alert. A member with open holds has the holds this usage is for (its service,
 * placed on or before its date) released first, in the same posting (settleHoldsForUsage), so the usage
 * is drawn from what they reserved and the difference goes back.
 */
/**
 * The hourly alert's rule (issue 19): no "pool low — time to order more" while the purchases on their way
 * (those in the decision state) bring the pool back over the line. Whether the pool runs out before they
 * land is the forecast's to say: the hourly check raises the alert then, as nothing was raised here.
 */
function coveredByIncoming(state: LedgerState, poolAfter: Units, threshold: Units): boolean {
  const incomingUnits = Object.values(state.purchases).reduce((sum, p) => sum + ((OPEN_PURCHASE_STATES as readonly string[]).includes(p.state) ? p.units : 0), 0);
  return poolLowCoveredByIncoming({ poolBalance: poolAfter, threshold, incomingUnits, runsOutBeforeIncoming: false });
}

export function planUsage(state: LedgerState, input: UsageInput, ctx: PostingContext): Result<UsageOutcome> {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) {
    return fail('VALIDATION_FAILED', 'A usage is a positive whole number of units.', { field: 'amount' });
  }
  if (!isKnownService(ctx.policy, input.service)) {
    return fail('VALIDATION_FAILED', `Unknown service "${input.service}".`, { field: 'service', allowed: ctx.policy.services.map((s) => s.slug) });
  }
  const member = state.members[input.memberId];
  if (!member) return fail('NOT_FOUND', `No member ${input.memberId}.`);
  if (!isRegistered(member)) {
    return fail('NOT_REGISTERED', 'Only people registered under the Autodesk contract can use credits.', {
      registrationState: member.registration.state,
    });
  }
  // Flex packs past their expiry lapse first, in the same posting: nothing is drawn from an expired pack.
  const expiry = expireDuePacksFirst(state, ctx);
  const usage = { memberId: member.id, service: input.service, date: input.date, amount: input.amount, source: input.source };
  const settlement = settleHoldsForUsage(expiry.state, usage, ctx);
  // Own credits other holds lock go before the pool (those holds are re-backed from it).
  const freeing = takeHeldOwnCredits(settlement.state, usage, ctx);
  const drawn = drawUsage(freeing.state, input, ctx);
  if (!drawn.ok) return drawn;
  const { posting, ...figures } = drawn.value;
  let joined = freeing.posting.transfers.length > 0 ? joinPostings(freeing.posting, posting) : posting;
  if (settlement.settled.length > 0) joined = joinPostings(settlement.posting, joined);
  if (expiry.expired) joined = joinPostings(expiry.posting, joined);
  return ok({ ...figures, posting: joined, settledHolds: [...settlement.settled, ...freeing.settled] });
}

/** The usage itself, on the state after any holds were released: own credits first, then the pool. */
function drawUsage(state: LedgerState, input: UsageInput, ctx: PostingContext): Result<Omit<UsageOutcome, 'settledHolds'>> {
  const member = state.members[input.memberId]!;
  const own = ownBalance(state, member.id);
  const fromOwn = Math.min(input.amount, Math.max(own, 0));
  const fromPool = input.amount - fromOwn;
  const poolBefore = poolBalance(state);
  const imported = input.source.startsWith('import:');
  if (fromPool > poolBefore && !imported) return poolInsufficient(state, fromPool);

  const posting = emptyPosting(ctx.postingId);
  const common = {
    postingId: ctx.postingId,
    memberId: member.id,
    service: input.service,
    date: input.date,
    source: input.source,
    actor: ctx.actor,
    at: ctx.now,
    ...(member.office ? { office: member.office } : {}),
    ...(input.project ? { project: input.project } : {}),
    ...(input.note ? { note: input.note } : {}),
  };
  const transfers: Transfer[] = [];
  if (fromOwn > 0) {
    transfers.push({ ...common, id: transferId(ctx.postingId, 0), debit: memberAccount(member.id), credit: 'usage', amount: fromOwn, code: 'usage_individual' });
  }
  if (fromPool > 0) {
    const { draws, uncovered } = drawFromLots(state.lots, fromPool, ctx.now);
    for (const draw of draws) {
      transfers.push({ ...common, id: transferId(ctx.postingId, transfers.length), debit: 'pool', credit: 'usage', amount: draw.amount, code: 'usage_pool', lotId: draw.lot.id });
      posting.lots.push(draw.lot);
    }
    if (uncovered > 0) {
      // Only imports get here: Autodesk already charged it, so record it against the pool with no lot.
      transfers.push({ ...common, id: transferId(ctx.postingId, transfers.length), debit: 'pool', credit: 'usage', amount: uncovered, code: 'usage_pool' });
    }
  }
  posting.transfers = transfers;
  if (fromPool > 0) posting.members.push({ ...member, poolDrawn: (member.poolDrawn ?? 0) + fromPool });

  const poolAfter = poolBefore - fromPool;
  const words = wordsFor(ctx.policy);
  const events: Omit<FeedEvent, 'id'>[] = [];
  const who = { memberId: member.id, memberName: member.displayName, ...(member.office ? { office: member.office } : {}) };
  // Joining the pool: the last own credits are used, none left free or locked in an open hold.
  const heldOwn = openHoldsOf(state, member.id).reduce((sum, h) => sum + h.fromOwn, 0);
  if (own + heldOwn > 0 && own - fromOwn + heldOwn === 0) {
    events.push({ ...who, postingId: ctx.postingId, kind: 'pool_joined', at: ctx.now, actor: ctx.actor, poolAfter, message: `${member.displayName} has used up their own credits and now draws on the shared pool.` });
  }
  if (fromPool > 0) {
    events.push({ ...who, postingId: ctx.postingId, kind: 'pool_draw', at: ctx.now, actor: ctx.actor, service: input.service, amount: fromPool, poolAfter, message: `${member.displayName} drew ${words.amount(fromPool)} from the pool for ${words.service(input.service)}.` });
    const threshold = poolLowThreshold(state, ctx.policy);
    if (poolAfter < 0) {
      events.push({ postingId: ctx.postingId, kind: 'alert_pool_negative', at: ctx.now, actor: ctx.actor, poolAfter, message: `The pool is overdrawn by ${words.amount(-poolAfter)} after ${member.displayName}'s imported usage: a purchase is not recorded, or credits were used outside Credit Desk.` });
    } else if (poolBefore >= threshold && poolAfter < threshold && !coveredByIncoming(state, poolAfter, threshold)) {
      events.push({ postingId: ctx.postingId, kind: 'alert_pool_low', at: ctx.now, actor: ctx.actor, poolAfter, message: `The pool is down to ${words.amount(poolAfter)}: time to order more.` });
    }
  }
  posting.events = events.map((e, i) => ({ ...e, id: eventId(ctx.postingId, i) }));

  return ok({ posting, fromOwn, fromPool, balanceAfter: own - fromOwn });
}
