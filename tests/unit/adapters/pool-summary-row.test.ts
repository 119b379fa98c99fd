/**
 * The pool summary rides on the pool's row; a summary too large for one table entity (a firm with
 * thousands of lots) must not stop the ledger: the row goes without one and the pool page reads the rows.
 */
import { describe, expect, it } from 'vitest';
import type { PoolSummary } from '../../../src/core/ledger/index.js';
import type { Lot } from '../../../src/core/purchases/index.js';
import { accountRow, poolSummaryFromRow, withPoolSummary } from '../../../server/adapters/table-storage/entities.js';

const lot = (i: number): Lot => ({ id: `lot-${String(i).padStart(6, '0')}`, purchaseId: `purchase-${String(i).padStart(6, '0')}`, appliedAt: '2026-11-01T09:00:00.000Z', units: 50_000, remaining: 50_000, price: 550, currency: 'USD' });

const summaryWith = (lots: number): PoolSummary => ({
  drawingMembers: 3,
  heldFromPool: 0,
  lots: Array.from({ length: lots }, (_, i) => lot(i)),
  purchases: Object.fromEntries(Array.from({ length: lots }, (_, i) => [`purchase-${String(i).padStart(6, '0')}`, { reason: 'Quarterly top-up for the Seattle office', createdAt: '2026-10-28T09:00:00.000Z' }])),
  draws: [],
  drawDays: [],
});

describe('the pool row and its summary', () => {
  it('a summary that fits is stored on the row and read back as it was', () => {
    const summary = summaryWith(40);
    const row = withPoolSummary(accountRow('t1', 'pool', 1_000), summary);
    expect(row.balance).toBe(1_000);
    expect(poolSummaryFromRow(row)).toEqual(summary);
  });

  it('a summary too large for one entity leaves the row without one, so readers summarise the rows themselves', () => {
    const row = withPoolSummary(accountRow('t1', 'pool', 1_000), summaryWith(3_000));
    expect(row).toEqual(accountRow('t1', 'pool', 1_000));
    expect(poolSummaryFromRow(row)).toBeUndefined();
  });
});
