import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Forecast, ForecastInput } from '../../../src/core/forecast/index.js';
import type { Policy } from '../../../src/core/policy/index.js';
import { FORECAST_TUNING, forecastPool } from '../../../src/core/forecast/index.js';
import {
  DEFAULT_POLICY,
  addWorkingDays,
  dayNumber,
  dayString,
  isWorkingDay,
  subtractWorkingDays,
  workingDaysBetween,
} from '../../../src/core/policy/index.js';
import { policyWith } from './helpers.js';

/** A Monday. */
const TODAY = '2026-11-02';
const BLOCK = 100 * DEFAULT_POLICY.blockSize;

function shift(date: string, days: number): string {
  return dayString(dayNumber(date) + days);
}

function isWorking(policy: Policy, date: string): boolean {
  return isWorkingDay(policy, new Date(date + 'T00:00:00Z'));
}

/** Draws on each of the `days` days before `today`: `amount(date)` units (0: no entry). */
function history(days: number, amount: (date: string) => number, today = TODAY): { date: string; amount: number }[] {
  const draws: { date: string; amount: number }[] = [];
  for (let i = days; i >= 1; i--) {
    const date = shift(today, -i);
    const units = amount(date);
    if (units !== 0) draws.push({ date, amount: units });
  }
  return draws;
}

/** 1000 units on every working day of the last eight weeks, nothing on weekends. */
const steady = history(56, (d) => (isWorking(DEFAULT_POLICY, d) ? 1000 : 0));

function forecast(overrides: Partial<ForecastInput>): Forecast {
  return forecastPool({ today: TODAY, poolBalance: 0, dailyDraws: [], policy: DEFAULT_POLICY, ...overrides });
}

/** Expected working-day demand of the steady history over `days` calendar days from today. */
function steadyDemand(days: number): number {
  let units = 0;
  for (let k = 0; k < days; k++) if (isWorking(DEFAULT_POLICY, shift(TODAY, k))) units += 1000;
  return units;
}

describe('calendar: working-day arithmetic on the policy calendar', () => {
  it('adds working days across a weekend and a holiday', () => {
    expect(addWorkingDays(DEFAULT_POLICY, '2026-11-06', 1)).toBe('2026-11-09'); // Friday → Monday
    expect(addWorkingDays(DEFAULT_POLICY, '2026-11-02', 7)).toBe('2026-11-11');
    expect(addWorkingDays(DEFAULT_POLICY, '2026-11-07', 1)).toBe('2026-11-09'); // from a Saturday
    const withHoliday = policyWith({ holidays: ['2026-11-09'] });
    expect(addWorkingDays(withHoliday, '2026-11-06', 1)).toBe('2026-11-10');
    expect(addWorkingDays(DEFAULT_POLICY, '2026-11-04', 0)).toBe('2026-11-04');
  });

  it('subtracts working days: the latest day from which that many working days still arrive in time', () => {
    expect(subtractWorkingDays(DEFAULT_POLICY, '2026-11-13', 1)).toBe('2026-11-12'); // Friday ← Thursday
    expect(subtractWorkingDays(DEFAULT_POLICY, '2026-11-09', 1)).toBe('2026-11-08'); // Monday ← Sunday (Friday + 1 is Monday)
    expect(subtractWorkingDays(DEFAULT_POLICY, '2026-11-15', 1)).toBe('2026-11-12'); // Sunday ← Thursday
    expect(subtractWorkingDays(policyWith({ holidays: ['2026-11-12'] }), '2026-11-13', 2)).toBe('2026-11-10');
    expect(subtractWorkingDays(DEFAULT_POLICY, '2026-11-13', 0)).toBe('2026-11-13');
  });

  it('counts every day when the calendar has no working weekday (instead of looping for ever)', () => {
    const none = policyWith({ workingDays: [] });
    expect(addWorkingDays(none, '2026-11-02', 3)).toBe('2026-11-05');
    expect(subtractWorkingDays(none, '2026-11-05', 3)).toBe('2026-11-02');
  });

  it('rejects what is not a date', () => {
    expect(Number.isNaN(dayNumber('2026-02-30'))).toBe(true);
    expect(Number.isNaN(dayNumber('2026-13-01'))).toBe(true);
    expect(Number.isNaN(dayNumber('yesterday'))).toBe(true);
    expect(dayNumber('2024-02-29')).toBe(dayNumber('2024-03-01') - 1);
    expect(dayNumber('2026-11-02T23:59:59Z')).toBe(dayNumber('2026-11-02'));
    expect(() => addWorkingDays(DEFAULT_POLICY, 'soon', 1)).toThrow(RangeError);
  });

  const dates = fc.integer({ min: dayNumber('2000-01-01'), max: dayNumber('2099-12-31') }).map(dayString);
  const calendars = fc.record({
    workingDays: fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }),
    holidays: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 12 }),
  });

  it('addWorkingDays is what workingDaysBetween counts, and subtractWorkingDays is its latest inverse', () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: 0, max: 30 }), calendars, (date, n, cal) => {
        const policy = policyWith({ workingDays: cal.workingDays, holidays: cal.holidays.map((k) => shift(date, k - 20)) });
        const later = addWorkingDays(policy, date, n);
        expect(workingDaysBetween(policy, date, later)).toBe(n);
        if (n > 0) expect(isWorking(policy, later)).toBe(true);
        const before = subtractWorkingDays(policy, date, n);
        expect(addWorkingDays(policy, before, n) <= date).toBe(true);
        expect(addWorkingDays(policy, shift(before, 1), n) > date).toBe(true);
      }),
    );
  });

  it('dayString and dayNumber round-trip', () => {
    fc.assert(
      fc.property(fc.integer({ min: dayNumber('0001-01-01'), max: dayNumber('9999-12-31') }), (day) => {
        expect(dayString(day)).toBe(new Date(day * 86_400_000).toISOString().slice(0, 10));
        expect(dayNumber(dayString(day))).toBe(day);
      }),
    );
  });
});

describe('forecastPool: examples', () => {
  it('with no history and nobody about to draw: no usage, no zero date, nothing to buy', () => {
    const f = forecast({ poolBalance: 50_000 });
    expect(f.method).toBe('no-usage');
    expect(f.dailyRate).toBe(0);
    expect(f.zeroDate).toBeNull();
    expect(f.orderByDate).toBeNull();
    expect(f.orderNow).toBe(false);
    expect(f.recommendedBlocks).toBe(0);
    expect(f.confidence).toBe('low');
    expect(f.projection).toHaveLength(DEFAULT_POLICY.alerts.forecastHorizonDays);
    expect(f.projection[0]).toEqual({ date: TODAY, expected: 50_000, low: 50_000, high: 50_000 });
    expect(f.projection.at(-1)?.date).toBe(shift(TODAY, 59));
    expect(f.projection.every((row) => row.expected === 50_000 && row.low === 50_000 && row.high === 50_000)).toBe(true);
  });

  it('an empty pool with no usage is not a shortage; an empty pool with usage runs out today', () => {
    expect(forecast({ poolBalance: 0 }).zeroDate).toBeNull();
    const drawing = forecast({ poolBalance: 0, dailyDraws: steady });
    expect(drawing.zeroDate).toBe(TODAY);
    expect(drawing.orderNow).toBe(true);
    expect(drawing.recommendedBlocks).toBeGreaterThan(0);
    // an imported actual left it below zero
    expect(forecast({ poolBalance: -2_500, dailyDraws: steady }).zeroDate).toBe(TODAY);
  });

  it('a steady history: weekday-aware rate, the zero date, the order-by date and whole blocks', () => {
    const f = forecast({ poolBalance: 10_000, dailyDraws: steady });
    expect(f.method).toBe('history');
    expect(f.historyDays).toBe(56);
    expect(f.workingDayRate).toBe(1000);
    expect(f.otherDayRate).toBe(0);
    expect(f.dailyRate).toBe(Math.round(5000 / 7));
    expect(f.confidence).toBe('high');
    // 1000 a working day from Monday: 10 working days, the last is Friday of next week
    expect(f.zeroDate).toBe('2026-11-13');
    expect(f.projection.slice(0, 8).map((r) => r.expected)).toEqual([9000, 8000, 7000, 6000, 5000, 5000, 5000, 4000]);
    // the order-by date: the heavy-demand edge's zero date minus 7 working days of lead and 2 of margin
    expect(f.leadTimeDays).toBe(7);
    expect(f.leadTimeSource).toBe('policy');
    expect(f.safetyMarginDays).toBe(2);
    expect(f.zeroDateEarliest).not.toBeNull();
    expect(f.zeroDateEarliest! <= f.zeroDate!).toBe(true);
    expect(f.zeroDateLatest! >= f.zeroDate!).toBe(true);
    expect(f.orderByDate).toBe(subtractWorkingDays(DEFAULT_POLICY, f.zeroDateEarliest!, 9));
    expect(f.orderNow).toBe(f.orderByDate! <= TODAY);
    // demand over the lead time (7 working days: 9 calendar days) and the 60-day horizon, less the balance
    const need = steadyDemand(9 + 60) - 10_000;
    expect(need).toBe(40_000);
    expect(f.recommendedBlocks).toBe(Math.ceil(need / BLOCK));
  });

  it('rounds a part block up, never recommending a fraction', () => {
    const f = forecast({ poolBalance: 10_000 - 1, dailyDraws: steady });
    expect(f.recommendedBlocks).toBe(5);
    expect(forecast({ poolBalance: 10_000 + 1, dailyDraws: steady }).recommendedBlocks).toBe(4);
  });

  it('a pool far from running out: no zero date within the horizon, no order, no blocks', () => {
    const f = forecast({ poolBalance: 200_000, dailyDraws: steady });
    expect(f.zeroDate).toBeNull();
    expect(f.orderByDate).toBeNull();
    expect(f.recommendedBlocks).toBe(0);
    expect(f.projection.at(-1)!.expected).toBe(200_000 - steadyDemand(60));
  });

  it('a single day of history: the simple rate, a wide band, low confidence', () => {
    const one = forecast({ poolBalance: 30_000, dailyDraws: [{ date: shift(TODAY, -1), amount: 3000 }] });
    expect(one.method).toBe('simple-rate');
    expect(one.historyDays).toBe(1);
    expect(one.dailyRate).toBe(3000);
    expect(one.confidence).toBe('low');
    expect(one.zeroDate).toBe(shift(TODAY, 9)); // 10 days of 3000
    // the same mean over eight weeks (every day) gives a narrower band
    const long = forecast({ poolBalance: 30_000, dailyDraws: history(56, () => 3000) });
    expect(long.dailyRate).toBe(3000);
    const width = (f: Forecast) => f.projection[5]!.high - f.projection[5]!.low;
    expect(width(one)).toBeGreaterThan(width(long));
    expect(width(long)).toBeGreaterThan(0);
  });

  it('short history falls back to the mean of every day since the first draw', () => {
    const f = forecast({ dailyDraws: [{ date: shift(TODAY, -10), amount: 5000 }, { date: shift(TODAY, -3), amount: 5000 }] });
    expect(f.method).toBe('simple-rate');
    expect(f.historyDays).toBe(10);
    expect(f.dailyRate).toBe(1000);
    // draws dated today or later are not history yet
    expect(forecast({ dailyDraws: [{ date: TODAY, amount: 9000 }] }).method).toBe('no-usage');
  });

  it('history older than eight weeks only sets how long the history is', () => {
    const old = [{ date: shift(TODAY, -200), amount: 1_000_000 }, ...history(20, () => 700)];
    const f = forecast({ poolBalance: 50_000, dailyDraws: old });
    expect(f.historyDays).toBe(FORECAST_TUNING.longWindowDays);
    expect(f.dailyRate).toBe(700); // the giant draw before the window does not count
    expect(f.method).toBe('history');
    expect(f.confidence).toBe('high');
    expect(forecast({ dailyDraws: history(20, () => 700) }).confidence).toBe('medium');
  });

  it('a spike does not swing the rate, but counts at its long-run frequency', () => {
    const spike = steady.map((d) => (d.date === '2026-10-30' ? { ...d, amount: 5000 } : d));
    const calm = forecast({ poolBalance: 30_000, dailyDraws: steady });
    const spiked = forecast({ poolBalance: 30_000, dailyDraws: spike });
    const recentMean = (9 * 1000 + 5000) / 10; // the last fortnight's working days, spike included
    expect(spiked.workingDayRate).toBeGreaterThan(calm.workingDayRate);
    expect(spiked.workingDayRate).toBeLessThanOrEqual(1100); // one spike in eight weeks: +4000 / 40 working days
    expect(spiked.workingDayRate).toBeLessThan(recentMean);
  });

  it('rising demand is followed within a fortnight', () => {
    const rising = history(56, (d) => (isWorking(DEFAULT_POLICY, d) ? (d >= shift(TODAY, -14) ? 2000 : 1000) : 0));
    expect(forecast({ dailyDraws: rising }).workingDayRate).toBe(2000);
  });

  it('members about to run out of their own credits start drawing when they do', () => {
    // 5000 own units at 1000 a day: on day 5 they draw 1000 from the pool, then 1000 a day
    const f = forecast({ poolBalance: 3000, joiningSoon: [{ ownLeft: 5000, dailyRate: 1000 }] });
    expect(f.method).toBe('simple-rate');
    expect(f.projection.slice(0, 8).map((r) => r.expected)).toEqual([3000, 3000, 3000, 3000, 3000, 2000, 1000, 0]);
    expect(f.zeroDate).toBe(shift(TODAY, 7));
    expect(f.joiningRate).toBe(Math.round((60 * 1000 - 5000) / 60));
    // with history too, they add to it
    const both = forecast({ poolBalance: 30_000, dailyDraws: steady, joiningSoon: [{ ownLeft: 0, dailyRate: 500 }] });
    const alone = forecast({ poolBalance: 30_000, dailyDraws: steady });
    expect(both.zeroDate! < alone.zeroDate!).toBe(true);
    expect(both.recommendedBlocks).toBeGreaterThan(alone.recommendedBlocks);
    // someone with no recent usage is not expected to draw
    expect(forecast({ poolBalance: 10, joiningSoon: [{ ownLeft: 0, dailyRate: 0 }] }).method).toBe('no-usage');
  });

  it('a purchase on its way lands on its date and counts against the recommendation', () => {
    const f = forecast({ poolBalance: 20_000, dailyDraws: steady, incoming: [{ units: 40_000, expectedDate: '2026-11-09' }] });
    const row = (date: string) => f.projection.find((r) => r.date === date)!;
    expect(row('2026-11-09').expected - row('2026-11-08').expected).toBe(40_000 - 1000);
    expect(steadyDemand(69)).toBeLessThan(60_000);
    expect(f.recommendedBlocks).toBe(0);
    const smaller = forecast({ poolBalance: 20_000, dailyDraws: steady, incoming: [{ units: 10_000, expectedDate: '2026-11-09' }] });
    expect(smaller.recommendedBlocks).toBe(Math.ceil((steadyDemand(69) - 30_000) / BLOCK));
    // an overdue one is taken to land today
    const overdue = forecast({ poolBalance: 0, dailyDraws: steady, incoming: [{ units: 40_000, expectedDate: '2026-10-20' }] });
    expect(overdue.projection[0]!.expected).toBe(39_000);
  });

  it('a shortfall before the purchase on its way lands is flagged; the next order is planned after it', () => {
    const f = forecast({ poolBalance: 2000, dailyDraws: steady, incoming: [{ units: 50_000, expectedDate: '2026-11-09' }] });
    expect(f.zeroDate).toBe('2026-11-03');
    expect(f.shortBeforeIncoming).toBe(true);
    expect(f.orderByDate! > '2026-11-09').toBe(true);
    expect(f.orderNow).toBe(false);
    expect(steadyDemand(69)).toBeLessThan(52_000);
    expect(f.recommendedBlocks).toBe(0);
    expect(forecast({ poolBalance: 20_000, dailyDraws: steady }).shortBeforeIncoming).toBe(false);
  });

  it('a pool that was just refilled: the zero date moves out and nothing more is recommended', () => {
    const low = forecast({ poolBalance: 2000, dailyDraws: steady });
    expect(low.orderNow).toBe(true);
    expect(low.recommendedBlocks).toBe(5);
    const refilled = forecast({ poolBalance: 2000 + low.recommendedBlocks * BLOCK, dailyDraws: steady });
    expect(refilled.recommendedBlocks).toBe(0);
    expect(refilled.orderNow).toBe(false);
    expect(refilled.zeroDate).toBeNull();
    expect(refilled.orderByDate === null || refilled.orderByDate > shift(TODAY, 30)).toBe(true);
    // the days the pool stood empty (nothing drawn) lower the rate but do not break it
    const starved = steady.filter((d) => d.date < shift(TODAY, -5));
    const after = forecast({ poolBalance: 52_000, dailyDraws: starved });
    expect(after.method).toBe('history');
    expect(after.workingDayRate).toBeGreaterThan(0);
    expect(after.workingDayRate).toBeLessThanOrEqual(1000);
  });

  it('uses the 90th percentile of real lead times once there are five', () => {
    const four = forecast({ poolBalance: 10_000, dailyDraws: steady, leadTimesWorkingDays: [3, 3, 3, 3] });
    expect(four.leadTimeDays).toBe(7);
    expect(four.leadTimeSource).toBe('policy');
    const twenty = [5, 6, 6, 7, 5, 6, 7, 5, 6, 10, 6, 5, 7, 6, 5, 6, 7, 5, 6, 6];
    const f = forecast({ poolBalance: 10_000, dailyDraws: steady, leadTimesWorkingDays: twenty });
    expect(f.leadTimeDays).toBe(7); // 18th of 20 sorted
    expect(f.leadTimeSource).toBe('history');
    const quick = forecast({ poolBalance: 10_000, dailyDraws: steady, leadTimesWorkingDays: [2, 3, 3, 2, 3, 3, 2] });
    expect(quick.leadTimeDays).toBe(3);
    expect(quick.orderByDate).toBe(subtractWorkingDays(DEFAULT_POLICY, quick.zeroDateEarliest!, 3 + 2));
    expect(quick.orderByDate! > f.orderByDate!).toBe(true);
    expect(forecast({ poolBalance: 10_000, dailyDraws: steady, leadTimesWorkingDays: [5, 5, 6, 6, 10] }).leadTimeDays).toBe(10);
  });

  it('counts the lead time on the policy calendar, holidays included', () => {
    const holidays = policyWith({ holidays: ['2026-11-05', '2026-11-06'] });
    const f = forecastPool({ today: TODAY, poolBalance: 10_000, dailyDraws: steady, policy: holidays });
    expect(f.orderByDate).toBe(subtractWorkingDays(holidays, f.zeroDateEarliest!, 9));
    expect(f.orderByDate! < subtractWorkingDays(DEFAULT_POLICY, f.zeroDateEarliest!, 9)).toBe(true);
    // nobody draws on a holiday either: the pool lasts two working days longer
    expect(f.zeroDate).toBe('2026-11-17');
  });

  it('a horizon of its own, and a block size of zero does not divide by zero', () => {
    expect(forecast({ dailyDraws: steady, horizonDays: 30 }).projection).toHaveLength(30);
    expect(forecast({ dailyDraws: steady, horizonDays: 0 }).projection).toHaveLength(1);
    const zeroBlocks = forecastPool({ today: TODAY, poolBalance: 0, dailyDraws: steady, policy: policyWith({ blockSize: 0 }) });
    expect(Number.isSafeInteger(zeroBlocks.recommendedBlocks)).toBe(true);
  });

  it('ignores amounts that are not numbers and dates that are not dates', () => {
    const f = forecast({
      poolBalance: 10_000,
      dailyDraws: [...steady, { date: shift(TODAY, -2), amount: Number.NaN }, { date: 'not a date', amount: 99_999 }, { date: '2026-02-30', amount: 5 }],
    });
    const clean = forecast({ poolBalance: 10_000, dailyDraws: steady });
    expect(f).toEqual(clean);
    expect(() => forecast({ today: '2026-11-31' })).toThrow(RangeError);
  });

  it('a day whose draws were reversed counts as nothing drawn, not as credits coming back', () => {
    const reversed = [...steady, { date: '2026-10-30', amount: -5000 }];
    const f = forecast({ poolBalance: 10_000, dailyDraws: reversed });
    expect(f.workingDayRate).toBeLessThan(1000);
    expect(f.workingDayRate).toBeGreaterThan(900);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties

const policies: fc.Arbitrary<Policy> = fc
  .record({
    workingDays: fc.subarray([1, 2, 3, 4, 5, 6, 7]),
    holidays: fc.array(fc.integer({ min: -30, max: 90 }), { maxLength: 8 }),
    blockSize: fc.oneof(fc.constant(100), fc.integer({ min: 0, max: 500 })),
    leadMax: fc.integer({ min: 0, max: 12 }),
    margin: fc.integer({ min: 0, max: 5 }),
  })
  .map((p) =>
    policyWith({
      workingDays: p.workingDays,
      holidays: p.holidays.map((k) => shift(TODAY, k)),
      blockSize: p.blockSize,
      leadTimeDays: { min: 0, max: p.leadMax },
      alerts: { ...DEFAULT_POLICY.alerts, safetyMarginDays: p.margin },
    }),
  );

const amounts = fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: -3000, max: 3000 }));

const inputs: fc.Arbitrary<ForecastInput> = fc
  .record({
    today: fc.integer({ min: dayNumber('2025-01-01'), max: dayNumber('2028-12-31') }),
    poolBalance: fc.oneof(fc.integer({ min: -50_000, max: 500_000 }), fc.integer({ min: 0, max: 50_000_000 })),
    draws: fc.array(fc.record({ ago: fc.integer({ min: -3, max: 150 }), amount: amounts }), { maxLength: 90 }),
    joiningSoon: fc.array(fc.record({ ownLeft: fc.integer({ min: -100, max: 20_000 }), dailyRate: fc.integer({ min: 0, max: 5000 }) }), { maxLength: 4 }),
    incoming: fc.array(fc.record({ units: fc.integer({ min: 0, max: 200_000 }), ahead: fc.integer({ min: -10, max: 100 }) }), { maxLength: 3 }),
    leadTimes: fc.array(fc.integer({ min: 0, max: 15 }), { maxLength: 12 }),
    horizonDays: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }),
    policy: policies,
  })
  .map((r) => {
    const today = dayString(r.today);
    return {
      today,
      poolBalance: r.poolBalance,
      dailyDraws: r.draws.map((d) => ({ date: shift(today, -d.ago), amount: d.amount })),
      joiningSoon: r.joiningSoon,
      incoming: r.incoming.map((p) => ({ units: p.units, expectedDate: shift(today, p.ahead) })),
      leadTimesWorkingDays: r.leadTimes,
      policy: r.policy,
      ...(r.horizonDays === undefined ? {} : { horizonDays: r.horizonDays }),
    };
  });

function numbersIn(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (Array.isArray(value)) for (const v of value) numbersIn(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) numbersIn(v, out);
  return out;
}

describe('forecastPool: properties', () => {
  it('recommends a whole, non-negative number of blocks, and every figure is a finite number (units are integers)', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const f = forecastPool(input);
        expect(Number.isSafeInteger(f.recommendedBlocks) && f.recommendedBlocks >= 0).toBe(true);
        expect(numbersIn(f).every((n) => Number.isFinite(n))).toBe(true);
        for (const row of f.projection) for (const n of [row.expected, row.low, row.high]) expect(Number.isSafeInteger(n)).toBe(true);
        for (const n of [f.dailyRate, f.workingDayRate, f.otherDayRate, f.joiningRate, f.leadTimeDays]) expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('the band contains the expectation, day by day over the whole horizon', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const f = forecastPool(input);
        expect(f.projection).toHaveLength(f.horizonDays);
        f.projection.forEach((row, k) => {
          expect(row.date).toBe(shift(input.today, k));
          expect(row.low).toBeLessThanOrEqual(row.expected);
          expect(row.expected).toBeLessThanOrEqual(row.high);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('orders by no later than the zero date (unless the pool runs short before a purchase on its way lands)', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const f = forecastPool(input);
        if (f.zeroDate !== null) {
          expect(f.zeroDateEarliest).not.toBeNull();
          expect(f.zeroDateEarliest! <= f.zeroDate).toBe(true);
          if (f.zeroDateLatest !== null) expect(f.zeroDate <= f.zeroDateLatest).toBe(true);
          if (!f.shortBeforeIncoming) {
            expect(f.orderByDate).not.toBeNull();
            expect(f.orderByDate! <= f.zeroDate).toBe(true);
          }
        }
        if (f.orderByDate !== null) expect(f.orderNow).toBe(f.orderByDate <= input.today);
        else expect(f.orderNow).toBe(false);
        if (f.orderNow) expect(f.recommendedBlocks).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('the order-by date without purchases on the way is never after the zero date', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const f = forecastPool({ ...input, incoming: [] });
        expect(f.shortBeforeIncoming).toBe(false);
        if (f.zeroDate !== null) expect(f.orderByDate! <= f.zeroDate).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('more demand never means fewer recommended blocks (history scaled up, more or faster joiners)', () => {
    fc.assert(
      fc.property(
        inputs,
        fc.integer({ min: 2, max: 5 }),
        fc.record({ ownLeft: fc.integer({ min: 0, max: 20_000 }), dailyRate: fc.integer({ min: 1, max: 5000 }) }),
        (input, k, joiner) => {
          const base = forecastPool(input);
          const scaled = forecastPool({ ...input, dailyDraws: input.dailyDraws.map((d) => ({ ...d, amount: d.amount * k })) });
          expect(scaled.recommendedBlocks).toBeGreaterThanOrEqual(base.recommendedBlocks);
          expect(scaled.dailyRate).toBeGreaterThanOrEqual(base.dailyRate);
          const joined = forecastPool({ ...input, joiningSoon: [...(input.joiningSoon ?? []), joiner] });
          expect(joined.recommendedBlocks).toBeGreaterThanOrEqual(base.recommendedBlocks);
          const faster = forecastPool({ ...input, joiningSoon: (input.joiningSoon ?? []).map((j) => ({ ...j, dailyRate: j.dailyRate * k, ownLeft: Math.floor(j.ownLeft / k) })) });
          expect(faster.recommendedBlocks).toBeGreaterThanOrEqual(base.recommendedBlocks);
          // an earlier (or the same) zero date and order-by date
          for (const more of [scaled, joined, faster]) {
            if (base.zeroDate !== null) expect(more.zeroDate !== null && more.zeroDate <= base.zeroDate).toBe(true);
            if (base.orderByDate !== null) expect(more.orderByDate !== null && more.orderByDate <= base.orderByDate).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('more drawn on any day never lowers the rate nor raises the expected balance', () => {
    fc.assert(
      fc.property(inputs, fc.array(fc.nat({ max: 10_000 }), { minLength: 90, maxLength: 90 }), (input, extra) => {
        const base = forecastPool(input);
        const more = forecastPool({ ...input, dailyDraws: input.dailyDraws.map((d, i) => ({ ...d, amount: d.amount + (extra[i] ?? 0) })) });
        expect(more.dailyRate).toBeGreaterThanOrEqual(base.dailyRate);
        expect(more.workingDayRate).toBeGreaterThanOrEqual(base.workingDayRate);
        expect(more.otherDayRate).toBeGreaterThanOrEqual(base.otherDayRate);
        more.projection.forEach((row, k) => expect(row.expected).toBeLessThanOrEqual(base.projection[k]!.expected));
        if (base.zeroDate !== null) expect(more.zeroDate !== null && more.zeroDate <= base.zeroDate).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('is pure: the same input gives the same forecast, and the input is not touched', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const copy = structuredClone(input);
        const a = forecastPool(input);
        expect(input).toEqual(copy);
        expect(forecastPool(copy)).toEqual(a);
      }),
      { numRuns: 100 },
    );
  });
});
