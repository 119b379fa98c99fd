import { describe, expect, it } from 'vitest';
import type { Transfer } from '../../../../src/core/ledger/index.js';
import type { ImportBatchInput, ImportRowToPost, ProvisionalUsage } from '../../../../src/core/usage-import/index.js';
import { placeHold } from '../../../../src/core/holds/index.js';
import {
  checkInvariants,
  ownBalance,
  planUsage,
  poolBalance,
  reversalClaim,
} from '../../../../src/core/ledger/index.js';
import {
  importPostingRecords,
  planImportBatch,
  planImportCompletion,
  provisionalFrom,
} from '../../../../src/core/usage-import/index.js';
import { Ledger, refusal, unwrap } from '../helpers.js';

let seq = 0;
function row(memberId: string, credits: number, date = '2026-10-05', extra: Partial<ImportRowToPost> = {}): ImportRowToPost {
  seq++;
  return { rowId: `row${seq}-0`, line: seq + 1, memberId, date, service: 'simulation', amount: credits * 100, ...extra };
}

function batch(ledger: Ledger, rows: ImportRowToPost[], extra: Partial<ImportBatchInput> = {}) {
  const input: ImportBatchInput = { importId: 'imp1', rows, provisional: provisionalFrom(ledger.transfers), settleWindowDays: 3, budget: { max: 99, chars: 200_000 }, ...extra };
  const outcome = unwrap(planImportBatch(ledger.state, input, ledger.ctx()));
  ledger.commit(outcome.posting);
  return outcome;
}

function selfLog(ledger: Ledger, memberId: string, credits: number, date: string, service = 'simulation'): Transfer[] {
  const { posting } = unwrap(planUsage(ledger.state, { memberId, amount: credits * 100, service, date, source: 'self' }, ledger.ctx({ actor: memberId })));
  ledger.commit(posting);
  return posting.transfers;
}

function complete(ledger: Ledger) {
  ledger.commit(planImportCompletion(ledger.state, { importId: 'imp1', fileName: 'june.csv', rowsPosted: 0, amount: 0, fromPool: 0, settled: 0, unconfirmed: [] }, ledger.ctx()));
}

describe('planImportBatch: posting imported actuals', () => {
  it('takes own credits first, then the pool, numbered in the posting, with the row\'s identity, source, date and job', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice', 'Boston');
    ledger.applyPurchase('buy1', 2);
    const r = row('alice', 150, '2026-10-05', { project: 'P-7', job: 'bracket-1' });
    const outcome = batch(ledger, [r]);
    expect(outcome).toMatchObject({ rowsTaken: 1, fromOwn: 10000, fromPool: 5000, uncovered: 0, settled: [], notRegistered: [] });
    const { posting } = outcome;
    expect(posting.packed).toBe(true);
    expect(posting.events).toEqual([]);
    expect(posting.transfers).toEqual([
      expect.objectContaining({ id: `${posting.id}.00`, importRowId: r.rowId, debit: 'member:alice', credit: 'usage', amount: 10000, code: 'usage_individual', source: 'import:imp1', date: '2026-10-05', office: 'Boston', project: 'P-7', note: 'Job bracket-1', memberId: 'alice', service: 'simulation' }),
      expect.objectContaining({ id: `${posting.id}.01`, importRowId: r.rowId, debit: 'pool', credit: 'usage', amount: 5000, code: 'usage_pool', lotId: 'buy1' }),
    ]);
    expect(posting.members).toEqual([expect.objectContaining({ id: 'alice', poolDrawn: 5000 })]);
    expect(ownBalance(ledger.state, 'alice')).toBe(0);
    expect(poolBalance(ledger.state)).toBe(15000);
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
  });

  it('draws the pool oldest lot first across lots, row after row', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    ledger.addRegistered('bob');
    ledger.applyPurchase('buy1', 1, '2026-10-01T09:00:00.000Z');
    ledger.applyPurchase('buy2', 1, '2026-10-02T09:00:00.000Z');
    const outcome = batch(ledger, [row('alice', 160), row('alice', 10), row('bob', 130)]);
    expect(outcome).toMatchObject({ rowsTaken: 3, fromOwn: 20000, fromPool: 10000, uncovered: 0 });
    const pool = outcome.posting.transfers.filter((t) => t.code === 'usage_pool').map((t) => [t.memberId, t.lotId, t.amount]);
    expect(pool).toEqual([['alice', 'buy1', 6000], ['alice', 'buy1', 1000], ['bob', 'buy1', 3000]]);
    const outcome2 = batch(ledger, [row('bob', 150)]);
    expect(outcome2.posting.transfers.map((t) => [t.lotId, t.amount])).toEqual([['buy2', 10000], [undefined, 5000]]);
    expect(outcome2.uncovered).toBe(5000);
    expect(ledger.state.lots.map((l) => l.remaining)).toEqual([0, 0]);
  });

  it('records what the pool cannot cover anyway, taking it below zero; the completion raises the reconciliation alert', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    const outcome = batch(ledger, [row('alice', 130)]);
    expect(outcome).toMatchObject({ fromOwn: 10000, fromPool: 3000, uncovered: 3000 });
    expect(outcome.posting.transfers.at(-1)).toMatchObject({ debit: 'pool', credit: 'usage', amount: 3000, code: 'usage_pool' });
    expect(outcome.posting.transfers.at(-1)?.lotId).toBeUndefined();
    expect(poolBalance(ledger.state)).toBe(-3000);
    expect(checkInvariants(ledger.snapshot()).map((v) => v.rule)).toEqual(['no_negative_pool']);
    complete(ledger);
    expect(ledger.events.at(-1)).toMatchObject({ kind: 'alert_reconciliation', amount: 3000 });
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
  });

  it('records usage of members not registered, and names them', () => {
    const ledger = new Ledger();
    ledger.addMember('carol');
    const outcome = batch(ledger, [row('carol', 5), row('carol', 5)]);
    expect(outcome.notRegistered).toEqual(['carol']);
    expect(outcome.uncovered).toBe(1000);
  });

  it('refuses a member who does not exist', () => {
    const ledger = new Ledger();
    expect(refusal(planImportBatch(ledger.state, { importId: 'i', rows: [row('ghost', 1)], provisional: [], settleWindowDays: 3, budget: { max: 99, chars: 200_000 } }, ledger.ctx())).code).toBe('NOT_FOUND');
  });

  it('refuses an empty batch and bad rows', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    const input = { importId: 'i', provisional: [], settleWindowDays: 3, budget: { max: 99, chars: 200_000 } };
    expect(refusal(planImportBatch(ledger.state, { ...input, rows: [] }, ledger.ctx())).code).toBe('VALIDATION_FAILED');
    expect(refusal(planImportBatch(ledger.state, { ...input, rows: [{ ...row('alice', 1), amount: 0 }] }, ledger.ctx())).code).toBe('VALIDATION_FAILED');
    expect(refusal(planImportBatch(ledger.state, { ...input, rows: [row('alice', 1, '2026-02-30')] }, ledger.ctx())).code).toBe('VALIDATION_FAILED');
  });
});

describe('planImportBatch: settling provisional self-logged usage', () => {
  it('reverses the provisional and posts the actual in one posting: the balance is as if only the actual happened', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    const logged = selfLog(ledger, 'alice', 30, '2026-10-04');
    expect(ownBalance(ledger.state, 'alice')).toBe(7000);
    const r = row('alice', 32, '2026-10-05');
    const outcome = batch(ledger, [r]);
    const [original] = logged;
    if (!original) throw new Error('nothing logged');
    expect(outcome.settled).toEqual([{ rowId: r.rowId, provisionalPostingId: original.postingId }]);
    expect(outcome.posting.claims).toEqual([reversalClaim(original.id)]);
    expect(outcome.posting.transfers[0]).toMatchObject({
      id: `${outcome.posting.id}.00`,
      importRowId: r.rowId,
      code: 'reversal',
      reverses: original.id,
      debit: 'usage',
      credit: 'member:alice',
      amount: 3000,
      source: 'import:imp1',
      reason: `Replaced by line ${r.line} of Autodesk's usage export: the same usage, counted once`,
    });
    expect(outcome.posting.transfers[1]).toMatchObject({ id: `${outcome.posting.id}.01`, importRowId: r.rowId, code: 'usage_individual', amount: 3200 });
    expect(ownBalance(ledger.state, 'alice')).toBe(10000 - 3200);
    expect(provisionalFrom(ledger.transfers)).toEqual([]);
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
  });

  it('gives a pool draw back to its lot before the actual draws again', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    ledger.applyPurchase('buy1', 1);
    selfLog(ledger, 'alice', 120, '2026-10-04');
    expect(ledger.state.lots[0]?.remaining).toBe(8000);
    const outcome = batch(ledger, [row('alice', 110, '2026-10-04')]);
    expect(outcome.posting.transfers.map((t) => [t.id.slice(outcome.posting.id.length), t.code, t.amount, t.lotId])).toEqual([
      ['.00', 'reversal', 10000, undefined],
      ['.01', 'reversal', 2000, 'buy1'],
      ['.02', 'usage_individual', 10000, undefined],
      ['.03', 'usage_pool', 1000, 'buy1'],
    ]);
    expect(outcome.posting.lots).toEqual([expect.objectContaining({ id: 'buy1', remaining: 9000 })]);
    expect(ledger.state.members['alice']?.poolDrawn).toBe(1000);
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
  });

  it('settles each provisional entry once, the closest date first', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    const early = selfLog(ledger, 'alice', 5, '2026-10-01')[0];
    const near = selfLog(ledger, 'alice', 5, '2026-10-04')[0];
    const rows = [row('alice', 5, '2026-10-03'), row('alice', 5, '2026-10-03'), row('alice', 5, '2026-10-03')];
    const outcome = batch(ledger, rows);
    expect(outcome.settled).toEqual([
      { rowId: rows[0]?.rowId, provisionalPostingId: near?.postingId },
      { rowId: rows[1]?.rowId, provisionalPostingId: early?.postingId },
    ]);
    expect(ownBalance(ledger.state, 'alice')).toBe(10000 - 1500);
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
  });

  it('on equal distance, the entry logged first', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    const first = selfLog(ledger, 'alice', 5, '2026-10-02')[0];
    selfLog(ledger, 'alice', 5, '2026-10-04');
    const outcome = batch(ledger, [row('alice', 5, '2026-10-03')]);
    expect(outcome.settled[0]?.provisionalPostingId).toBe(first?.postingId);
  });

  it('does not settle another service, another member, or a date outside the window', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    ledger.addRegistered('bob');
    selfLog(ledger, 'alice', 5, '2026-10-01', 'cloud_rendering');
    selfLog(ledger, 'bob', 5, '2026-10-05');
    selfLog(ledger, 'alice', 5, '2026-09-20');
    const outcome = batch(ledger, [row('alice', 5, '2026-10-05')]);
    expect(outcome.settled).toEqual([]);
    expect(provisionalFrom(ledger.transfers)).toHaveLength(3);
  });

  it('a provisional entry a later batch would match again is not offered twice (the caller drops settled ones; the claim guards)', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    selfLog(ledger, 'alice', 5, '2026-10-05');
    const stale: ProvisionalUsage[] = provisionalFrom(ledger.transfers);
    batch(ledger, [row('alice', 5)]);
    const again = unwrap(planImportBatch(ledger.state, { importId: 'imp1', rows: [row('alice', 5)], provisional: stale, settleWindowDays: 3, budget: { max: 99, chars: 200_000 } }, ledger.ctx()));
    expect(() => ledger.commit(again.posting)).toThrow(/claim reversed\|/);
  });
});

describe('planImportBatch: the record budget', () => {
  it('stops before the posting would cost more records than the budget, and takes at least one row', () => {
    const ledger = new Ledger();
    const members = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8'];
    for (const m of members) ledger.addRegistered(m);
    ledger.applyPurchase('buy1', 3);
    const rows = members.flatMap((m) => [row(m, 60), row(m, 60)]);
    let left = rows;
    let batches = 0;
    while (left.length > 0) {
      const outcome = batch(ledger, left, { budget: { max: 12, chars: 200_000 } });
      expect(outcome.rowsTaken).toBeGreaterThanOrEqual(1);
      expect(importPostingRecords(outcome.posting)).toBeLessThanOrEqual(12);
      left = left.slice(outcome.rowsTaken);
      batches++;
    }
    expect(batches).toBeGreaterThan(1);
    expect(ledger.transfers.filter((t) => t.source === 'import:imp1').reduce((s, t) => s + t.amount, 0)).toBe(rows.length * 6000);
  });

  it('counts the packed transfers as one record: more rows of the same member cost characters only', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    ledger.addRegistered('bob');
    const rows = [row('alice', 5), row('alice', 5), row('alice', 5), row('bob', 5)];
    // The packed transfers + 2 for alice + usage = 4 records; bob would add 2 more.
    const tight = unwrap(planImportBatch(ledger.state, { importId: 'i', rows, provisional: [], settleWindowDays: 3, budget: { max: 4, chars: 200_000 } }, ledger.ctx()));
    expect(tight.rowsTaken).toBe(3);
    expect(importPostingRecords(tight.posting)).toBe(4);
    const error = refusal(planImportBatch(ledger.state, { importId: 'i', rows, provisional: [], settleWindowDays: 3, budget: { max: 3, chars: 200_000 } }, ledger.ctx()));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', details: { needed: 4, max: 3 } });
  });

  it("stops at the characters the packed record holds, and refuses a budget smaller than one row's transfers", () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    const rows = [row('alice', 5), row('alice', 5), row('alice', 5)];
    const all = unwrap(planImportBatch(ledger.state, { importId: 'i', rows, provisional: [], settleWindowDays: 3, budget: { max: 99, chars: 200_000 } }, ledger.ctx()));
    const sizes = all.posting.transfers.map((t) => JSON.stringify(t).length + 1);
    expect(sizes).toHaveLength(3);
    const two = unwrap(planImportBatch(ledger.state, { importId: 'i', rows, provisional: [], settleWindowDays: 3, budget: { max: 99, chars: sizes[0]! + sizes[1]! + 1 } }, ledger.ctx()));
    expect(two.rowsTaken).toBe(2);
    const error = refusal(planImportBatch(ledger.state, { importId: 'i', rows, provisional: [], settleWindowDays: 3, budget: { max: 99, chars: sizes[0]! - 1 } }, ledger.ctx()));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', details: { chars: sizes[0] } });
  });
});

describe('planImportBatch: open holds', () => {
  it("releases the hold the imported usage was reserved for, in the same posting, then draws the actual", () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice', 'Boston');
    ledger.applyPurchase('buy1', 2);
    // 100 own + 20 from the pool reserved for a simulation.
    const placed = unwrap(placeHold(ledger.state, { memberId: 'alice', amount: 12000, service: 'simulation', source: 'self' }, ledger.ctx({ actor: 'alice' })));
    ledger.commit(placed.posting);
    expect(ownBalance(ledger.state, 'alice')).toBe(0);
    // Usage of the hold's service on the day it was placed (an earlier day would not settle it).
    const r = row('alice', 90, '2026-11-02');
    const outcome = batch(ledger, [r]);
    expect(outcome.posting.holds).toEqual([expect.objectContaining({ id: placed.hold.id, state: 'settled', closedIn: outcome.posting.id })]);
    expect(outcome.posting.events).toEqual([expect.objectContaining({ kind: 'hold_settled', amount: 2000, id: `${outcome.posting.id}.e0` })]);
    const released = outcome.posting.transfers.filter((t) => t.code === 'hold_released');
    expect(released.map((t) => t.id)).toEqual(released.map((_t, k) => `${outcome.posting.id}.0${k}`));
    expect(released.every((t) => t.importRowId === r.rowId)).toBe(true);
    expect(released.reduce((sum, t) => sum + t.amount, 0)).toBe(12000);
    // The 90 come out of the released own credits (100) first: 10 own left, the pool back to 200.
    expect(ownBalance(ledger.state, 'alice')).toBe(1000);
    expect(poolBalance(ledger.state)).toBe(20000);
    expect(ledger.state.balances['held:alice'] ?? 0).toBe(0);
    expect(importPostingRecords(outcome.posting)).toBeLessThanOrEqual(99);
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
  });
});
