import { describe, expect, it } from 'vitest';
import type { Lot } from '../../../src/core/purchases/index.js';
import {
  SYSTEM_ACCOUNTS,
  UNITS_PER_CREDIT,
  creditsToUnits,
  drawFromLots,
  emptyLedgerState,
  hasAtMostTwoDecimals,
  isMemberAccount,
  isUnits,
  mayGoNegative,
  memberAccount,
  memberIdOf,
  poolLowThreshold,
  unitsToCredits,
} from '../../../src/core/ledger/index.js';
import {
  DAY_YEARS,
  DEFAULT_POLICY,
  isDayInYears,
  isKnownService,
  isWorkingDay,
  workingDaysBetween,
  withUnit,
} from '../../../src/core/policy/index.js';
import { policyWith } from './helpers.js';

describe('money: amounts are integer units, 1 credit = 100 units', () => {
  it('has 100 units per credit', () => {
    expect(UNITS_PER_CREDIT).toBe(100);
    expect(creditsToUnits(1)).toBe(100);
    expect(creditsToUnits(100)).toBe(10_000);
  });

  it.each([
    [0, 0],
    [0.01, 1],
    [0.1, 10],
    [0.29, 29], // 0.29 * 100 is 28.999999999999996 in floats
    [1.15, 115], // 1.15 * 100 is 114.99999999999999
    [12.5, 1250],
    [12.34, 1234],
    [19.99, 1999],
    [4.35, 435],
    [1234567.89, 123456789],
  ])('creditsToUnits(%s) = %s, an integer', (credits, units) => {
    const got = creditsToUnits(credits);
    expect(got).toBe(units);
    expect(Number.isInteger(got)).toBe(true);
  });

  it('converts units back to credits', () => {
    expect(unitsToCredits(1)).toBe(0.01);
    expect(unitsToCredits(1250)).toBe(12.5);
    expect(unitsToCredits(0)).toBe(0);
    expect(unitsToCredits(-150)).toBe(-1.5);
  });

  it.each([
    [0, true],
    [1, true],
    [0.01, true],
    [0.1, true],
    [12.5, true],
    [12.34, true],
    [0.29, true],
    [1.15, true],
    [-3.25, true],
    [100000.01, true],
    [0.001, false],
    [12.345, false],
    [0.015, false],
    [1e-7, false],
    // tiny amounts are not float noise around zero: they have more than two decimals
    [1e-9, false],
    [5e-9, false],
    [0.010000001, false],
    [12.340000001, false],
    // float noise from arithmetic is tolerated
    [0.1 + 0.2, true],
    [1.1 * 3, true],
    [1e-3, false],
    [Number.NaN, false],
    [Number.POSITIVE_INFINITY, false],
    [Number.NEGATIVE_INFINITY, false],
  ])('hasAtMostTwoDecimals(%s) is %s', (credits, expected) => {
    expect(hasAtMostTwoDecimals(credits)).toBe(expected);
  });

  it('isUnits accepts safe integers only', () => {
    expect(isUnits(0)).toBe(true);
    expect(isUnits(1250)).toBe(true);
    expect(isUnits(-5)).toBe(true);
    expect(isUnits(12.5)).toBe(false);
    expect(isUnits(Number.NaN)).toBe(false);
    expect(isUnits(Number.POSITIVE_INFINITY)).toBe(false);
    expect(isUnits(2 ** 53)).toBe(false);
  });
});

describe('accounts', () => {
  it('names member accounts member:{id} and reads the id back', () => {
    const account = memberAccount('alice');
    expect(account).toBe('member:alice');
    expect(isMemberAccount(account)).toBe(true);
    expect(memberIdOf(account as `member:${string}`)).toBe('alice');
    for (const system of SYSTEM_ACCOUNTS) expect(isMemberAccount(system)).toBe(false);
  });

  it('lets only sources and sinks go below zero, never members or the pool', () => {
    expect(mayGoNegative('contract')).toBe(true);
    expect(mayGoNegative('reseller')).toBe(true);
    expect(mayGoNegative('usage')).toBe(true);
    expect(mayGoNegative('expired')).toBe(true);
    expect(mayGoNegative('pool')).toBe(false);
    expect(mayGoNegative(memberAccount('alice'))).toBe(false);
  });
});

describe('policy defaults (the KB values)', () => {
  it('has the knowledge-base defaults', () => {
    expect(DEFAULT_POLICY.unitName).toBe('Cloud Credits');
    expect(DEFAULT_POLICY.individualAllotment).toBe(100);
    expect(DEFAULT_POLICY.allotmentRenewal).toBe('once');
    expect(DEFAULT_POLICY.blockSize).toBe(100);
    expect(DEFAULT_POLICY.stuckAfterWorkingDays).toBe(2);
    expect(DEFAULT_POLICY.alerts.poolLowPercentOfLastPurchase).toBe(20);
    expect(DEFAULT_POLICY.leadTimeDays).toEqual({ min: 5, max: 7 });
    expect(DEFAULT_POLICY.workingDays).toEqual([1, 2, 3, 4, 5]);
  });

  it('knows its services', () => {
    expect(isKnownService(DEFAULT_POLICY, 'cloud_rendering')).toBe(true);
    expect(isKnownService(DEFAULT_POLICY, 'bitcoin_mining')).toBe(false);
  });
});

describe('the years a day may fall in', () => {
  it('are 2000 to 2100, both included', () => {
    expect(DAY_YEARS).toEqual({ first: 2000, last: 2100 });
    for (const day of ['2000-01-01', '2026-11-02', '2100-12-31']) expect(isDayInYears(day), day).toBe(true);
    for (const day of ['0000-01-01', '1999-12-31', '2101-01-01', '9999-12-31']) expect(isDayInYears(day), day).toBe(false);
  });
});

describe('working days', () => {
  // 2026-11-02 is a Monday.
  it('counts Monday to Friday as working days, not weekends or holidays', () => {
    expect(isWorkingDay(DEFAULT_POLICY, new Date('2026-11-02T00:00:00Z'))).toBe(true);
    expect(isWorkingDay(DEFAULT_POLICY, new Date('2026-11-06T00:00:00Z'))).toBe(true);
    expect(isWorkingDay(DEFAULT_POLICY, new Date('2026-11-07T00:00:00Z'))).toBe(false);
    expect(isWorkingDay(DEFAULT_POLICY, new Date('2026-11-08T00:00:00Z'))).toBe(false);
    const withHoliday = policyWith({ holidays: ['2026-11-03'] });
    expect(isWorkingDay(withHoliday, new Date('2026-11-03T00:00:00Z'))).toBe(false);
  });

  it.each([
    ['2026-11-02T10:00:00Z', '2026-11-02T18:00:00Z', 0], // same day
    ['2026-11-02T10:00:00Z', '2026-11-03T09:00:00Z', 1], // Mon -> Tue
    ['2026-11-02T10:00:00Z', '2026-11-04T09:00:00Z', 2], // Mon -> Wed
    ['2026-11-06T10:00:00Z', '2026-11-08T10:00:00Z', 0], // Fri -> Sun: weekend only
    ['2026-11-06T10:00:00Z', '2026-11-09T10:00:00Z', 1], // Fri -> Mon
    ['2026-11-06T10:00:00Z', '2026-11-10T10:00:00Z', 2], // Fri -> Tue
    ['2026-11-02T10:00:00Z', '2026-11-16T10:00:00Z', 10], // two weeks
    ['2026-11-04T10:00:00Z', '2026-11-02T10:00:00Z', 0], // backwards
  ])('from %s to %s is %s working days', (from, to, days) => {
    expect(workingDaysBetween(DEFAULT_POLICY, from, to)).toBe(days);
  });

  it('does not count holidays', () => {
    const policy = policyWith({ holidays: ['2026-11-09'] });
    expect(workingDaysBetween(policy, '2026-11-06T10:00:00Z', '2026-11-10T10:00:00Z')).toBe(1);
  });
});

describe('pool lots', () => {
  const lot = (id: string, units: number, remaining: number, appliedAt: string): Lot => ({ id, purchaseId: id, appliedAt, units, remaining });

  it('draws oldest lot first and splits across lots', () => {
    const lots = [lot('a', 1000, 300, '2026-01-01'), lot('b', 1000, 1000, '2026-02-01'), lot('c', 1000, 1000, '2026-03-01')];
    const { draws, uncovered } = drawFromLots(lots, 800);
    expect(uncovered).toBe(0);
    expect(draws.map((d) => [d.lot.id, d.amount, d.lot.remaining])).toEqual([
      ['a', 300, 0],
      ['b', 500, 500],
    ]);
    expect(lots[0]?.remaining).toBe(300); // inputs are not mutated
  });

  it('skips empty lots and reports what the lots cannot cover', () => {
    const lots = [lot('a', 1000, 0, '2026-01-01'), lot('b', 1000, 200, '2026-02-01')];
    const { draws, uncovered } = drawFromLots(lots, 500);
    expect(draws.map((d) => [d.lot.id, d.amount])).toEqual([['b', 200]]);
    expect(uncovered).toBe(300);
  });

  it('puts the low threshold at 20% of the most recent purchase, or of a block when there is none', () => {
    const state = emptyLedgerState();
    expect(poolLowThreshold(state, DEFAULT_POLICY)).toBe(2000); // 20% of 100 credits
    state.lots = [lot('new', 50_000, 0, '2026-03-01'), lot('old', 10_000, 0, '2026-01-01')];
    expect(poolLowThreshold(state, DEFAULT_POLICY)).toBe(10_000);
    expect(poolLowThreshold(state, policyWith({ alerts: { ...DEFAULT_POLICY.alerts, poolLowPercentOfLastPurchase: 10 } }))).toBe(5000);
  });
});

describe('withUnit', () => {
  it('presets Flex tokens with no allotment and packs that expire, keeping an expiry IT chose', () => {
    expect(withUnit(DEFAULT_POLICY, 'Flex tokens')).toMatchObject({ unitName: 'Flex tokens', individualAllotment: 0, packExpiryMonths: 12 });
    expect(withUnit({ ...DEFAULT_POLICY, packExpiryMonths: 24 }, 'Flex tokens').packExpiryMonths).toBe(24);
  });

  it('back on Cloud Credits gives an allotment of 0 the KB value and leaves the rest, and changes nothing for the same unit', () => {
    const flex = withUnit(DEFAULT_POLICY, 'Flex tokens');
    expect(withUnit(flex, 'Cloud Credits')).toEqual({ ...flex, unitName: 'Cloud Credits', individualAllotment: 100 });
    expect(withUnit({ ...flex, unitName: 'Cloud Credits', individualAllotment: 50 }, 'Cloud Credits').individualAllotment).toBe(50);
    expect(withUnit({ ...flex, individualAllotment: 5 }, 'Cloud Credits').individualAllotment).toBe(5);
  });
});
