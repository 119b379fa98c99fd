import { describe, expect, it } from 'vitest';
import type { Transfer } from '../../../src/core/ledger/index.js';
import { FORECAST_SCAN_DAYS } from '../../../src/core/forecast/index.js';
import { newMember } from '../../../src/core/ledger/index.js';
import { DEFAULT_POLICY, dayNumber, dayString } from '../../../src/core/policy/index.js';
import { PoolForecastResponse } from '../../../src/contract/index.js';
import { MemoryTableAdapter } from '../../../server/adapters/memory/memory-table.js';
import { TableLedgerStore } from '../../../server/adapters/table-storage/table-ledger-store.js';
import type { AppResult } from '../../../server/app/app-result.js';
import type { Caller } from '../../../server/app/caller.js';
import type { AppDeps } from '../../../server/app/deps.js';
import { getPoolForecast, loadForecast } from '../../../server/app/forecast.js';
import { purchaseEvent, startPurchase } from '../../../server/app/purchases.js';
import { registrationEvent } from '../../../server/app/registrations.js';
import { reverse } from '../../../server/app/reversals.js';
import { postUsage } from '../../../server/app/usage.js';
import type { Clock } from '../../../server/ports/clock.js';
import { newestFirstIds } from '../../../server/ports/ids.js';
import type { LedgerStore } from '../../../server/ports/ledger-store.js';
import { NO_DIRECTORY } from '../../support/directory.js';

const TENANT = 't1';
const DAY = 86_400_000;
/** A Monday, 09:00 UTC. */
const NOW = Date.parse('2026-11-02T09:00:00.000Z');
const TODAY = '2026-11-02';
const day = (offset: number) => dayString(dayNumber(TODAY) + offset);

const manager: Caller = { tenant: TENANT, id: 'am', email: 'am@x.example', displayName: 'AM', roles: ['AccountManager'] };
const person = (i: number): Caller => ({ tenant: TENANT, id: `p${i}`, email: `p${i}@x.example`, displayName: `Person ${i}`, roles: [] });

class TestClock implements Clock {
  time = NOW;
  now() {
    return new Date(this.time);
  }
}

let counter = 0;
const write = () => ({ idempotency: { caller: 'x', key: `k${++counter}`, fingerprint: `f${counter}` } });

function must(result: AppResult): { value: any } {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result;
}

/** A ledger on the in-memory table with `people` registered 100 days ago; `at(daysAgo)` moves the clock. */
async function setup(people = 3) {
  const clock = new TestClock();
  const store = new TableLedgerStore({ table: new MemoryTableAdapter(), clock, ids: newestFirstIds(() => clock.now().getTime()), defaultPolicy: DEFAULT_POLICY });
  const deps: AppDeps = { store, directory: NO_DIRECTORY, clock, defaultPolicy: DEFAULT_POLICY };
  const at = (daysAgo: number) => {
    clock.time = NOW - daysAgo * DAY;
  };
  at(100);
  for (let i = 0; i < people; i++) {
    const p = person(i);
    await store.ensureMember(TENANT, newMember({ id: p.id, email: p.email, displayName: p.displayName, now: clock.now().toISOString() }));
    must(await registrationEvent(deps, manager, write(), p.id, { type: 'already_registered' }));
  }
  /** Buys `blocks` blocks: ordered `orderedDaysAgo`, applied `appliedDaysAgo` (null: left ordered). */
  const buy = async (blocks: number, orderedDaysAgo: number, appliedDaysAgo: number | null) => {
    at(orderedDaysAgo);
    const id = must(await startPurchase(deps, manager, write(), { blocks })).value.purchase.id as string;
    for (const step of [{ type: 'quote_received', quoteNumber: 'Q', price: 1, currency: 'USD' }, { type: 'approved' }, { type: 'ordered', poNumber: 'P' }] as const) {
      must(await purchaseEvent(deps, manager, write(), id, step));
    }
    if (appliedDaysAgo !== null) {
      at(appliedDaysAgo);
      must(await purchaseEvent(deps, manager, write(), id, { type: 'applied' }));
    }
    at(0);
    return id;
  };
  /** Logs `credits` of usage by person i, used and recorded `daysAgo` (or used `usedDaysAgo`). */
  const use = async (i: number, credits: number, daysAgo: number, usedDaysAgo = daysAgo) => {
    at(daysAgo);
    const posted = must(await postUsage(deps, person(i), write(), { service: 'simulation', credits, date: day(-usedDaysAgo) }));
    at(0);
    return posted.value as { postingId: string; fromOwn: number; fromPool: number };
  };
  const forecast = async (caller: Caller = manager, query: { horizonDays?: number } = {}) => {
    at(0);
    const body = must(await getPoolForecast(deps, caller, query)).value;
    // What the use case answers is what the contract promises.
    return PoolForecastResponse.parse(body);
  };
  return { clock, store, deps, at, buy, use, forecast };
}

describe('pool forecast use case', () => {
  it('with no draws yet: no rate, no run-out date, nothing to order, a flat projection', async () => {
    const { buy, forecast } = await setup(1);
    await buy(2, 12, 10);
    const f = await forecast();
    expect(f).toMatchObject({
      today: TODAY,
      poolBalance: 200,
      method: 'no-usage',
      historyDays: 0,
      dailyRate: 0,
      zeroDate: null,
      orderByDate: null,
      orderNow: false,
      recommendedBlocks: 0,
      joiningSoon: 0,
      horizonDays: DEFAULT_POLICY.alerts.forecastHorizonDays,
    });
    expect(f.projection).toHaveLength(60);
    expect(new Set(f.projection.map((d) => d.expected))).toEqual(new Set([200]));
    // The whole ledger was read, so the balance history starts with the purchase.
    expect(f.balanceHistory[0]).toEqual({ date: day(-10), balance: 200 });
    expect(f.balanceHistory.at(-1)).toEqual({ date: TODAY, balance: 200 });
    expect(f.balanceHistory).toHaveLength(11);
  });

  it('with an empty ledger: an empty pool and no history', async () => {
    const { forecast } = await setup(0);
    const f = await forecast();
    expect(f).toMatchObject({ poolBalance: 0, method: 'no-usage', historyDays: 0, orderNow: false, zeroDate: null, recommendedBlocks: 0 });
    expect(f.balanceHistory).toEqual([]);
  });

  it('with a single day of draws: the simple rate of that day, low confidence, and order now', async () => {
    const { buy, use, forecast } = await setup(1);
    await buy(1, 8, 5);
    await use(0, 100, 3); // own credits used up
    const draw = await use(0, 30, 1);
    expect(draw.fromPool).toBe(30);
    const f = await forecast();
    expect(f).toMatchObject({ poolBalance: 70, method: 'simple-rate', historyDays: 1, confidence: 'low', dailyRate: 30, leadTimeSource: 'policy', leadTimeDays: 7 });
    // 70 → 40 at the end of today, 10 tomorrow, gone the day after.
    expect(f.projection.slice(0, 3).map((d) => d.expected)).toEqual([40, 10, -20]);
    expect(f.zeroDate).toBe(day(2));
    expect(f.orderNow).toBe(true);
    // 30 a day over the 60-day horizon and the lead time (7 working days from Monday: 9 calendar days), less the 70 left.
    expect(f.recommendedBlocks).toBe(Math.ceil((30 * 69 - 70) / DEFAULT_POLICY.blockSize));
    expect(f.recommendedCredits).toBe(f.recommendedBlocks * DEFAULT_POLICY.blockSize);
    // The band is around the expected line, wider as it goes.
    for (const d of f.projection) expect(d.low <= d.expected && d.expected <= d.high).toBe(true);
    expect(f.projection[30]!.expected - f.projection[30]!.low).toBeGreaterThan(f.projection[1]!.expected - f.projection[1]!.low);
  });

  it('counts a draw on the day it was used, and leaves out a reversed draw', async () => {
    const { store, deps, buy, use, forecast } = await setup(1);
    await buy(1, 8, 5);
    await use(0, 100, 3);
    // Used yesterday, logged this morning.
    await use(0, 30, 0, 1);
    const mistake = await use(0, 50, 0, 1);
    const page = await store.listTransfers(TENANT, {}, { limit: 10 });
    const drawn = page.items.find((t: Transfer) => t.postingId === mistake.postingId && t.code === 'usage_pool')!;
    must(await reverse(deps, manager, write(), drawn.id, { reason: 'Logged twice' }));
    const f = await forecast();
    expect(f).toMatchObject({ poolBalance: 70, method: 'simple-rate', historyDays: 1, dailyRate: 30 });
    // The balance moved on the day the entries were recorded: today.
    expect(f.balanceHistory.slice(-2)).toEqual([
      { date: day(-1), balance: 100 },
      { date: TODAY, balance: 70 },
    ]);
  });

  it('right after a refill: the new balance, no order due, and the refill in the balance history', async () => {
    const { buy, use, forecast, deps } = await setup(1);
    await buy(1, 35, 30);
    await use(0, 100, 29);
    for (let d = 21; d >= 1; d--) await use(0, 4, d);
    const before = await forecast();
    expect(before).toMatchObject({ poolBalance: 16, method: 'history', historyDays: 21, dailyRate: 4, zeroDate: day(3), orderNow: true });

    // Ordered nine days ago, applied this morning.
    await buy(5, 9, 0);
    const after = await forecast();
    expect(after).toMatchObject({ poolBalance: 516, method: 'history', dailyRate: 4, zeroDate: null, orderByDate: null, orderNow: false, recommendedBlocks: 0 });
    expect(after.projection[0]).toMatchObject({ date: TODAY, expected: 512 });
    expect(after.projection.at(-1)!.expected).toBe(516 - 4 * 60);
    expect(after.balanceHistory.slice(-3)).toEqual([
      { date: day(-2), balance: 20 },
      { date: day(-1), balance: 16 },
      { date: TODAY, balance: 516 },
    ]);
    const loaded = await loadForecast(deps, TENANT, new Date(NOW));
    expect(loaded.lastAppliedPurchase).toMatchObject({ blocks: 5, units: 50_000, appliedAt: new Date(NOW).toISOString() });
    expect(loaded.forecast.orderNow).toBe(false);
  });

  it('counts members about to use up their own credits, and purchases on their way', async () => {
    const { buy, use, forecast } = await setup(3);
    await buy(2, 20, 15);
    await use(0, 100, 14);
    for (let d = 14; d >= 1; d--) await use(0, 5, d);
    const without = await forecast();
    // Person 1 has 10 of their own left at 5 a day: they join within days. Person 2 has not used anything.
    for (let d = 18; d >= 1; d--) await use(1, 5, d);
    const withJoiner = await forecast();
    expect(without.joiningSoon).toBe(0);
    expect(withJoiner.joiningSoon).toBe(1);
    expect(withJoiner.joiningRate).toBeGreaterThan(0);
    expect(withJoiner.projection[20]!.expected).toBeLessThan(without.projection[20]!.expected);

    // A purchase of 3 blocks ordered on Friday lands seven working days later.
    await buy(3, 3, null);
    const withIncoming = await forecast();
    const expected = '2026-11-10';
    expect(withIncoming.incoming).toEqual([{ credits: 300, expectedDate: expected }]);
    const landing = withIncoming.projection.findIndex((d) => d.date === expected);
    expect(withIncoming.projection[landing]!.expected - withIncoming.projection[landing - 1]!.expected).toBeGreaterThan(250);
    expect(withIncoming.projection[landing - 1]!.expected).toBe(withJoiner.projection[landing - 1]!.expected);
  });

  it('gives employees the same forecast, with no names or ids of people in it', async () => {
    const { buy, use, forecast } = await setup(2);
    await buy(1, 8, 5);
    await use(0, 100, 3);
    await use(0, 10, 1);
    const forManager = await forecast(manager);
    const forEmployee = await forecast(person(1));
    expect(forEmployee).toEqual(forManager);
    expect(JSON.stringify(forEmployee)).not.toMatch(/p0|Person 0|x\.example/);
  });

  it('takes the horizon from the query', async () => {
    const { buy, use, forecast } = await setup(1);
    await buy(1, 8, 5);
    await use(0, 100, 3);
    await use(0, 10, 1);
    const f = await forecast(manager, { horizonDays: 14 });
    expect(f.horizonDays).toBe(14);
    expect(f.projection).toHaveLength(14);
    expect(f.projection.at(-1)!.date).toBe(day(13));
  });
});

describe('how far back the forecast reads', () => {
  /** A store with nothing but transfers, one every `spacingHours` back from now, that counts what is read. */
  function transferStore(count: number, spacingHours: number) {
    const transfers: Transfer[] = Array.from({ length: count }, (_, i) => ({
      id: `x${String(i).padStart(6, '0')}`,
      postingId: `x${i}`,
      debit: 'pool',
      credit: 'usage',
      amount: 100,
      code: 'usage_pool',
      memberId: 'm',
      source: 'self',
      actor: 'm',
      at: new Date(NOW - (i + 1) * spacingHours * 3_600_000).toISOString(),
    }));
    const read = { transfers: 0, pages: 0 };
    const empty = async () => ({ items: [], nextCursor: null });
    const store = {
      getBalance: async () => 1_000_000,
      getSettings: async () => undefined,
      listMembers: empty,
      listPurchases: empty,
      listLots: async () => [],
      listTransfers: async (_tenant: string, _filter: unknown, page: { cursor?: string | undefined; limit?: number | undefined }) => {
        const from = Number(page.cursor ?? 0);
        const items = transfers.slice(from, from + (page.limit ?? 50));
        read.transfers += items.length;
        read.pages++;
        return { items, nextCursor: from + items.length < transfers.length ? String(from + items.length) : null };
      },
    } as unknown as LedgerStore;
    const clock = { now: () => new Date(NOW) };
    const deps: AppDeps = { store, directory: NO_DIRECTORY, clock, defaultPolicy: DEFAULT_POLICY };
    return { deps, read };
  }

  it('stops at the page that reaches past the history window', async () => {
    // One draw an hour for a year: the window needs about 58 days of them.
    const { deps, read } = transferStore(24 * 365, 1);
    const loaded = await loadForecast(deps, TENANT, new Date(NOW));
    const needed = FORECAST_SCAN_DAYS * 24;
    expect(read.transfers).toBeGreaterThanOrEqual(needed);
    expect(read.transfers).toBeLessThan(needed + 500);
    // Older draws in the last page read tell the forecast that the history is long.
    expect(loaded.forecast.historyDays).toBe(56);
    expect(loaded.forecast.dailyRate).toBe(2_400);
    expect(loaded.balanceHistory).toHaveLength(57);
  });

  it('reads the whole ledger when it is shorter than the window', async () => {
    const { deps, read } = transferStore(30, 24);
    const loaded = await loadForecast(deps, TENANT, new Date(NOW));
    expect(read.transfers).toBe(30);
    expect(loaded.forecast.historyDays).toBe(30);
    // The whole ledger was read: the balance history starts at the first movement.
    expect(loaded.balanceHistory[0]!.date).toBe(day(-30));
  });
});
