import { describe, expect, it } from 'vitest';
import type { Transfer } from '../../../../src/core/ledger/index.js';
import type { ImportRowToPost, UsageRow } from '../../../../src/core/usage-import/index.js';
import {
  dailyTotalChange,
  dailyTotalId,
  dayKey,
  importedAmounts,
  isDailyTotalId,
  isLegacyRowId,
  postsDailyTotals,
  rowFate,
  rowId,
} from '../../../../src/core/usage-import/index.js';

/** Daily totals (Autodesk Account's usage report): known by person, product, feature and day, never by amount. */
const usage = (overrides: Partial<UsageRow> = {}): UsageRow => ({
  line: 2,
  date: '2026-06-01',
  person: { kind: 'email', email: 'ana@firm.example' },
  service: 'Generative Design',
  product: 'Fusion',
  amount: 1200,
  content: 'x',
  ...overrides,
});

describe('dailyTotalId', () => {
  it("is the day key, 't' and 23 hex digits: neither a row's id nor a legacy one", () => {
    const id = dailyTotalId(usage());
    expect(id).toMatch(/^[0-9a-z]{12}t[0-9a-f]{23}$/);
    expect(id.slice(0, 12)).toBe(dayKey('2026-06-01'));
    expect(isDailyTotalId(id)).toBe(true);
    expect(isLegacyRowId(id)).toBe(false);
    expect(isDailyTotalId(rowId(usage(), 0))).toBe(false);
  });

  it('stays the same when the amount, the names or the team change, and differs by person, product, feature or day', () => {
    const id = dailyTotalId(usage());
    expect(dailyTotalId(usage({ amount: 1500, personName: 'Ana Lima', team: 'Studio', service: 'GENERATIVE DESIGN' }))).toBe(id);
    expect(dailyTotalId(usage({ person: { kind: 'email', email: 'ben@firm.example' } }))).not.toBe(id);
    expect(dailyTotalId(usage({ product: 'Revit' }))).not.toBe(id);
    expect(dailyTotalId(usage({ service: 'Simulation' }))).not.toBe(id);
    expect(dailyTotalId(usage({ date: '2026-06-02' }))).not.toBe(id);
  });

  it('is used for the usage report only: Token Flex charges and cloud services jobs keep their own rows', () => {
    expect(postsDailyTotals('usage_report_2026')).toBe(true);
    expect(postsDailyTotals('usage_report_legacy')).toBe(true);
    expect(postsDailyTotals('token_flex_api')).toBe(false);
    expect(postsDailyTotals('cloud_services')).toBe(false);
    expect(postsDailyTotals('custom')).toBe(false);
  });
});

describe('dailyTotalChange', () => {
  it('posts a new total, only the growth of a larger one, nothing for the same or a lower one', () => {
    expect(dailyTotalChange(1200, undefined)).toEqual({ kind: 'new', amount: 1200 });
    expect(dailyTotalChange(1500, 1200)).toEqual({ kind: 'grown', amount: 300 });
    expect(dailyTotalChange(1500, 1500)).toEqual({ kind: 'same' });
    expect(dailyTotalChange(1300, 1500)).toEqual({ kind: 'lower', posted: 1500, total: 1300 });
  });
});

const transfer = (overrides: Partial<Transfer>): Transfer => ({
  id: 'p1.00',
  postingId: 'p1',
  debit: 'member:ana',
  credit: 'usage',
  amount: 100,
  code: 'usage_individual',
  memberId: 'ana',
  source: 'import:first',
  actor: 'am',
  at: '2026-06-02T00:00:00.000Z',
  ...overrides,
});

describe('importedAmounts', () => {
  it('adds up what each row id took as usage, own credits and pool; other transfers only mark the id as in', () => {
    const amounts = importedAmounts(
      [
        transfer({ importRowId: 'k', amount: 700 }),
        transfer({ id: 'p1.01', importRowId: 'k', debit: 'pool', amount: 500, code: 'usage_pool' }),
        transfer({ id: 'p1.02', importRowId: 'h', debit: 'held:ana', credit: 'member:ana', amount: 300, code: 'hold_released' }),
      ],
      'import:now',
    );
    expect(amounts).toEqual(new Map([['k', 1200], ['h', 0]]));
  });

  it("leaves out the running import's own transfers (its batches replay) and does not lower a total for a reversal made by hand", () => {
    const amounts = importedAmounts(
      [
        transfer({ importRowId: 'k', amount: 1200 }),
        transfer({ id: 'p9.00', postingId: 'p9', importRowId: 'k', amount: 300, source: 'import:now' }),
        transfer({ id: 'p5.00', postingId: 'p5', debit: 'usage', credit: 'member:ana', amount: 1200, code: 'reversal', reverses: 'p1.00', source: 'manager' }),
      ],
      'import:now',
    );
    expect(amounts.get('k')).toBe(1200);
  });
});

describe('rowFate', () => {
  const total = (amount: number): ImportRowToPost => ({ rowId: dailyTotalId(usage()), line: 3, memberId: 'ana', date: '2026-06-01', service: 'generative-design', amount });

  it('posts the growth of a day total, nothing for the same total, reports a lower one', () => {
    const imported = new Map([[total(0).rowId, 1200]]);
    expect(rowFate(total(1500), imported, [])).toEqual({ kind: 'post', row: total(300), grown: true });
    expect(rowFate(total(1200), imported, [])).toEqual({ kind: 'already' });
    expect(rowFate(total(900), imported, [])).toEqual({ kind: 'lower', line: 3, posted: 1200, total: 900 });
    expect(rowFate(total(1500), new Map(), [])).toEqual({ kind: 'post', row: total(1500), grown: false });
  });

  it('counts what the lines posted before day totals had ids (their row ids) as the day already imported', () => {
    const imported = new Map([['old-row-id', 1200]]);
    expect(rowFate(total(1200), imported, ['old-row-id', undefined])).toEqual({ kind: 'already' });
    expect(rowFate(total(1500), imported, ['old-row-id'])).toEqual({ kind: 'post', row: total(300), grown: true });
  });

  it('leaves a charge row as it was: in when its id is, whatever the amount', () => {
    const charge: ImportRowToPost = { rowId: rowId(usage(), 0), line: 4, memberId: 'ana', date: '2026-06-01', service: 'autocad', amount: 600 };
    expect(rowFate(charge, new Map([[charge.rowId, 0]]), [])).toEqual({ kind: 'already' });
    expect(rowFate(charge, new Map([['legacy', 600]]), ['legacy'])).toEqual({ kind: 'already' });
    expect(rowFate(charge, new Map(), [undefined])).toEqual({ kind: 'post', row: charge, grown: false });
  });
});
