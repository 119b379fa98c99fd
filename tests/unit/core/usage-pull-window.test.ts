import { describe, expect, it } from 'vitest';
import { dayNumber, dayString } from '../../../src/core/policy/index.js';
import type { PullRule } from '../../../src/core/usage-pull/index.js';
import { DEFAULT_PULL_RULE, MAX_PULL_DAYS, SETTLING_MODE, nextRun, parseSchedule, pullRuleProblem, pullWindow as window, windowDays } from '../../../src/core/usage-pull/index.js';

describe('pullWindow, Token Flex (charges with stable ids: the settling days are read again)', () => {
  const pullWindow = (today: string, last: string | null, rule: PullRule) => window(today, last, rule, SETTLING_MODE.token_flex);

  it('brings the backfill the first time, up to yesterday', () => {
    const window = pullWindow('2026-11-20', null, DEFAULT_PULL_RULE);
    expect(window).toEqual({ from: '2026-08-22', to: '2026-11-19' });
    expect(windowDays(window!)).toBe(90);
  });

  it('asks again for the last settling days already imported, then the days since', () => {
    expect(pullWindow('2026-11-20', '2026-11-18', { settlingDays: 3, backfillDays: 90 })).toEqual({ from: '2026-11-16', to: '2026-11-19' });
  });

  it('crosses month and year ends', () => {
    expect(pullWindow('2027-01-01', '2026-12-30', { settlingDays: 3, backfillDays: 90 })).toEqual({ from: '2026-12-28', to: '2026-12-31' });
    expect(pullWindow('2028-03-01', null, { settlingDays: 3, backfillDays: 2 })).toEqual({ from: '2028-02-28', to: '2028-02-29' });
  });

  it('has nothing to ask for once yesterday is imported and nothing settles', () => {
    expect(pullWindow('2026-11-20', '2026-11-19', { settlingDays: 0, backfillDays: 90 })).toBeNull();
    expect(pullWindow('2026-11-20', '2026-11-19', { settlingDays: 1, backfillDays: 90 })).toEqual({ from: '2026-11-19', to: '2026-11-19' });
  });

  it('never asks for more than a year, however long the source was left alone', () => {
    const window = pullWindow('2026-11-20', '2024-01-01', DEFAULT_PULL_RULE);
    expect(window).toEqual({ from: '2025-11-20', to: '2026-11-19' });
    expect(windowDays(window!)).toBe(MAX_PULL_DAYS);
  });
});

describe('pullWindow, usage insights (daily totals: a day is read once, settled)', () => {
  const pullWindow = (today: string, last: string | null, rule: PullRule) => window(today, last, rule, SETTLING_MODE.usage_insights);
  const rule: PullRule = { settlingDays: 3, backfillDays: 90 };

  it('brings the backfill the first time, ending at the last day older than the settling window', () => {
    const window = pullWindow('2026-11-20', null, rule);
    // 11-17, 11-18 and 11-19 may still grow: not asked for yet.
    expect(window).toEqual({ from: '2026-08-19', to: '2026-11-16' });
    expect(windowDays(window!)).toBe(90);
  });

  it('asks for the days after the last imported one, never one already imported', () => {
    expect(pullWindow('2026-11-20', '2026-11-12', rule)).toEqual({ from: '2026-11-13', to: '2026-11-16' });
    // Pulled daily: each day once, the day that has just settled.
    expect(pullWindow('2026-11-20', '2026-11-15', rule)).toEqual({ from: '2026-11-16', to: '2026-11-16' });
  });

  it('has nothing to ask for while the days after the last imported one are still settling', () => {
    expect(pullWindow('2026-11-20', '2026-11-16', rule)).toBeNull();
    // Imported further under an earlier rule: nothing until those days are behind the settling window.
    expect(pullWindow('2026-11-20', '2026-11-19', rule)).toBeNull();
    expect(pullWindow('2026-11-24', '2026-11-19', rule)).toEqual({ from: '2026-11-20', to: '2026-11-20' });
  });

  it('with no settling window, reads up to yesterday', () => {
    expect(pullWindow('2026-11-20', '2026-11-18', { settlingDays: 0, backfillDays: 90 })).toEqual({ from: '2026-11-19', to: '2026-11-19' });
  });

  it('crosses month and year ends, and never asks for more than a year', () => {
    expect(pullWindow('2027-01-03', '2026-12-27', rule)).toEqual({ from: '2026-12-28', to: '2026-12-30' });
    const window = pullWindow('2026-11-20', '2024-01-01', rule);
    expect(window).toEqual({ from: '2025-11-17', to: '2026-11-16' });
    expect(windowDays(window!)).toBe(MAX_PULL_DAYS);
  });

  it('pulled every day, reads each day exactly once, and only once it is older than the settling window', () => {
    let last: string | null = '2026-10-31';
    const read: string[] = [];
    for (let day = 1; day <= 30; day++) {
      const today = `2026-11-${String(day).padStart(2, '0')}`;
      const window = pullWindow(today, last, rule);
      if (!window) continue;
      for (let d = window.from; d <= window.to; d = next(d)) {
        expect(d < addDays(today, -rule.settlingDays)).toBe(true);
        read.push(d);
      }
      last = window.to;
    }
    expect(new Set(read).size).toBe(read.length);
    expect(read[0]).toBe('2026-11-01');
    expect(read.at(-1)).toBe('2026-11-26');
  });
});

describe('pull rules', () => {
  it('refuses rules that are not whole days in range', () => {
    expect(pullRuleProblem(DEFAULT_PULL_RULE)).toBeNull();
    expect(pullRuleProblem({ settlingDays: 3, backfillDays: 366 })).toMatch(/1 to 365/);
    expect(pullRuleProblem({ settlingDays: -1, backfillDays: 90 })).toMatch(/0 to 30/);
    expect(pullRuleProblem({ settlingDays: 1.5, backfillDays: 90 })).toMatch(/whole number/);
    expect(pullRuleProblem({ settlingDays: Number.NaN, backfillDays: 90 })).not.toBeNull();
  });
});

const addDays = (day: string, days: number) => dayString(dayNumber(day) + days);
const next = (day: string) => addDays(day, 1);

describe('NCRONTAB schedules', () => {
  const next = (expression: string, after: string) => {
    const parsed = parseSchedule(expression);
    if (!parsed.ok) throw new Error(parsed.problem);
    return nextRun(parsed.schedule, new Date(after))?.toISOString() ?? null;
  };

  it('finds the next daily run, today or tomorrow', () => {
    expect(next('0 0 4 * * *', '2026-11-20T03:59:59.000Z')).toBe('2026-11-20T04:00:00.000Z');
    expect(next('0 0 4 * * *', '2026-11-20T04:00:00.000Z')).toBe('2026-11-21T04:00:00.000Z');
  });

  it('reads steps, ranges, lists and days of the week', () => {
    expect(next('0 */15 * * * *', '2026-11-20T10:16:00.000Z')).toBe('2026-11-20T10:30:00.000Z');
    expect(next('30 5 6,18 * * *', '2026-11-20T07:00:00.000Z')).toBe('2026-11-20T18:05:30.000Z');
    // 2026-11-20 is a Friday: the next Monday to Wednesday at 02:00 is the 23rd.
    expect(next('0 0 2 * * 1-3', '2026-11-20T07:00:00.000Z')).toBe('2026-11-23T02:00:00.000Z');
    expect(next('0 0 0 29 2 *', '2026-03-01T00:00:00.000Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('never runs on a day that does not exist', () => {
    expect(next('0 0 0 31 2 *', '2026-01-01T00:00:00.000Z')).toBeNull();
  });

  it('refuses what is not NCRONTAB, saying why', () => {
    const refused = (expression: string) => {
      const parsed = parseSchedule(expression);
      return parsed.ok ? null : parsed.problem;
    };
    expect(refused('0 4 * * *')).toMatch(/six/);
    expect(refused('0 0 25 * * *')).toMatch(/hour/);
    expect(refused('0 0 4 * * mon')).toMatch(/day-of-week/);
  });
});
