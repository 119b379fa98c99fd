import { describe, expect, it } from 'vitest';
import type { AlertInput } from '../../../src/core/feed/index.js';
import type { Member } from '../../../src/core/ledger/index.js';
import type { Lot, Purchase, PurchaseState } from '../../../src/core/purchases/index.js';
import { dueAlerts } from '../../../src/core/feed/index.js';
import { newMember } from '../../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import { stepBudgetWorkingDays } from '../../../src/core/purchases/index.js';

// Friday 27 November 2026, 10:00 UTC.
const NOW = '2026-11-27T10:00:00.000Z';
const lot = (id: string, appliedAt: string, units = 100_000): Lot => ({ id, purchaseId: `p-${id}`, appliedAt, units, remaining: units });

function purchase(id: string, state: PurchaseState, since: string): Purchase {
  return { id, blocks: 5, units: 50_000, state, requestedBy: 'am', createdAt: since, updatedAt: since, steps: [{ type: state, at: since, by: 'am' }] };
}

function created(id: string, since: string): Member {
  const m = newMember({ id, email: `${id}@x.example`, displayName: `Person ${id}`, now: since });
  return { ...m, registration: { ...m.registration, state: 'account_created', since } };
}

const quiet: AlertInput = {
  now: NOW,
  policy: DEFAULT_POLICY,
  poolBalance: 90_000,
  lots: [lot('l1', '2026-10-01T09:00:00Z')],
  purchases: [],
  members: [],
  forecast: { orderNow: false, orderByDate: '2026-12-20', zeroDate: '2027-01-05', recommendedBlocks: 4, shortBeforeIncoming: false },
  poolLowRaisedSinceRefill: false,
};

describe('dueAlerts', () => {
  it('raises nothing when all is well', () => {
    expect(dueAlerts(quiet)).toEqual([]);
  });

  it('order now: when the order-by date has come, once per purchase cycle', () => {
    const input = { ...quiet, forecast: { orderNow: true, orderByDate: '2026-11-26', zeroDate: '2026-12-08', recommendedBlocks: 3, shortBeforeIncoming: false } };
    const [alert] = dueAlerts(input);
    expect(alert).toMatchObject({ kind: 'alert_order_now', key: 'order-now|l1' });
    expect(alert?.message).toContain('Order by Nov 26, 2026');
    expect(alert?.message).toContain('3 blocks');
    // Someone starts a purchase: a new key, so the alert may come again if the order is still due.
    const withPurchase = dueAlerts({ ...input, purchases: [purchase('p9', 'requested', NOW)] });
    expect(withPurchase.find((a) => a.kind === 'alert_order_now')?.key).toBe('order-now|p9');
    expect(dueAlerts({ ...input, forecast: null })).toEqual([]);
  });

  it('pool low: under the share of the last purchase, unless already raised since the refill', () => {
    const low = { ...quiet, poolBalance: 19_999 };
    expect(dueAlerts(low)).toMatchObject([{ kind: 'alert_pool_low', key: 'pool-low|l1' }]);
    expect(dueAlerts({ ...low, poolBalance: 20_000 })).toEqual([]);
    expect(dueAlerts({ ...low, poolLowRaisedSinceRefill: true })).toEqual([]);
    // After a refill the threshold follows the new lot, and the key changes with it.
    const refilled = { ...low, lots: [...low.lots, lot('l2', '2026-11-20T09:00:00Z', 200_000)], poolBalance: 39_000 };
    expect(dueAlerts(refilled)).toMatchObject([{ key: 'pool-low|l2' }]);
    expect(dueAlerts({ ...low, lots: [], poolBalance: 0 })).toEqual([]);
  });

  it('pool low: quiet while the purchases on their way cover it, raised when they do not', () => {
    const low = { ...quiet, poolBalance: 5_000 };
    const ordered = purchase('p5', 'ordered', '2026-11-25T09:00:00Z');
    // 5,000 + 50,000 on the way ≥ the 20,000 line, landing before the pool runs out: nothing to order.
    expect(dueAlerts({ ...low, purchases: [ordered] }).filter((a) => a.kind === 'alert_pool_low')).toEqual([]);
    // The forecast sees the pool run out before it lands: raised after all.
    const short = { ...low, purchases: [ordered], forecast: { ...quiet.forecast!, shortBeforeIncoming: true } };
    expect(dueAlerts(short).filter((a) => a.kind === 'alert_pool_low')).toHaveLength(1);
    // Too little on its way to reach the line: raised.
    const small = { ...ordered, blocks: 1, units: 10_000 };
    expect(dueAlerts({ ...low, purchases: [small] }).filter((a) => a.kind === 'alert_pool_low')).toHaveLength(1);
    // An applied or cancelled purchase is not on its way.
    expect(dueAlerts({ ...low, purchases: [{ ...ordered, state: 'cancelled' }] }).filter((a) => a.kind === 'alert_pool_low')).toHaveLength(1);
  });

  it('purchase slow: once it has waited more working days than its step allows', () => {
    expect(stepBudgetWorkingDays('quote_requested', DEFAULT_POLICY)).toBe(2);
    expect(stepBudgetWorkingDays('ordered', DEFAULT_POLICY)).toBe(DEFAULT_POLICY.leadTimeDays.max);
    // Tuesday → Friday: 3 working days at quote_requested (2 allowed).
    const slow = purchase('p1', 'quote_requested', '2026-11-24T09:00:00Z');
    // Wednesday → Friday: 2 working days, still in time.
    const onTime = purchase('p2', 'quote_requested', '2026-11-25T09:00:00Z');
    const ordered = purchase('p3', 'ordered', '2026-11-20T09:00:00Z');
    const alerts = dueAlerts({ ...quiet, purchases: [slow, onTime, ordered] });
    expect(alerts).toMatchObject([{ kind: 'alert_purchase_slow', key: 'purchase-slow|p1|quote_requested', purchaseId: 'p1' }]);
    // The reason is the rule's own: the step, the working days so far and the step's budget.
    expect(alerts[0]?.message).toContain('waiting for the reseller’s quote for 3 working days (expected 2)');
    expect(dueAlerts({ ...quiet, purchases: [purchase('p4', 'applied', '2026-01-01T00:00:00Z')] })).toEqual([]);
  });

  it('registration stuck: account created longer ago than the policy allows', () => {
    const stuck = created('m1', '2026-11-24T09:00:00Z');
    const fresh = created('m2', '2026-11-26T09:00:00Z');
    const alerts = dueAlerts({ ...quiet, members: [stuck, fresh] });
    expect(alerts).toMatchObject([{ kind: 'alert_registration_stuck', key: 'stuck|m1|2026-11-24T09:00:00Z', memberId: 'm1', memberName: 'Person m1' }]);
  });
});
