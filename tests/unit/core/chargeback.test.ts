import { describe, expect, it } from 'vitest';
import type { Member, Transfer } from '../../../src/core/ledger/index.js';
import type { Lot } from '../../../src/core/purchases/index.js';
import type { ChargebackInput } from '../../../src/core/reports/index.js';
import { newMember } from '../../../src/core/ledger/index.js';
import { NO_GROUP, chargebackReport, reportDays, usageDay } from '../../../src/core/reports/index.js';

const AT = '2026-10-15T09:00:00.000Z';

function member(id: string, displayName: string, office?: string, department?: string): Member {
  return newMember({ id, email: `${id}@contoso.example`, displayName, now: AT, office, department });
}

const MEMBERS = [member('ann', 'Ann Lee', 'Boston', 'Structures'), member('bob', 'Bob Ruiz', 'Boston', 'MEP'), member('cy', 'Cy Obi', 'Denver')];

/** Lot A: 100 credits for 500 USD (5 a credit); lot B: 200 credits for 1,200 USD (6 a credit); lot C: 100 credits for 400 EUR; lot D: no price. */
const LOTS: Lot[] = [
  { id: 'lot-a', purchaseId: 'p-a', appliedAt: '2026-09-01T00:00:00.000Z', units: 10_000, remaining: 0, price: 500, currency: 'USD' },
  { id: 'lot-b', purchaseId: 'p-b', appliedAt: '2026-09-02T00:00:00.000Z', units: 20_000, remaining: 0, price: 1200, currency: 'USD' },
  { id: 'lot-c', purchaseId: 'p-c', appliedAt: '2026-09-03T00:00:00.000Z', units: 10_000, remaining: 0, price: 400, currency: 'EUR' },
  { id: 'lot-d', purchaseId: 'p-d', appliedAt: '2026-09-04T00:00:00.000Z', units: 10_000, remaining: 0 },
];

let n = 0;
function own(memberId: string, credits: number, extra: Partial<Transfer> = {}): Transfer {
  n++;
  return { id: `t${n}`, postingId: `p${n}`, debit: `member:${memberId}`, credit: 'usage', amount: credits * 100, code: 'usage_individual', memberId, source: 'self', actor: memberId, at: AT, ...extra };
}
function pool(memberId: string, credits: number, lotId: string, extra: Partial<Transfer> = {}): Transfer {
  return { ...own(memberId, credits, extra), debit: 'pool', code: 'usage_pool', lotId };
}
function reversalOf(original: Transfer, extra: Partial<Transfer> = {}): Transfer {
  n++;
  return { ...original, id: `t${n}`, postingId: `p${n}`, debit: original.credit, credit: original.debit, code: 'reversal', reverses: original.id, source: 'manager', actor: 'mgr', reason: 'mistake', ...extra };
}

function report(transfers: Transfer[], overrides: Partial<ChargebackInput> = {}) {
  return chargebackReport({ from: '2026-10-01', to: '2026-10-31', groupBy: 'office', transfers, lots: LOTS, members: MEMBERS, ...overrides });
}

describe('chargeback report', () => {
  it('groups own and pool use by office, with people and totals', () => {
    const r = report([own('ann', 10, { service: 'simulation' }), pool('ann', 4, 'lot-a'), own('bob', 2.5), own('cy', 7)]);
    expect(r.groups.map((g) => [g.key, g.own, g.pool, g.total, g.people])).toEqual([
      ['Boston', 1250, 400, 1650, 2],
      ['Denver', 700, 0, 700, 1],
    ]);
    expect(r.totals).toMatchObject({ own: 1950, pool: 400, total: 2350, people: 3, poolCost: [{ currency: 'USD', amount: 20 }], unpriced: 0 });
  });

  it('groups by department, project, service and person, unknown keys under "(none)"', () => {
    const transfers = [own('ann', 1, { project: 'Tower', service: 'simulation' }), own('cy', 2), pool('bob', 3, 'lot-a', { project: 'Tower' })];
    const keys = (groupBy: ChargebackInput['groupBy']) => Object.fromEntries(report(transfers, { groupBy }).groups.map((g) => [g.label, g.total]));
    expect(keys('department')).toEqual({ MEP: 300, Structures: 100, [NO_GROUP]: 200 });
    expect(keys('project')).toEqual({ Tower: 400, [NO_GROUP]: 200 });
    expect(keys('service')).toEqual({ simulation: 100, [NO_GROUP]: 500 });
    expect(keys('person')).toEqual({ 'Bob Ruiz': 300, 'Cy Obi': 200, 'Ann Lee': 100 });
    expect(report(transfers, { groupBy: 'person' }).groups[0]).toMatchObject({ key: 'bob', label: 'Bob Ruiz' });
  });

  it('falls back to the office on the entry, and "(none)" for a member nobody knows', () => {
    const r = report([own('ghost', 1, { office: 'Seattle' }), own('ghost2', 2)]);
    expect(r.groups.map((g) => [g.key, g.total])).toEqual([
      [NO_GROUP, 200],
      ['Seattle', 100],
    ]);
    expect(report([own('ghost', 1)], { groupBy: 'person' }).groups[0]).toMatchObject({ key: 'ghost', label: 'ghost' });
  });

  it('nets reversals out: a reversed usage counts zero, in its group and the totals', () => {
    const wrong = pool('ann', 50, 'lot-a');
    const kept = own('ann', 5);
    const r = report([kept, wrong, reversalOf(wrong, { at: '2026-11-03T10:00:00.000Z' })]);
    expect(r.groups).toEqual([{ key: 'Boston', label: 'Boston', own: 500, pool: 0, total: 500, people: 1, poolCost: [], unpriced: 0 }]);
    expect(r.totals.poolCost).toEqual([]);
    // A group left with nothing but reversed entries does not appear.
    const only = pool('cy', 3, 'lot-a');
    expect(report([only, reversalOf(only)]).groups).toEqual([]);
  });

  it('costs pool use at the price of the lot it came from, summed per currency', () => {
    // 10 from lot A at 5 USD, 15 from lot B at 6 USD, 2.5 from lot C at 4 EUR.
    const r = report([pool('ann', 10, 'lot-a'), pool('ann', 15, 'lot-b'), pool('cy', 2.5, 'lot-c')]);
    expect(r.totals.poolCost).toEqual([
      { currency: 'EUR', amount: 10 },
      { currency: 'USD', amount: 140 },
    ]);
    expect(r.groups.find((g) => g.key === 'Boston')!.poolCost).toEqual([{ currency: 'USD', amount: 140 }]);
    expect(r.groups.find((g) => g.key === 'Denver')!.poolCost).toEqual([{ currency: 'EUR', amount: 10 }]);
  });

  it('rounds cost to the cent only at the end', () => {
    const thirds: Lot = { id: 'lot-t', purchaseId: 'p-t', appliedAt: AT, units: 30_000, remaining: 0, price: 1000, currency: 'USD' };
    // Three draws of 1 credit at 1000/300 each: 3.333… ×3 = 10.00, not 3 × 3.33.
    const r = report([pool('ann', 1, 'lot-t'), pool('ann', 1, 'lot-t'), pool('ann', 1, 'lot-t')], { lots: [thirds] });
    expect(r.totals.poolCost).toEqual([{ currency: 'USD', amount: 10 }]);
  });

  it('counts draws from lots without a price (or unknown lots) as unpriced', () => {
    const r = report([pool('ann', 4, 'lot-d'), pool('ann', 1, 'lot-gone'), pool('ann', 2, 'lot-a')]);
    expect(r.totals).toMatchObject({ pool: 700, unpriced: 500, poolCost: [{ currency: 'USD', amount: 10 }] });
  });

  it('takes the usage day, else the recording day, both ends of the range included', () => {
    const transfers = [
      own('ann', 1, { date: '2026-09-30', at: '2026-10-02T08:00:00.000Z' }),
      own('ann', 2, { date: '2026-10-01' }),
      own('ann', 4, { at: '2026-10-31T23:59:00.000Z' }),
      own('ann', 8, { at: '2026-11-01T00:00:00.000Z' }),
    ];
    expect(report(transfers).totals.total).toBe(600);
    expect(usageDay(transfers[0]!)).toBe('2026-09-30');
  });

  it('ignores allotments and purchases, and an empty range gives empty groups and zero totals', () => {
    const allot: Transfer = { ...own('ann', 100), debit: 'contract', credit: 'member:ann', code: 'allotment_granted' };
    const bought: Transfer = { ...own('ann', 100), debit: 'reseller', credit: 'pool', code: 'purchase_applied', lotId: 'lot-a' };
    const r = report([allot, bought, own('ann', 3, { date: '2026-12-01' })]);
    expect(r).toEqual({
      from: '2026-10-01',
      to: '2026-10-31',
      groupBy: 'office',
      groups: [],
      totals: { own: 0, pool: 0, total: 0, people: 0, poolCost: [], unpriced: 0 },
    });
  });

  it('counts days with both ends', () => {
    expect(reportDays('2026-10-01', '2026-10-01')).toBe(1);
    expect(reportDays('2024-01-01', '2024-12-31')).toBe(366);
    expect(reportDays('2026-10-02', '2026-10-01')).toBe(0);
  });
});
