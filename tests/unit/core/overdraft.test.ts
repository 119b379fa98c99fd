import { describe, expect, it } from 'vitest';
import type { ImportRowToPost } from '../../../src/core/usage-import/index.js';
import { poolBalance, poolOverdraft } from '../../../src/core/ledger/index.js';
import { planImportBatch, planImportCompletion, provisionalFrom } from '../../../src/core/usage-import/index.js';
import { Ledger, unwrap } from './helpers.js';

function row(memberId: string, credits: number, date: string, line: number): ImportRowToPost {
  return { rowId: `r${line}`, line, memberId, date, service: 'simulation', amount: credits * 100 };
}

function importRows(ledger: Ledger, importId: string, rows: ImportRowToPost[], now: string) {
  const input = { importId, rows, provisional: provisionalFrom(ledger.transfers), settleWindowDays: 3, budget: { max: 99, chars: 200_000 } };
  ledger.commit(unwrap(planImportBatch(ledger.state, input, ledger.ctx({ now }))).posting);
}

const newestFirst = (ledger: Ledger) => [...ledger.transfers].reverse();

/** Alice and Bob registered (100 each), one block in the pool (10,000 units = 100 credits). */
function firm() {
  const ledger = new Ledger();
  ledger.addRegistered('alice');
  ledger.addRegistered('bob');
  ledger.applyPurchase('buy1', 1);
  return ledger;
}

describe('poolOverdraft: the pool below zero, who and since when', () => {
  it('is nothing while the pool is at or above zero', () => {
    const ledger = firm();
    expect(poolOverdraft(poolBalance(ledger.state), newestFirst(ledger))).toBeNull();
  });

  it('names who used what no lot covered, the days, the import, and when the pool went below zero', () => {
    const ledger = firm();
    importRows(ledger, 'imp1', [row('alice', 150, '2026-12-01', 2)], '2026-12-03T09:00:00.000Z'); // 50 from the pool
    importRows(ledger, 'imp2', [row('alice', 80, '2026-12-02', 2), row('bob', 140, '2026-12-04', 3)], '2026-12-07T08:00:00.000Z');
    expect(poolBalance(ledger.state)).toBe(-7000);
    const { overdraft, found } = poolOverdraft(poolBalance(ledger.state), newestFirst(ledger))!;
    expect(found).toBe(true);
    // The second import took the pool below zero: 30 of Alice's 80 and Bob's 40 past his own had no lot.
    expect(overdraft).toEqual({
      amount: 7000,
      since: '2026-12-07T08:00:00.000Z',
      people: [
        { memberId: 'bob', amount: 4000 },
        { memberId: 'alice', amount: 3000 },
      ],
      sources: ['import:imp2'],
      usedFrom: '2026-12-02',
      usedTo: '2026-12-04',
    });
  });

  it('after a purchase lands while the pool is short, names who used what the pool did not have, not only what no lot covered', () => {
    const ledger = firm();
    importRows(ledger, 'imp1', [row('alice', 230, '2026-12-01', 2)], '2026-12-03T09:00:00.000Z'); // 130 from a pool of 100: 30 short
    ledger.applyPurchase('buy2', 1); // a full lot of 100; the pool is at 70
    expect(poolBalance(ledger.state)).toBe(7000);
    importRows(ledger, 'imp2', [row('bob', 210, '2026-12-04', 2)], '2026-12-07T08:00:00.000Z'); // 110 from the pool: 100 from the lot, 10 without one
    expect(poolBalance(ledger.state)).toBe(-4000);
    const { overdraft, found } = poolOverdraft(poolBalance(ledger.state), newestFirst(ledger))!;
    expect(found).toBe(true);
    expect(overdraft).toMatchObject({ amount: 4000, since: '2026-12-07T08:00:00.000Z', people: [{ memberId: 'bob', amount: 4000 }], sources: ['import:imp2'] });
  });

  it('says when it has not read back far enough, and what it saw', () => {
    const ledger = firm();
    importRows(ledger, 'imp1', [row('alice', 230, '2026-12-01', 2)], '2026-12-03T09:00:00.000Z');
    importRows(ledger, 'imp2', [row('bob', 105, '2026-12-04', 2)], '2026-12-07T08:00:00.000Z');
    const partial = poolOverdraft(poolBalance(ledger.state), newestFirst(ledger).filter((t) => t.source === 'import:imp2'))!;
    expect(partial.found).toBe(false);
    expect(partial.overdraft).toMatchObject({ amount: 3500, since: '2026-12-07T08:00:00.000Z', people: [{ memberId: 'bob', amount: 500 }] });
    expect(poolOverdraft(poolBalance(ledger.state), newestFirst(ledger))).toMatchObject({ found: true, overdraft: { since: '2026-12-03T09:00:00.000Z', sources: ['import:imp2', 'import:imp1'] } });
  });

  it('IT’s alert says overdraft, with who and which days, in words', () => {
    const ledger = firm();
    importRows(ledger, 'imp2', [row('alice', 240, '2026-12-02', 2), row('bob', 130, '2026-12-04', 3)], '2026-12-07T08:00:00.000Z');
    const overdraft = poolOverdraft(poolBalance(ledger.state), newestFirst(ledger))!.overdraft;
    const input = { importId: 'imp2', fileName: 'december.csv', rowsPosted: 2, amount: 37_000, fromPool: 17_000, settled: 0, unconfirmed: [], overdraft };
    const alert = planImportCompletion(ledger.state, input, ledger.ctx()).events.find((e) => e.kind === 'alert_reconciliation')!;
    expect(alert.amount).toBe(7000);
    expect(alert.message).toBe(
      "The pool is overdrawn by 70 credits after Autodesk's usage export december.csv: it charged Name alice 40 credits and Name bob 30 credits more than the pool held, " +
        'used from Dec 2, 2026 to Dec 4, 2026. Record the missing purchase, or check usage outside Credit Desk.',
    );
  });
});
