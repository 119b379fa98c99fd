import { describe, expect, it } from 'vitest';
import type { LedgerSnapshot, Transfer } from '../../../src/core/ledger/index.js';
import { applyTransfers, checkInvariants, planUsage, reverseTransfer } from '../../../src/core/ledger/index.js';
import { createPurchase } from '../../../src/core/purchases/index.js';
import { applyRegistrationEvent } from '../../../src/core/registration/index.js';
import { Ledger, NOW, unwrap } from './helpers.js';

/**
 * A sound ledger exercising every kind of posting: registrations (with and without allotment), purchases
 * (applied, open, cancelled), usage from own credits and the pool across lots, an import past the pool
 * with its alert, and reversals.
 */
function soundLedger(): Ledger {
  const ledger = new Ledger();
  ledger.addRegistered('alice', 'Boston');
  ledger.addRegistered('carol');
  ledger.addMember('bob');
  ledger.commit(unwrap(applyRegistrationEvent(ledger.state, { memberId: 'bob', event: 'requested' }, ledger.ctx())).posting);
  ledger.applyPurchase('a', 1, '2026-10-01T09:00:00.000Z');
  ledger.applyPurchase('b', 2, '2026-10-02T09:00:00.000Z');
  ledger.commit(unwrap(createPurchase(ledger.state, { purchaseId: 'open', blocks: 1 }, ledger.ctx())).posting);
  ledger.commit(unwrap(createPurchase(ledger.state, { purchaseId: 'gone', blocks: 1 }, ledger.ctx())).posting);
  ledger.walkPurchase('gone', ['cancelled']);
  const use = (memberId: string, amount: number, source: Transfer['source'] = 'self') => {
    const { posting } = unwrap(planUsage(ledger.state, { memberId, amount, service: 'simulation', date: '2026-11-01', source }, ledger.ctx()));
    ledger.commit(posting);
    return posting.transfers;
  };
  const reverse = (original: Transfer | undefined) => {
    if (!original) throw new Error('nothing to reverse');
    ledger.commit(unwrap(reverseTransfer(ledger.state, original, { reason: 'fix' }, ledger.ctx())).posting);
  };
  use('alice', 12_000); // own 10000 + lot a 2000
  const split = use('alice', 9000); // lot a 8000 + lot b 1000
  reverse(split[1]);
  use('carol', 3000);
  reverse(ledger.transfers.find((t) => t.code === 'usage_individual' && t.memberId === 'carol'));
  use('carol', 45_000, 'import:imp-1'); // own 10000, pool 35000 of 20000 -> pool -15000, with alert
  return ledger;
}

const rules = (snapshot: LedgerSnapshot) => checkInvariants(snapshot).map((v) => v.rule);

/** Appends a transfer and moves the stored balances with it, so only the rule under test breaks. */
function withTransfer(snapshot: LedgerSnapshot, transfer: Transfer): LedgerSnapshot {
  return { ...snapshot, transfers: [...snapshot.transfers, transfer], balances: applyTransfers(snapshot.balances, [transfer]) };
}

function find(snapshot: LedgerSnapshot, pred: (t: Transfer) => boolean): Transfer {
  const t = snapshot.transfers.find(pred);
  if (!t) throw new Error('no such transfer');
  return t;
}

const base = (over: Partial<Transfer>): Transfer => ({
  id: 'bad.00', postingId: 'bad', debit: 'contract', credit: 'usage', amount: 100, code: 'opening_balance', source: 'system', actor: 'test', at: NOW, ...over,
});

describe('checkInvariants', () => {
  it('finds nothing wrong with a sound ledger, and the sound ledger is non-trivial', () => {
    const snapshot = soundLedger().snapshot();
    expect(checkInvariants(snapshot)).toEqual([]);
    expect(snapshot.balances['pool']).toBeLessThan(0);
    expect(snapshot.events.some((e) => e.kind === 'alert_pool_negative')).toBe(true);
    expect(new Set(snapshot.transfers.map((t) => t.code))).toEqual(
      new Set(['allotment_granted', 'purchase_applied', 'usage_individual', 'usage_pool', 'reversal']),
    );
  });

  it('finds nothing wrong with an empty ledger', () => {
    expect(checkInvariants({ balances: {}, members: [], lots: [], purchases: [], transfers: [], events: [] })).toEqual([]);
  });

  it('detects balances that do not sum to zero', () => {
    const s = soundLedger().snapshot();
    s.balances['contract'] = (s.balances['contract'] ?? 0) + 1;
    const found = checkInvariants(s);
    expect(found.map((v) => v.rule)).toContain('sum_zero');
    expect(found.find((v) => v.rule === 'sum_zero')?.details).toEqual({ sum: 1 });
  });

  it('detects a stored balance that differs from its replayed transfers', () => {
    const s = soundLedger().snapshot();
    // move 1 unit between two rows: still sums to zero, but neither matches its transfers
    s.balances['member:alice'] = (s.balances['member:alice'] ?? 0) + 1;
    s.balances['usage'] = (s.balances['usage'] ?? 0) - 1;
    const found = rules(s);
    expect(found).toContain('balance_matches_transfers');
    expect(found).not.toContain('sum_zero');
    expect(checkInvariants(s).filter((v) => v.rule === 'balance_matches_transfers').map((v) => v.details?.['account']).sort()).toEqual([
      'member:alice',
      'usage',
    ]);
  });

  it('detects a transfer missing from the stored balances', () => {
    const s = soundLedger().snapshot();
    s.transfers = s.transfers.slice(0, -1);
    expect(rules(s)).toContain('balance_matches_transfers');
  });

  it('detects a negative member balance', () => {
    const s = withTransfer(soundLedger().snapshot(), base({ debit: 'member:bob', credit: 'usage', code: 'usage_individual', memberId: 'bob' }));
    const found = checkInvariants(s);
    expect(found.map((v) => v.rule)).toEqual(['no_negative_member']);
    expect(found[0]?.details).toEqual({ account: 'member:bob', balance: -100 });
  });

  it('detects a negative pool with no alert raised, and accepts it with the alert', () => {
    const s = soundLedger().snapshot();
    expect(s.balances['pool']).toBeLessThan(0);
    expect(rules(s)).not.toContain('no_negative_pool');
    const silent = { ...s, events: s.events.filter((e) => e.kind !== 'alert_pool_negative') };
    expect(rules(silent)).toEqual(['no_negative_pool']);
  });

  it('detects an allotment granted twice', () => {
    const s0 = soundLedger().snapshot();
    const grant = find(s0, (t) => t.code === 'allotment_granted' && t.memberId === 'alice');
    const s = withTransfer(s0, { ...grant, id: 'dup.00', postingId: 'dup' });
    const found = checkInvariants(s);
    expect(found.map((v) => v.rule)).toEqual(['allotment_once']);
    expect(found[0]?.details).toEqual({ memberId: 'alice', count: 2 });
  });

  it('detects an allotment flag that disagrees with the ledger', () => {
    const s = soundLedger().snapshot();
    s.members = s.members.map((m) => (m.id === 'bob' ? { ...m, allotmentGrantedAt: NOW } : m));
    expect(rules(s)).toEqual(['allotment_recorded']);
    const t = soundLedger().snapshot();
    t.members = t.members.map((m) => {
      if (m.id !== 'alice') return m;
      const { allotmentGrantedAt: _dropped, ...rest } = m;
      return rest;
    });
    expect(rules(t)).toEqual(['allotment_recorded']);
  });

  it('detects a purchase applied twice', () => {
    const s0 = soundLedger().snapshot();
    const applied = find(s0, (t) => t.code === 'purchase_applied' && t.lotId === 'a');
    const s = withTransfer(s0, { ...applied, id: 'dup.00', postingId: 'dup' });
    const found = checkInvariants(s);
    expect(found.map((v) => v.rule)).toContain('purchase_applied_once');
    expect(found.find((v) => v.rule === 'purchase_applied_once')?.details).toEqual({ purchaseId: 'a', count: 2 });
  });

  it('detects a purchase marked applied without its transfer', () => {
    const s = soundLedger().snapshot();
    s.purchases = s.purchases.map((p) => (p.id === 'open' ? { ...p, state: 'applied' } : p));
    s.lots = [...s.lots, { id: 'open', purchaseId: 'open', appliedAt: NOW, units: 10_000, remaining: 0 }];
    const found = checkInvariants(s);
    expect(found.map((v) => v.rule)).toEqual(['purchase_applied_once']);
    expect(found[0]?.details).toEqual({ purchaseId: 'open', count: 0 });
  });

  it('detects a purchase_applied transfer for a purchase not in state applied', () => {
    const s = withTransfer(soundLedger().snapshot(), base({ debit: 'reseller', credit: 'pool', code: 'purchase_applied', lotId: 'open', amount: 10_000 }));
    expect(rules(s)).toContain('purchase_applied_once');
  });

  it('detects an applied purchase without a lot', () => {
    const s = soundLedger().snapshot();
    s.lots = s.lots.filter((l) => l.id !== 'b'); // b has 0 left, so the pool still matches
    expect(rules(s)).toEqual(['lot_exists']);
  });

  it('detects lots that do not match the pool', () => {
    const s = soundLedger().snapshot();
    s.lots = s.lots.map((l) => (l.id === 'a' ? { ...l, remaining: l.remaining + 1 } : l));
    const found = checkInvariants(s);
    expect(found.map((v) => v.rule)).toEqual(['lots_match_pool']);
  });

  it('detects lots drawn down while the pool was not', () => {
    const ledger = new Ledger();
    ledger.applyPurchase('a', 1);
    const s = ledger.snapshot();
    expect(checkInvariants(s)).toEqual([]);
    s.lots = s.lots.map((l) => ({ ...l, remaining: l.remaining - 100 })); // lots drawn, pool not
    expect(rules(s)).toEqual(['lots_match_pool']);
  });

  it('detects a lot outside its bounds', () => {
    const s = soundLedger().snapshot();
    s.lots = s.lots.map((l) => (l.id === 'a' ? { ...l, units: l.remaining - 1 } : l));
    expect(rules(s)).toEqual(['lot_bounds']);
  });

  it.each([
    ['zero', 0],
    ['negative', -5],
    ['fractional', 1.5],
  ])('detects a %s transfer amount', (_label, amount) => {
    const s = withTransfer(soundLedger().snapshot(), base({ debit: 'contract', credit: 'usage', amount }));
    expect(rules(s)).toContain('positive_amount');
  });

  it('detects a transfer that debits and credits the same account', () => {
    const s = withTransfer(soundLedger().snapshot(), base({ debit: 'usage', credit: 'usage' }));
    expect(rules(s)).toEqual(['distinct_accounts']);
  });

  it('detects a reversal that does not mirror its original', () => {
    const s0 = soundLedger().snapshot();
    const grant = find(s0, (t) => t.code === 'allotment_granted' && t.memberId === 'alice');
    // same direction instead of swapped
    const sameWay = withTransfer(s0, base({ debit: grant.debit, credit: grant.credit, amount: grant.amount, code: 'reversal', reverses: grant.id }));
    expect(rules(sameWay)).toEqual(['reversal_mirror']);
    // swapped but a different amount
    const original = find(s0, (t) => t.code === 'usage_individual' && t.memberId === 'alice');
    const partial = withTransfer(s0, base({ debit: original.credit, credit: original.debit, amount: original.amount - 1, code: 'reversal', reverses: original.id }));
    expect(rules(partial)).toEqual(['reversal_mirror']);
  });

  it('detects a reversal that points at no transfer', () => {
    const s = withTransfer(soundLedger().snapshot(), base({ debit: 'usage', credit: 'contract', code: 'reversal', reverses: 'nope.00' }));
    expect(rules(s)).toEqual(['reversal_target']);
    const noTarget = withTransfer(soundLedger().snapshot(), base({ debit: 'usage', credit: 'contract', code: 'reversal' }));
    expect(rules(noTarget)).toEqual(['reversal_target']);
  });

  it('detects a transfer reversed twice', () => {
    const s0 = soundLedger().snapshot();
    const first = find(s0, (t) => t.code === 'reversal' && t.memberId === 'carol');
    const s = withTransfer(s0, { ...first, id: 'again.00', postingId: 'again' });
    const found = checkInvariants(s);
    expect(found.map((v) => v.rule)).toEqual(['reversed_once']);
    expect(found[0]?.details).toEqual({ transferId: first.reverses });
  });
});
