import { describe, expect, it } from 'vitest';
import type { FrontierPoint } from '../../load/backtest.js';
import { ORACLE_SETTINGS, oracleExcessAt, stockoutCause } from '../../load/backtest.js';

const point = (stockout_days: number, excess_days: number): FrontierPoint => ({ setting: 0, stockout_days, excess_days, stockout_scenarios: 0, stock_on_hand_days: 0, orders: 0, blocks_bought: 0, stockout_causes: { first_slow_delivery: 0, slow_delivery_seen_before: 0, spike: 0, demand: 0 } });

describe('the oracle frontier the forecast is compared against (forecast_vs_oracle_excess)', () => {
  // Seed 20260301's oracle frontier in the first round: safety settings 0.01 … 1e-6.
  const oracle = [point(43, 13.18), point(11, 18.45), point(2, 22.82), point(1, 27.2), point(1, 31.24)];

  it('at a stock-out count the oracle hit exactly: that point', () => {
    expect(oracleExcessAt(oracle, 2)).toBe(22.82);
    expect(oracleExcessAt(oracle, 11)).toBe(18.45);
  });

  it('between two settings: linear in stock-out days between the safe point and the next cheaper one', () => {
    // 5 stock-out days: two thirds of the way from (11, 18.45) to (2, 22.82).
    expect(oracleExcessAt(oracle, 5)).toBe(21.36);
  });

  it('a dominated point (more stock-outs and more excess) is not the one interpolated from', () => {
    const withDominated = [point(2, 23), point(12, 19), point(11, 18)];
    expect(oracleExcessAt(withDominated, 5)).toBe(21.33);
    expect(oracleExcessAt(oracle, 1)).toBe(27.2);
  });

  it('beyond its cheapest setting: the cheapest point; below its safest: none', () => {
    expect(oracleExcessAt(oracle, 100)).toBe(13.18);
    expect(oracleExcessAt(oracle, 0)).toBeNull();
  });

  it('the oracle runs at settings at most half a decade apart, so that the line between two is close to its frontier', () => {
    const sorted = [...ORACLE_SETTINGS].sort((a, b) => b - a);
    expect(sorted.length).toBeGreaterThan(1);
    // 1, 3, 10: no step more than 10/3.
    for (let i = 1; i < sorted.length; i++) expect((sorted[i - 1] as number) / (sorted[i] as number)).toBeLessThanOrEqual(10 / 3 + 1e-9);
  });
});

describe('why a stock-out day happened (the frontier points\' stockout_causes)', () => {
  const day = { leadOnItsWay: 6 as number | null, documentedMaxLead: 7, slowDeliveriesBefore: 0, spikeWithinDays: false };

  it('an order on its way slower than the documented delays: the first such, or one after a slow delivery was seen', () => {
    expect(stockoutCause({ ...day, leadOnItsWay: 12 })).toBe('first_slow_delivery');
    expect(stockoutCause({ ...day, leadOnItsWay: 12, slowDeliveriesBefore: 1, spikeWithinDays: true })).toBe('slow_delivery_seen_before');
  });

  it('a delivery within the documented delays (or none on its way): a spike if one ran lately, else the demand', () => {
    expect(stockoutCause({ ...day, leadOnItsWay: 7, spikeWithinDays: true })).toBe('spike');
    expect(stockoutCause({ ...day, leadOnItsWay: null })).toBe('demand');
    expect(stockoutCause(day)).toBe('demand');
  });
});
