import { describe, expect, it } from 'vitest';
import type { Member, Transfer } from '../../../src/core/ledger/index.js';
import type { Purchase, PurchaseState } from '../../../src/core/purchases/index.js';
import {
  FORECAST_SCAN_DAYS,
  FORECAST_TUNING,
  JOINER_MIN_RATE_DAYS,
  buildForecastInput,
  dailyPoolDraws,
  forecastPool,
  incomingPurchases,
  lastAppliedPurchase,
  memberDailyRates,
  membersJoiningSoon,
  poolBalanceHistory,
  realLeadTimes,
} from '../../../src/core/forecast/index.js';
import { DEFAULT_POLICY, dayNumber, dayString } from '../../../src/core/policy/index.js';
import { memberIn, policyWith } from './helpers.js';

/** A Monday. */
const TODAY = '2026-11-02';
const shift = (days: number, from = TODAY) => dayString(dayNumber(from) + days);
const at = (days: number, time = '10:00:00.000Z') => `${shift(days)}T${time}`;

let seq = 0;
function transfer(partial: Partial<Transfer> & Pick<Transfer, 'code' | 'debit' | 'credit' | 'amount'>): Transfer {
  seq++;
  return { id: `t${seq}`, postingId: `p${seq}`, source: 'self', actor: 'someone', at: at(-1), ...partial };
}

/** A pool draw by `member` of `amount` units, used on `day` (days from today), recorded on `recorded`. */
const poolDraw = (amount: number, day: number, member = 'm1', recorded = day) =>
  transfer({ code: 'usage_pool', debit: 'pool', credit: 'usage', amount, memberId: member, date: shift(day), at: at(recorded), lotId: 'lot-1' });
const ownUse = (amount: number, day: number, member = 'm1') =>
  transfer({ code: 'usage_individual', debit: `member:${member}`, credit: 'usage', amount, memberId: member, date: shift(day), at: at(day) });
/** The reversal of `original`, recorded `recorded` days from today; as the core writes it, it keeps the original's date. */
const reversalOf = (original: Transfer, recorded: number, keepDate = true) =>
  transfer({
    code: 'reversal',
    debit: original.credit,
    credit: original.debit,
    amount: original.amount,
    reverses: original.id,
    at: at(recorded),
    ...(original.memberId ? { memberId: original.memberId } : {}),
    ...(keepDate && original.date ? { date: original.date } : {}),
  });
const applied = (amount: number, day: number) => transfer({ code: 'purchase_applied', debit: 'reseller', credit: 'pool', amount, at: at(day), lotId: `lot-${seq}` });

function purchase(id: string, state: PurchaseState, steps: Partial<Record<PurchaseState, string>>, blocks = 2): Purchase {
  return {
    id,
    blocks,
    units: blocks * 10_000,
    state,
    requestedBy: 'am',
    createdAt: steps.requested ?? at(-30),
    updatedAt: at(-1),
    steps: (Object.entries(steps) as [PurchaseState, string][]).map(([type, when]) => ({ type, at: when, by: 'am' })),
  };
}

function registered(id: string, extra: Partial<Member> = {}): Member {
  return memberIn(id, 'registered', { allotmentGrantedAt: at(-200), ...extra });
}

describe('pool draws per day', () => {
  it('sums pool draws by the day they were used, not recorded, and leaves other transfers out', () => {
    const draws = dailyPoolDraws([
      poolDraw(500, -3),
      poolDraw(250, -3, 'm2'),
      // Used five days ago, logged yesterday: it counts five days ago.
      poolDraw(100, -5, 'm1', -1),
      ownUse(900, -3),
      applied(10_000, -10),
      transfer({ code: 'opening_balance', debit: 'contract', credit: 'pool', amount: 3_000, at: at(-20) }),
    ]);
    expect(draws).toEqual([
      { date: shift(-5), amount: 100 },
      { date: shift(-3), amount: 750 },
    ]);
  });

  it('takes a reversed draw off the day it was drawn, whenever the reversal was recorded', () => {
    const wrong = poolDraw(400, -6);
    const kept = poolDraw(300, -6);
    const draws = dailyPoolDraws([wrong, kept, reversalOf(wrong, -1)]);
    expect(draws).toEqual([{ date: shift(-6), amount: 300 }]);
  });

  it('dates a reversal without a date by the original it reverses', () => {
    const original = transfer({ code: 'usage_pool', debit: 'pool', credit: 'usage', amount: 400, memberId: 'm1', at: at(-6) });
    expect(dailyPoolDraws([original, reversalOf(original, -1, false)])).toEqual([{ date: shift(-6), amount: 0 }]);
  });

  it('does not count reversals of own-credit usage or of a purchase as pool draws', () => {
    const own = ownUse(900, -3);
    const bought = applied(10_000, -10);
    expect(dailyPoolDraws([own, reversalOf(own, -2), bought, reversalOf(bought, -2)])).toEqual([]);
  });
});

describe('members about to start drawing on the pool', () => {
  it('rates each member by their own and pool usage over the last four weeks, net of reversals', () => {
    const mistake = ownUse(5_000, -2, 'm1');
    const transfers = [
      ...Array.from({ length: 28 }, (_, i) => ownUse(100, -1 - i, 'm1')),
      mistake,
      reversalOf(mistake, -1),
      // Older than the window: not counted.
      ownUse(9_999, -40, 'm1'),
      poolDraw(280, -4, 'm2'),
      ownUse(280, -4, 'm2'),
    ];
    const rates = memberDailyRates(transfers, [registered('m1'), registered('m2'), registered('m3')], TODAY);
    expect(rates.get('m1')).toBe(100);
    expect(rates.get('m2')).toBe(20); // 560 over 28 days
    expect(rates.has('m3')).toBe(false);
  });

  it('rates a member granted credits recently over the days since (at least a week)', () => {
    const transfers = [ownUse(1_000, -2, 'new'), ownUse(1_000, -2, 'newer'), ownUse(400, -20, 'old')];
    const rates = memberDailyRates(
      transfers,
      [registered('new', { allotmentGrantedAt: at(-10) }), registered('newer', { allotmentGrantedAt: at(-2) }), registered('old')],
      TODAY,
    );
    expect(rates.get('new')).toBe(100); // 1000 over 10 days
    expect(rates.get('newer')).toBe(Math.round(1_000 / JOINER_MIN_RATE_DAYS));
    expect(rates.get('old')).toBe(Math.round(400 / 28));
  });

  it('takes registered members whose own credits are low but not zero: they run out within the horizon', () => {
    const rates = new Map([
      ['low', 100],
      ['plenty', 100],
      ['empty', 100],
      ['idle', 0],
      ['gone', 100],
    ]);
    const members = [
      { member: registered('low'), own: 1_500 },
      { member: registered('plenty'), own: 9_000 },
      { member: registered('empty'), own: 0 },
      { member: registered('idle'), own: 50 },
      { member: memberIn('gone', 'left'), own: 500 },
    ];
    expect(membersJoiningSoon(members, rates, 60)).toEqual([{ memberId: 'low', ownLeft: 1_500, dailyRate: 100 }]);
    // A longer horizon reaches the member with more left.
    expect(membersJoiningSoon(members, rates, 90).map((j) => j.memberId)).toEqual(['low', 'plenty']);
  });
});

describe('purchases on their way and real lead times', () => {
  it('expects each purchase in progress when its step, the later steps and the lead time are over, in working days', () => {
    const purchases = [
      purchase('ordered', 'ordered', { requested: at(-10), approved: at(-6), ordered: at(-5) }),
      purchase('approved', 'approved', { requested: at(-3), approved: at(-1) }, 1),
      purchase('quoted', 'quote_received', { requested: at(-3), quote_received: at(-1) }),
      purchase('done', 'applied', { ordered: at(-20), applied: at(-12) }),
      purchase('off', 'cancelled', { requested: at(-3), cancelled: at(-1) }),
    ];
    // Ordered on Wednesday 28 October: seven working days later is Friday 6 November. Approved on Sunday: ordered
    // by Monday (a working day), then seven. Quote received on Sunday: approval by Tuesday, order by Wednesday,
    // then seven. Applied and cancelled ones are not on their way.
    expect(incomingPurchases(purchases, DEFAULT_POLICY, TODAY)).toEqual([
      { purchaseId: 'ordered', units: 20_000, expectedDate: '2026-11-06' },
      { purchaseId: 'approved', units: 10_000, expectedDate: '2026-11-11' },
      { purchaseId: 'quoted', units: 20_000, expectedDate: '2026-11-13' },
    ]);
    // A holiday on the way pushes the date by a working day.
    expect(incomingPurchases(purchases, policyWith({ holidays: ['2026-11-04'] }), TODAY)[0]!.expectedDate).toBe('2026-11-09');
  });

  it('counts working days from order to applied, over weekends, for applied purchases only', () => {
    const purchases = [
      // Friday 23 October → Wednesday 28 October: Monday, Tuesday, Wednesday.
      purchase('a', 'applied', { ordered: '2026-10-23T15:00:00.000Z', applied: '2026-10-28T09:00:00.000Z' }),
      purchase('b', 'applied', { ordered: '2026-10-05T09:00:00.000Z', applied: '2026-10-14T09:00:00.000Z' }),
      // Applied without an order step (e.g. before steps were kept): no lead time.
      purchase('c', 'applied', { applied: '2026-10-14T09:00:00.000Z' }),
      purchase('d', 'ordered', { ordered: '2026-10-05T09:00:00.000Z' }),
    ];
    expect(realLeadTimes(purchases, DEFAULT_POLICY)).toEqual([3, 7]);
  });

  it('finds the last applied purchase by when it was applied', () => {
    const purchases = [
      purchase('first', 'applied', { ordered: at(-50), applied: at(-40) }, 3),
      purchase('second', 'applied', { ordered: at(-15), applied: at(-8) }, 2),
      purchase('open', 'ordered', { ordered: at(-2) }, 5),
    ];
    expect(lastAppliedPurchase(purchases)).toEqual({ purchase: purchases[1], appliedAt: at(-8) });
    expect(lastAppliedPurchase([purchases[2]!])).toBeUndefined();
  });
});

describe('pool balance history', () => {
  it('walks back from the balance now through the transfers recorded each day', () => {
    const transfers = [applied(10_000, -4), poolDraw(1_000, -3), poolDraw(500, -3, 'm2'), poolDraw(2_000, -10, 'm1', -1), poolDraw(300, 0)];
    // 10000 − 1500 − 2000 − 300
    const history = poolBalanceHistory({ transfers, poolBalance: 6_200, today: TODAY, days: 5, complete: false });
    expect(history).toEqual([
      { date: shift(-5), balance: 0 },
      { date: shift(-4), balance: 10_000 },
      { date: shift(-3), balance: 8_500 },
      { date: shift(-2), balance: 8_500 },
      // The draw used ten days ago was recorded yesterday: the balance moved yesterday.
      { date: shift(-1), balance: 6_500 },
      { date: TODAY, balance: 6_200 },
    ]);
  });

  it('starts at the first pool movement when the transfers are the whole ledger', () => {
    const transfers = [ownUse(100, -9), applied(10_000, -4), poolDraw(1_000, -3)];
    const history = poolBalanceHistory({ transfers, poolBalance: 9_000, today: TODAY, days: 56, complete: true });
    expect(history.map((d) => d.date)).toEqual([shift(-4), shift(-3), shift(-2), shift(-1), TODAY]);
    expect(history[0]!.balance).toBe(10_000);
    expect(poolBalanceHistory({ transfers: [ownUse(100, -9)], poolBalance: 0, today: TODAY, days: 56, complete: true })).toEqual([]);
    // Not the whole ledger: the pool may have had a balance before, so every day is shown.
    expect(poolBalanceHistory({ transfers, poolBalance: 9_000, today: TODAY, days: 56, complete: false })).toHaveLength(57);
  });

  it('counts a reversal of a draw as money back into the pool on the day it was recorded', () => {
    const draw = poolDraw(1_000, -3);
    const history = poolBalanceHistory({ transfers: [draw, reversalOf(draw, -1)], poolBalance: 5_000, today: TODAY, days: 3, complete: false });
    expect(history.map((d) => d.balance)).toEqual([4_000, 4_000, 5_000, 5_000]);
  });
});

describe('the forecast input from the ledger', () => {
  const steady = Array.from({ length: FORECAST_SCAN_DAYS + 10 }, (_, i) => -1 - i)
    .filter((d) => ![0, 6].includes(new Date(`${shift(d)}T00:00:00Z`).getUTCDay()))
    .map((d) => poolDraw(1_000, d));

  it('puts the records together and gives the same forecast as the draws themselves', () => {
    const members = [
      { member: registered('low'), own: 600 },
      { member: registered('m1'), own: 0 },
      { member: memberIn('pending', 'requested'), own: 0 },
    ];
    const transfers = [...steady, ...Array.from({ length: 28 }, (_, i) => ownUse(200, -1 - i, 'low'))];
    const purchases = [purchase('ordered', 'ordered', { ordered: at(-5) }), purchase('done', 'applied', { ordered: at(-40), applied: at(-33) })];
    const input = buildForecastInput({ today: TODAY, poolBalance: 30_000, transfers, members, purchases, policy: DEFAULT_POLICY });

    expect(input.today).toBe(TODAY);
    expect(input.poolBalance).toBe(30_000);
    expect(input.horizonDays).toBe(DEFAULT_POLICY.alerts.forecastHorizonDays);
    expect(input.dailyDraws.reduce((sum, d) => sum + d.amount, 0)).toBe(steady.length * 1_000);
    expect(input.joiningSoon).toEqual([{ memberId: 'low', ownLeft: 600, dailyRate: 200 }]);
    expect(input.incoming).toEqual([{ purchaseId: 'ordered', units: 20_000, expectedDate: '2026-11-06' }]);
    expect(input.leadTimesWorkingDays).toEqual([5]);

    const forecast = forecastPool(input);
    expect(forecast.method).toBe('history');
    expect(forecast.historyDays).toBe(FORECAST_TUNING.longWindowDays);
    // 1000 on each of five working days a week.
    expect(forecast.dailyRate).toBe(Math.round((5 * 1_000) / 7));
    expect(forecast.joiningRate).toBeGreaterThan(0);
    expect(forecast).toEqual(forecastPool({ ...input, dailyDraws: steady.map((t) => ({ date: t.date!, amount: t.amount })) }));
  });

  it('takes the horizon it is given over the policy, which also decides who counts as joining soon', () => {
    const members = [{ member: registered('low'), own: 5_000 }];
    const transfers = Array.from({ length: 28 }, (_, i) => ownUse(100, -1 - i, 'low'));
    const base = { today: TODAY, poolBalance: 0, transfers, members, purchases: [], policy: DEFAULT_POLICY };
    expect(buildForecastInput(base).joiningSoon).toHaveLength(1);
    const short = buildForecastInput({ ...base, horizonDays: 14 });
    expect(short.horizonDays).toBe(14);
    expect(short.joiningSoon).toEqual([]);
  });

  it('refuses a today that is not a date', () => {
    expect(() => buildForecastInput({ today: '2026-02-30', poolBalance: 0, transfers: [], members: [], purchases: [], policy: DEFAULT_POLICY })).toThrow(RangeError);
  });
});
