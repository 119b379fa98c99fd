/**
 * The hourly alerts (DESIGN 3.6): order now, pool low, a purchase slower than expected at its step, and
 * registrations stuck past their time. Each alert has a key naming the condition and its state; the caller
 * raises an alert only once per key, so it comes again only when the condition changes.
 */
import type { ForecastOverdraft } from '../forecast/projection.js';
import type { FeedEventKind } from './feed-event.js';
import type { Member } from '../ledger/member.js';
import type { Units } from '../ledger/money.js';
import type { Policy } from '../policy/policy.js';
import { unitWord, workingDaysBetween } from '../policy/policy.js';
import { packName, packWarnings } from '../ledger/packs.js';
import type { Lot, Purchase, PurchaseState } from '../purchases/purchase-types.js';
import { OPEN_PURCHASE_STATES } from '../purchases/purchase-types.js';
import { purchaseSlowness } from '../purchases/purchase-timing.js';
import { isStuck } from '../registration/registration-rules.js';
import { wordsFor } from './wording.js';

export interface DueAlert {
  /** Condition and state: the same key is never raised twice. */
  key: string;
  kind: Extract<FeedEventKind, `alert_${string}`>;
  message: string;
  memberId?: string;
  memberName?: string;
  purchaseId?: string;
  purchaseTitle?: string;
  purchaseState?: PurchaseState;
  /** What is at stake, in units (a Flex pack's amount at risk). */
  amount?: Units;
}

export interface AlertInput {
  now: string;
  policy: Policy;
  poolBalance: Units;
  /** Applied lots (the last one sets the pool-low threshold and starts a new cycle). */
  lots: readonly Lot[];
  /** Every purchase not applied or cancelled, and the most recent purchase of any state. */
  purchases: readonly Purchase[];
  /** People in account_created (others are ignored). */
  members: readonly Member[];
  /** From the forecast; null when there is no forecast (no history). */
  forecast: {
    orderNow: boolean;
    orderByDate: string | null;
    zeroDate: string | null;
    recommendedBlocks: number;
    shortBeforeIncoming: boolean;
    /** The pool below zero: the order is for it, not for a day it runs out. */
    overdraft?: Pick<ForecastOverdraft, 'amount' | 'since'> | null;
  } | null;
  /** A pool-low alert was raised (by a draw or by this timer) since the last lot was applied. */
  poolLowRaisedSinceRefill: boolean;
}

/**
 * "Enough blocks on their way" (issue 19): the purchases in progress bring the pool back over the low line,
 * and the forecast does not see it run out before they land. Then "pool low — time to order more" would
 * only ask for a second purchase of what is already coming, so it stays quiet.
 */
export function poolLowCoveredByIncoming(input: { poolBalance: Units; threshold: Units; incomingUnits: Units; runsOutBeforeIncoming: boolean }): boolean {
  return input.incomingUnits > 0 && input.poolBalance + input.incomingUnits >= input.threshold && !input.runsOutBeforeIncoming;
}

const isOpenPurchase = (p: Purchase): boolean => (OPEN_PURCHASE_STATES as readonly string[]).includes(p.state);
const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

export function dueAlerts(input: AlertInput): DueAlert[] {
  const { policy, now } = input;
  const words = wordsFor(policy);
  const alerts: DueAlert[] = [];
  const lastLot = [...input.lots].sort((a, b) => a.appliedAt.localeCompare(b.appliedAt)).at(-1);
  const cycle = lastLot?.id ?? 'none';
  const latestPurchase = [...input.purchases].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1);

  const f = input.forecast;
  if (f?.orderNow && f.orderByDate) {
    // Overdrawn, the pool has run out already: the alert says by how much, and the order is due today.
    const o = f.overdraft;
    const why = o
      ? `the pool is overdrawn by ${words.amount(o.amount)}${o.since ? ` since ${words.day(o.since)}` : ''}`
      : `the pool is expected to run out around ${f.zeroDate ? words.day(f.zeroDate) : 'the end of the forecast'}`;
    // Once per purchase cycle: starting a purchase changes the key, so the alert returns only if it is still needed.
    alerts.push({
      key: `order-now|${latestPurchase?.id ?? cycle}`,
      kind: 'alert_order_now',
      message:
        `Order ${unitWord(policy)} now: ${why}, and purchases take ${policy.leadTimeDays.min}–${policy.leadTimeDays.max} working days. ` +
        `${o ? 'Recommended' : `Order by ${words.day(f.orderByDate)}; recommended`}: ${words.number(f.recommendedBlocks)} block${f.recommendedBlocks === 1 ? '' : 's'}.`,
    });
  }

  // Before the first purchase there is nothing to be low against; order-now speaks for demand then.
  const threshold = lastLot ? Math.floor((lastLot.units * policy.alerts.poolLowPercentOfLastPurchase) / 100) : 0;
  const incomingUnits = input.purchases.reduce((sum, p) => sum + (isOpenPurchase(p) ? p.units : 0), 0);
  const covered = poolLowCoveredByIncoming({ poolBalance: input.poolBalance, threshold, incomingUnits, runsOutBeforeIncoming: f?.shortBeforeIncoming ?? false });
  if (lastLot && input.poolBalance < threshold && !input.poolLowRaisedSinceRefill && !covered) {
    alerts.push({
      key: `pool-low|${cycle}`,
      kind: 'alert_pool_low',
      message: `The pool is down to ${words.amount(input.poolBalance)}, under ${policy.alerts.poolLowPercentOfLastPurchase}% of the last purchase: time to order more.`,
    });
  }

  for (const p of input.purchases) {
    const slowness = purchaseSlowness(p, policy, now);
    if (!slowness?.slow) continue;
    alerts.push({
      key: `purchase-slow|${p.id}|${p.state}`,
      kind: 'alert_purchase_slow',
      purchaseId: p.id,
      purchaseTitle: words.purchase(p),
      purchaseState: p.state,
      message: `${words.purchase(p)} is slow: ${lowerFirst(slowness.reason)}.`,
    });
  }

  // Flex packs expiring within 90, then 30 days, with what is left in them: once per pack and threshold.
  for (const w of packWarnings(input.lots, now)) {
    const purchase = input.purchases.find((p) => p.id === w.lot.purchaseId);
    alerts.push({
      key: `pack-expiring|${w.lot.id}|${w.days}`,
      kind: 'alert_pack_expiring',
      purchaseId: w.lot.purchaseId,
      ...(purchase ? { purchaseTitle: words.purchase(purchase) } : {}),
      amount: w.atRisk,
      message:
        `${packName(w.lot, purchase, words)}, expires on ${words.day(w.lot.expiresAt!)} (in ${w.daysLeft} day${w.daysLeft === 1 ? '' : 's'}): ` +
        `${words.amount(w.atRisk)} still in it will be lost unless they are used first.`,
    });
  }

  for (const m of input.members) {
    if (!isStuck(m, now, policy)) continue;
    alerts.push({
      key: `stuck|${m.id}|${m.registration.since}`,
      kind: 'alert_registration_stuck',
      memberId: m.id,
      memberName: m.displayName,
      message: `${m.displayName}'s Autodesk account was created ${workingDaysBetween(policy, m.registration.since, now)} working days ago and registration is still not complete: the invitation may be in quarantine.`,
    });
  }
  return alerts;
}
