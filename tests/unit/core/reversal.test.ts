import { describe, expect, it } from 'vitest';
import type { Transfer, UsageInput } from '../../../src/core/ledger/index.js';
import {
  checkInvariants,
  emptyLedgerState,
  ownBalance,
  planUsage,
  poolBalance,
  reversalClaim,
  reverseTransfer,
} from '../../../src/core/ledger/index.js';
import { Ledger, MANAGER, NOW, ctx, refusal, unwrap } from './helpers.js';

const usage = (memberId: string, amount: number, source: UsageInput['source'] = 'self'): UsageInput => ({
  memberId,
  amount,
  service: 'simulation',
  date: '2026-11-01',
  source,
});

function use(ledger: Ledger, input: UsageInput): Transfer[] {
  const { posting } = unwrap(planUsage(ledger.state, input, ledger.ctx({ actor: input.memberId })));
  ledger.commit(posting);
  return posting.transfers;
}

function reverse(ledger: Ledger, original: Transfer, reason = 'logged by mistake') {
  const value = unwrap(reverseTransfer(ledger.state, original, { reason }, ledger.ctx()));
  ledger.commit(value.posting);
  return value;
}

function t(transfers: Transfer[], index: number): Transfer {
  const transfer = transfers[index];
  if (!transfer) throw new Error(`no transfer ${index}`);
  return transfer;
}

describe('reversal: a mirror transfer that points at the original', () => {
  it('swaps the accounts, keeps the amount and context, and claims reversed|{id}', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice', 'Boston');
    const original = t(use(ledger, usage('alice', 2500)), 0);
    const c = ledger.ctx({ actor: 'manager-2' });
    const { posting, reversal } = unwrap(reverseTransfer(ledger.state, original, { reason: '  duplicate entry ' }, c));
    expect(reversal).toEqual({
      id: `${c.postingId}.00`,
      postingId: c.postingId,
      debit: 'usage',
      credit: 'member:alice',
      amount: 2500,
      code: 'reversal',
      memberId: 'alice',
      service: 'simulation',
      office: 'Boston',
      date: '2026-11-01',
      source: 'manager',
      actor: 'manager-2',
      at: NOW,
      reverses: original.id,
      reason: 'duplicate entry',
    });
    expect(posting.transfers).toEqual([reversal]);
    expect(posting.claims).toEqual([`reversed|${original.id}`]);
    expect(reversalClaim(original.id)).toBe(`reversed|${original.id}`);
    expect(posting.events).toHaveLength(1);
    expect(posting.events[0]).toMatchObject({ kind: 'reversal', memberId: 'alice', amount: 2500, poolAfter: 0 });
    ledger.commit(posting);
    expect(ownBalance(ledger.state, 'alice')).toBe(10_000);
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
  });

  it('cannot reverse a reversal (NOT_REVERSIBLE)', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    const original = t(use(ledger, usage('alice', 100)), 0);
    const { reversal } = reverse(ledger, original);
    const before = structuredClone(ledger.state);
    const error = refusal(reverseTransfer(ledger.state, reversal, { reason: 'undo the undo' }, ledger.ctx()));
    expect(error.code).toBe('NOT_REVERSIBLE');
    expect(error.details).toEqual({ transferId: reversal.id });
    expect(ledger.state).toEqual(before);
  });

  it.each(['', '   '])('needs a reason (got %j)', (reason) => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    const original = t(use(ledger, usage('alice', 100)), 0);
    const error = refusal(reverseTransfer(ledger.state, original, { reason }, ledger.ctx()));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual({ field: 'reason' });
  });

  it('claims the same marker when asked twice, so the store refuses the second (reversed at most once)', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    const original = t(use(ledger, usage('alice', 100)), 0);
    const first = reverse(ledger, original);
    const second = unwrap(reverseTransfer(ledger.state, original, { reason: 'again' }, ledger.ctx()));
    expect(second.posting.claims).toEqual(first.posting.claims);
    expect(ledger.claims.has(reversalClaim(original.id))).toBe(true);
    expect(() => ledger.commit(second.posting)).toThrow(/already exists/);
  });
});

describe('reversal: never below zero', () => {
  it('cannot take a member below zero (BALANCE_INSUFFICIENT) and changes nothing', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    const grant = ledger.transfers.find((x) => x.code === 'allotment_granted');
    if (!grant) throw new Error('no grant');
    use(ledger, usage('alice', 4000));
    const before = structuredClone(ledger.state);
    const error = refusal(reverseTransfer(ledger.state, grant, { reason: 'wrong person' }, ledger.ctx()));
    expect(error.code).toBe('BALANCE_INSUFFICIENT');
    expect(error.details).toEqual({ account: 'member', balance: 60, amount: 100 });
    expect(ledger.state).toEqual(before);
  });

  it('may reverse an allotment the member has not touched', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    const grant = ledger.transfers.find((x) => x.code === 'allotment_granted');
    if (!grant) throw new Error('no grant');
    reverse(ledger, grant);
    expect(ownBalance(ledger.state, 'alice')).toBe(0);
    expect(ledger.state.balances['contract']).toBe(0);
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
  });

  it('cannot take the pool below zero', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    ledger.applyPurchase('a', 1);
    use(ledger, usage('alice', 10_001)); // one unit from the pool
    const applied = ledger.transfers.find((x) => x.code === 'purchase_applied');
    if (!applied) throw new Error('no purchase transfer');
    const before = structuredClone(ledger.state);
    const error = refusal(reverseTransfer(ledger.state, applied, { reason: 'never arrived' }, ledger.ctx()));
    expect(error.code).toBe('BALANCE_INSUFFICIENT');
    expect(error.details).toMatchObject({ account: 'pool', balance: 99.99, amount: 100 });
    expect(ledger.state).toEqual(before);
  });

  it('cannot take a lot below zero even when the pool as a whole could pay', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    ledger.applyPurchase('a', 1, '2026-10-01T09:00:00.000Z');
    ledger.applyPurchase('b', 1, '2026-10-02T09:00:00.000Z');
    use(ledger, usage('alice', 10_500)); // 500 from lot a; pool 19500
    const appliedA = ledger.transfers.find((x) => x.code === 'purchase_applied' && x.lotId === 'a');
    if (!appliedA) throw new Error('no purchase transfer');
    const before = structuredClone(ledger.state);
    expect(refusal(reverseTransfer(ledger.state, appliedA, { reason: 'never arrived' }, ledger.ctx())).code).toBe('BALANCE_INSUFFICIENT');
    expect(ledger.state).toEqual(before);
  });

  it('reverses an untouched purchase: the pool and the lot go back to zero', () => {
    const ledger = new Ledger();
    ledger.applyPurchase('a', 2);
    const applied = ledger.transfers.find((x) => x.code === 'purchase_applied');
    if (!applied) throw new Error('no purchase transfer');
    const { posting } = reverse(ledger, applied, 'entered twice');
    expect(posting.lots).toEqual([expect.objectContaining({ id: 'a', remaining: 0, units: 20_000 })]);
    expect(posting.events[0]?.poolAfter).toBe(0);
    expect(poolBalance(ledger.state)).toBe(0);
    expect(ledger.state.lots[0]?.remaining).toBe(0);
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
  });
});

describe('reversal: pool draws', () => {
  it('restores the remaining of the lot each draw came from', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    ledger.applyPurchase('a', 1, '2026-10-01T09:00:00.000Z');
    ledger.applyPurchase('b', 1, '2026-10-02T09:00:00.000Z');
    use(ledger, usage('alice', 19_000)); // own 10000, lot a 9000
    const draws = use(ledger, usage('alice', 3000)); // lot a 1000, lot b 2000
    expect(draws.map((x) => [x.lotId, x.amount])).toEqual([
      ['a', 1000],
      ['b', 2000],
    ]);
    const { posting, reversal } = reverse(ledger, t(draws, 1));
    expect(reversal).toMatchObject({ debit: 'usage', credit: 'pool', lotId: 'b', amount: 2000, memberId: 'alice' });
    expect(posting.lots.map((l) => [l.id, l.remaining])).toEqual([['b', 10_000]]);
    expect(posting.events[0]?.poolAfter).toBe(10_000);
    expect(ledger.state.lots.map((l) => [l.id, l.remaining])).toEqual([
      ['a', 0],
      ['b', 10_000],
    ]);
    reverse(ledger, t(draws, 0));
    expect(ledger.state.lots.map((l) => [l.id, l.remaining])).toEqual([
      ['a', 1000],
      ['b', 10_000],
    ]);
    expect(poolBalance(ledger.state)).toBe(11_000);
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
  });

  it('reverses an imported draw the lots did not cover without touching any lot', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    ledger.applyPurchase('a', 1);
    const transfers = use(ledger, usage('alice', 20_300, 'import:imp-1'));
    const uncovered = transfers.find((x) => x.code === 'usage_pool' && !x.lotId);
    if (!uncovered) throw new Error('no uncovered draw');
    expect(poolBalance(ledger.state)).toBe(-300);
    const { posting } = reverse(ledger, uncovered, 'row imported twice');
    expect(posting.lots).toEqual([]);
    expect(poolBalance(ledger.state)).toBe(0);
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
  });

  it('refuses with NOT_FOUND when the lot of a pool transfer is missing', () => {
    const state = emptyLedgerState();
    state.balances['pool'] = 500;
    const orphan: Transfer = {
      id: 'x.00', postingId: 'x', debit: 'pool', credit: 'usage', amount: 100, code: 'usage_pool', lotId: 'gone', source: 'self', actor: 'a', at: NOW,
    };
    expect(refusal(reverseTransfer(state, orphan, { reason: 'r' }, ctx('p1', { actor: MANAGER }))).code).toBe('NOT_FOUND');
  });
});
