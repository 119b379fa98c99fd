/**
 * The forecast while the pool is overdrawn (issue 19): the pool has already run out, so the order is due
 * today and is for at least the whole blocks that cover the overdraft and the draws until a purchase ordered
 * today lands; purchases on their way count on the day they are expected, those landing by then against it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Forecast, ForecastInput } from '../../../src/core/forecast/index.js';
import { dueAlerts } from '../../../src/core/feed/index.js';
import { forecastPool } from '../../../src/core/forecast/index.js';
import { DEFAULT_POLICY, addWorkingDays, dayNumber, dayString, isWorkingDay } from '../../../src/core/policy/index.js';
import { policyWith } from './helpers.js';

/** A Monday. */
const TODAY = '2026-11-02';
const SINCE = '2026-10-30T14:25:00.000Z';
/** A purchase ordered today lands after the policy's 7 working days: on Wednesday of next week. */
const LANDS = addWorkingDays(DEFAULT_POLICY, TODAY, 7);

const shift = (date: string, days: number) => dayString(dayNumber(date) + days);
const working = (date: string) => isWorkingDay(DEFAULT_POLICY, new Date(`${date}T00:00:00Z`));

/** 1000 units on every working day of the last eight weeks. */
const steady = Array.from({ length: 56 }, (_, i) => shift(TODAY, -56 + i))
  .filter(working)
  .map((date) => ({ date, amount: 1000 }));

function forecast(overrides: Partial<ForecastInput>): Forecast {
  return forecastPool({ today: TODAY, poolBalance: -4000, dailyDraws: steady, overdrawnSince: SINCE, policy: DEFAULT_POLICY, ...overrides });
}

describe('the forecast of an overdrawn pool', () => {
  it('says by how much and since when, and that nothing is an overdraft while the pool holds zero or more', () => {
    expect(LANDS).toBe('2026-11-11');
    const f = forecast({});
    expect(f.overdraft).toMatchObject({ amount: 4000, since: SINCE, coveredOn: null });
    expect(forecast({ overdrawnSince: undefined }).overdraft?.since).toBeNull();
    expect(forecast({ poolBalance: 0 }).overdraft).toBeNull();
  });

  it('orders today at least the blocks for the overdraft and the draws until a purchase ordered today lands', () => {
    // 7 working days of 1000 until it lands, plus the 4000 overdrawn: 11,000, two whole blocks.
    const f = forecast({ incoming: [{ units: 200_000, expectedDate: '2026-11-30' }] });
    expect(f.overdraft).toMatchObject({ leadDemand: 7000, minimumBlocks: 2, coveredOn: '2026-11-30' });
    expect(f.recommendedBlocks).toBe(2);
    expect(f.orderNow).toBe(true);
    expect(f.orderByDate).toBe(TODAY);
  });

  it('with nobody drawing, still orders the blocks that cover the overdraft, today', () => {
    const f = forecast({ dailyDraws: [], poolBalance: -14_000 });
    expect(f.method).toBe('no-usage');
    expect(f.overdraft).toMatchObject({ amount: 14_000, leadDemand: 0, minimumBlocks: 2 });
    expect(f.recommendedBlocks).toBe(2);
    expect(f.orderNow).toBe(true);
    expect(f.orderByDate).toBe(TODAY);
  });

  it('a purchase on its way that lands in time covers it on its day; one that is overdue counts as landing today', () => {
    const f = forecast({ incoming: [{ units: 50_000, expectedDate: '2026-11-04' }] });
    expect(f.overdraft).toMatchObject({ minimumBlocks: 0, coveredOn: '2026-11-04' });
    // The horizon's need is the same rule as without an overdraft: the overdraft is part of it.
    expect(f.recommendedBlocks).toBe(forecast({ poolBalance: 0, incoming: [{ units: 46_000, expectedDate: '2026-11-04' }] }).recommendedBlocks);
    const overdue = forecast({ incoming: [{ units: 50_000, expectedDate: '2026-10-20' }] });
    expect(overdue.overdraft).toMatchObject({ minimumBlocks: 0, coveredOn: TODAY });
    // Landing after a new order would, it does not cover the days until then.
    const late = forecast({ incoming: [{ units: 50_000, expectedDate: shift(LANDS, 1) }] });
    expect(late.overdraft?.minimumBlocks).toBe(2);
  });

  it('over random inputs: an order due today covers the overdraft and the lead time, less what lands in time', () => {
    const inputs = fc.record({
      overdrawn: fc.integer({ min: 1, max: 500_000 }),
      rate: fc.integer({ min: 0, max: 5000 }),
      blockSize: fc.integer({ min: 1, max: 500 }),
      leadMax: fc.integer({ min: 0, max: 12 }),
      incoming: fc.array(fc.record({ units: fc.integer({ min: 1, max: 200_000 }), ahead: fc.integer({ min: -10, max: 40 }) }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(inputs, (r) => {
        const policy = policyWith({ blockSize: r.blockSize, leadTimeDays: { min: 0, max: r.leadMax } });
        const incoming = r.incoming.map((p) => ({ units: p.units, expectedDate: shift(TODAY, p.ahead) }));
        const dailyDraws = steady.map((d) => ({ ...d, amount: r.rate }));
        const f = forecastPool({ today: TODAY, poolBalance: -r.overdrawn, dailyDraws, incoming, policy });
        const lands = addWorkingDays(policy, TODAY, r.leadMax);
        const inTime = incoming.filter((p) => p.expectedDate <= lands).reduce((sum, p) => sum + p.units, 0);
        const o = f.overdraft!;
        expect(o.amount).toBe(r.overdrawn);
        expect(o.minimumBlocks).toBe(Math.max(0, Math.ceil((r.overdrawn + o.leadDemand - inTime) / (100 * r.blockSize))));
        expect(f.recommendedBlocks).toBeGreaterThanOrEqual(o.minimumBlocks);
        if (o.minimumBlocks > 0) expect([f.orderNow, f.orderByDate! <= TODAY]).toEqual([true, true]);
        if (o.coveredOn) expect(f.projection.find((d) => d.date === o.coveredOn)!.expected).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it("the hourly 'order now' alert reads the same forecast: overdrawn by how much and since when, the blocks, no run-out day", () => {
    const alertOf = (f: Forecast) =>
      dueAlerts({ now: `${TODAY}T10:00:00.000Z`, policy: DEFAULT_POLICY, poolBalance: -14_000, lots: [], purchases: [], members: [], forecast: f, poolLowRaisedSinceRefill: false }).find((a) => a.kind === 'alert_order_now');
    const idle = forecast({ dailyDraws: [], poolBalance: -14_000 });
    expect(alertOf(idle)?.message).toBe('Order credits now: the pool is overdrawn by 140 credits since Oct 30, 2026, and purchases take 5–7 working days. Recommended: 2 blocks.');
    const drawing = forecast({ poolBalance: -14_000 });
    expect(alertOf(drawing)?.message).toContain(`overdrawn by 140 credits since Oct 30, 2026`);
    expect(alertOf(drawing)?.message).toContain(`Recommended: ${drawing.recommendedBlocks} blocks.`);
    expect(alertOf(drawing)?.message).not.toMatch(/run out/);
  });
});
