import { describe, expect, it } from 'vitest';
import type { Purchase, PurchaseState } from '../../../src/core/purchases/index.js';
import { forecastPool, incomingPurchases } from '../../../src/core/forecast/index.js';
import { DEFAULT_POLICY, dayNumber, dayString } from '../../../src/core/policy/index.js';
import { expectedArrival, purchaseSlowness } from '../../../src/core/purchases/index.js';
import { policyWith } from './helpers.js';

/** Monday 7 December 2026, the day of the screenshot. */
const TODAY = '2026-12-07';
const NOW = `${TODAY}T10:00:00.000Z`;
const day = (offset: number) => dayString(dayNumber(TODAY) + offset);

function purchase(id: string, state: PurchaseState, since: string, blocks = 1): Purchase {
  return { id, blocks, units: blocks * 10_000, state, requestedBy: 'am', createdAt: since, updatedAt: since, steps: [{ type: state, at: since, by: 'am' }] };
}

describe('purchaseSlowness: one rule for the board, the pane and the alert', () => {
  it('counts working days at the step, not calendar days, against the step’s budget, and says why', () => {
    // Quote requested on Thursday 3 December: Friday and Monday are two working days (the weekend does not count).
    const inTime = purchaseSlowness(purchase('p1', 'quote_requested', '2026-12-03T09:00:00Z'), DEFAULT_POLICY, NOW);
    expect(inTime).toMatchObject({ slow: false, step: 'quote_requested', since: '2026-12-03T09:00:00Z', waitedWorkingDays: 2, expectedWorkingDays: 2 });
    // From Wednesday: three working days (five calendar days) against two.
    const late = purchaseSlowness(purchase('p2', 'quote_requested', '2026-12-02T09:00:00Z'), DEFAULT_POLICY, NOW);
    expect(late).toMatchObject({ slow: true, waitedWorkingDays: 3, expectedWorkingDays: 2 });
    expect(late?.reason).toBe('Waiting for the reseller’s quote for 3 working days (expected 2)');
    // Entered today: under a working day so far.
    expect(purchaseSlowness(purchase('p0', 'approved', NOW), DEFAULT_POLICY, NOW)?.reason).toBe('Waiting to be ordered for under a working day (expected 1)');
    // A holiday on the Friday is not a working day either.
    expect(purchaseSlowness(purchase('p3', 'quote_requested', '2026-12-02T09:00:00Z'), policyWith({ holidays: ['2026-12-04'] }), NOW)).toMatchObject({ slow: false, waitedWorkingDays: 2 });
  });

  it('gives an order the policy’s lead time, and says nothing of applied or cancelled purchases', () => {
    // Ordered Monday 23 November: ten working days later, against seven.
    const ordered = purchaseSlowness(purchase('p4', 'ordered', '2026-11-23T09:00:00Z'), DEFAULT_POLICY, NOW);
    expect(ordered).toMatchObject({ slow: true, waitedWorkingDays: 10, expectedWorkingDays: DEFAULT_POLICY.leadTimeDays.max });
    expect(ordered?.reason).toContain('Waiting to land in the pool for 10 working days');
    expect(purchaseSlowness(purchase('p5', 'ordered', '2026-11-23T09:00:00Z'), policyWith({ leadTimeDays: { min: 5, max: 12 } }), NOW)?.slow).toBe(false);
    expect(purchaseSlowness(purchase('p6', 'applied', '2026-01-01T09:00:00Z'), DEFAULT_POLICY, NOW)).toBeNull();
    expect(purchaseSlowness(purchase('p7', 'cancelled', '2026-01-01T09:00:00Z'), DEFAULT_POLICY, NOW)).toBeNull();
  });
});

describe('expectedArrival', () => {
  it('adds the budgets of the step and of every later step, in working days', () => {
    // Requested Friday 4 Dec: quote asked by Mon 7, quote by Wed 9, approved by Fri 11, ordered by Mon 14, credits by Wed 23.
    expect(expectedArrival(purchase('p1', 'requested', '2026-12-04T09:00:00Z'), DEFAULT_POLICY, TODAY)).toBe('2026-12-23');
    // Ordered Thursday 3 Dec: seven working days on is Monday 14.
    expect(expectedArrival(purchase('p2', 'ordered', '2026-12-03T09:00:00Z'), DEFAULT_POLICY, TODAY)).toBe('2026-12-14');
  });

  it('expects a late purchase the next working day at the earliest, never today', () => {
    // Ordered 2 November: due 11 November, overdue. Today (Monday) is known without it: Tuesday.
    expect(expectedArrival(purchase('p3', 'ordered', '2026-11-02T09:00:00Z'), DEFAULT_POLICY, TODAY)).toBe('2026-12-08');
    // On a Friday, the next working day is Monday.
    expect(expectedArrival(purchase('p3', 'ordered', '2026-11-02T09:00:00Z'), DEFAULT_POLICY, '2026-12-11')).toBe('2026-12-14');
    // A late approval: ordered from today, then the lead time.
    expect(expectedArrival(purchase('p4', 'approved', '2026-11-02T09:00:00Z'), DEFAULT_POLICY, TODAY)).toBe('2026-12-16');
  });
});

describe('the issue’s pool page: 22.59 in the pool, purchases in progress', () => {
  // Ten credits a day for eight weeks; one order overdue, one ordered last Thursday, one quote awaited.
  const draws = Array.from({ length: 56 }, (_, i) => ({ date: day(-56 + i), amount: 1_000 }));
  const purchases = [
    purchase('late', 'ordered', '2026-11-02T09:00:00Z', 1),
    purchase('recent', 'ordered', '2026-12-03T09:00:00Z', 1),
    purchase('quoted', 'quote_requested', '2026-12-04T09:00:00Z', 1),
  ];
  const incoming = incomingPurchases(purchases, DEFAULT_POLICY, TODAY);
  const forecast = forecastPool({ today: TODAY, poolBalance: 2_259, dailyDraws: draws, incoming, policy: DEFAULT_POLICY });
  const row = (date: string) => forecast.projection.find((d) => d.date === date)!;

  it('starts from the pool as it is, not with the purchases drawn as already applied', () => {
    expect(forecast.projection[0]!.date).toBe(TODAY);
    expect(forecast.projection[0]!.expected).toBeLessThanOrEqual(2_259);
    expect(forecast.projection[0]!.high).toBeLessThanOrEqual(2_259);
  });

  it('steps up on each purchase’s expected day, and only then', () => {
    expect(incoming.map((p) => p.expectedDate)).toEqual(['2026-12-08', '2026-12-14', '2026-12-22']);
    const arrivals = new Set(incoming.map((p) => p.expectedDate));
    for (let k = 1; k < forecast.projection.length; k++) {
      const [before, after] = [forecast.projection[k - 1]!, forecast.projection[k]!];
      if (arrivals.has(after.date)) expect(after.expected - before.expected).toBeGreaterThan(10_000 - 2_000);
      else expect(after.expected).toBeLessThanOrEqual(before.expected);
    }
    expect(row('2026-12-08').expected).toBeGreaterThan(row(TODAY).expected);
  });

  it('names one run-out day: the first day its own projection shows the pool empty', () => {
    expect(forecast.zeroDate).not.toBeNull();
    expect(forecast.projection.find((d) => d.expected <= 0)?.date).toBe(forecast.zeroDate);
    expect(forecast.projection.find((d) => d.low <= 0)?.date).toBe(forecast.zeroDateEarliest);
    // The order-by date is set against that same projection: at or before the run-out day.
    expect(forecast.orderByDate! <= forecast.zeroDate!).toBe(true);
  });
});
