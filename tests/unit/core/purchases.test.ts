import { describe, expect, it } from 'vitest';
import type { Purchase, PurchaseEvent, PurchaseEventInput, PurchaseState } from '../../../src/core/purchases/index.js';
import { applyPosting, checkInvariants, emptyLedgerState, poolBalance } from '../../../src/core/ledger/index.js';
import {
  MAX_BLOCKS_PER_PURCHASE,
  PURCHASE_EVENTS,
  PURCHASE_STATES,
  allowedPurchaseEvents,
  applyPurchaseEvent,
  createPurchase,
} from '../../../src/core/purchases/index.js';
import { Ledger, MANAGER, NOW, STEP_FIELDS, ctx, policyWith, refusal, unwrap } from './helpers.js';

/** DESIGN 3.6, written out independently of the code: event -> the states it may follow. */
const EXPECTED: Record<PurchaseEvent, readonly PurchaseState[]> = {
  quote_requested: ['requested'],
  // A quote may arrive without a separate "quote requested" step (the request went out by email).
  quote_received: ['requested', 'quote_requested'],
  approved: ['quote_received'],
  ordered: ['approved'],
  applied: ['ordered'],
  cancelled: ['requested', 'quote_requested', 'quote_received', 'approved', 'ordered'],
};

const cases = PURCHASE_STATES.flatMap((from) => PURCHASE_EVENTS.map((event) => ({ from, event, allowed: EXPECTED[event].includes(from) })));

function purchaseIn(state: PurchaseState, blocks = 2): Purchase {
  return {
    id: 'buy-1',
    blocks,
    units: blocks * 10_000,
    state,
    requestedBy: MANAGER,
    createdAt: '2026-10-01T09:00:00.000Z',
    updatedAt: '2026-10-01T09:00:00.000Z',
    steps: [{ type: 'requested', at: '2026-10-01T09:00:00.000Z', by: MANAGER }],
  };
}

function stateWithPurchase(state: PurchaseState) {
  const s = emptyLedgerState();
  s.purchases['buy-1'] = purchaseIn(state);
  return s;
}

const input = (type: PurchaseEvent): PurchaseEventInput => ({ purchaseId: 'buy-1', type, ...STEP_FIELDS[type] });

describe('purchases: whole blocks', () => {
  it.each([1, 2, 37, MAX_BLOCKS_PER_PURCHASE])('accepts %s block(s), worth blocks × blockSize × 100 units', (blocks) => {
    const { posting, purchase } = unwrap(createPurchase(emptyLedgerState(), { purchaseId: 'buy-1', blocks, reason: 'Q4 renders' }, ctx('c1')));
    expect(purchase).toEqual({
      id: 'buy-1',
      blocks,
      units: blocks * 100 * 100,
      state: 'requested',
      reason: 'Q4 renders',
      requestedBy: MANAGER,
      createdAt: NOW,
      updatedAt: NOW,
      steps: [{ type: 'requested', at: NOW, by: MANAGER, reason: 'Q4 renders' }],
    });
    expect(posting.purchases).toEqual([purchase]);
    expect(posting.transfers).toEqual([]);
    expect(posting.lots).toEqual([]);
    expect(posting.events.map((e) => [e.kind, e.purchaseId, e.purchaseState])).toEqual([['purchase_step', 'buy-1', 'requested']]);
  });

  it.each([0, -1, 1.5, MAX_BLOCKS_PER_PURCHASE + 1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s blocks', (blocks) => {
    const error = refusal(createPurchase(emptyLedgerState(), { purchaseId: 'buy-1', blocks }, ctx('c1')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual({ field: 'blocks' });
  });

  it('uses the policy block size', () => {
    const { purchase } = unwrap(createPurchase(emptyLedgerState(), { purchaseId: 'b', blocks: 3 }, ctx('c1', { policy: policyWith({ blockSize: 500 }) })));
    expect(purchase.units).toBe(3 * 500 * 100);
  });

  it('refuses a second purchase with the same id', () => {
    const state = stateWithPurchase('requested');
    const before = structuredClone(state);
    expect(refusal(createPurchase(state, { purchaseId: 'buy-1', blocks: 1 }, ctx('c1'))).code).toBe('INVALID_TRANSITION');
    expect(state).toEqual(before);
  });
});

describe('purchases: every step from every state', () => {
  it('covers all 42 combinations', () => {
    expect(cases).toHaveLength(42);
  });

  it.each(cases.filter((c) => c.allowed))('$from --$event--> succeeds and stamps who and when', ({ from, event }) => {
    const state = stateWithPurchase(from);
    const c = ctx('s1', { actor: 'manager-2', now: '2026-11-05T12:00:00.000Z' });
    const { posting, purchase } = unwrap(applyPurchaseEvent(state, input(event), c));
    expect(purchase.state).toBe(event);
    expect(purchase.updatedAt).toBe(c.now);
    expect(purchase.steps).toHaveLength(2);
    expect(purchase.steps.at(-1)).toMatchObject({ type: event, at: c.now, by: 'manager-2' });
    expect(posting.purchases).toEqual([purchase]);
    expect(posting.events.map((e) => [e.kind, e.purchaseState])).toEqual([['purchase_step', event]]);
    // only `applied` moves credits
    expect(posting.transfers.length).toBe(event === 'applied' ? 1 : 0);
    expect(posting.lots.length).toBe(event === 'applied' ? 1 : 0);
  });

  it.each(cases.filter((c) => !c.allowed))('$from --$event--> is INVALID_TRANSITION and changes nothing', ({ from, event }) => {
    const state = stateWithPurchase(from);
    const before = structuredClone(state);
    const error = refusal(applyPurchaseEvent(state, input(event), ctx('s1')));
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(error.details).toMatchObject({ from, event, allowed: PURCHASE_EVENTS.filter((e) => EXPECTED[e].includes(from)) });
    expect(state).toEqual(before);
  });

  it('lists the allowed events of each state', () => {
    for (const s of PURCHASE_STATES) expect(allowedPurchaseEvents(s)).toEqual(PURCHASE_EVENTS.filter((e) => EXPECTED[e].includes(s)));
    expect(allowedPurchaseEvents('applied')).toEqual([]);
    expect(allowedPurchaseEvents('cancelled')).toEqual([]);
  });

  it('refuses an unknown purchase with NOT_FOUND', () => {
    expect(refusal(applyPurchaseEvent(emptyLedgerState(), input('approved'), ctx('s1'))).code).toBe('NOT_FOUND');
  });
});

describe('purchases: step details', () => {
  it.each([
    [{}],
    [{ quoteNumber: 'Q-1', price: 1500 }],
    [{ quoteNumber: 'Q-1', currency: 'USD' }],
    [{ price: 1500, currency: 'USD' }],
    [{ quoteNumber: '', price: 1500, currency: 'USD' }],
  ])('quote_received needs quote number, price and currency (%j)', (fields) => {
    const state = stateWithPurchase('quote_requested');
    const before = structuredClone(state);
    const error = refusal(applyPurchaseEvent(state, { purchaseId: 'buy-1', type: 'quote_received', ...fields }, ctx('s1')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(state).toEqual(before);
  });

  it('quote_received keeps the quote on the purchase and the step (a price of 0 is a price)', () => {
    const state = stateWithPurchase('quote_requested');
    const { purchase } = unwrap(
      applyPurchaseEvent(state, { purchaseId: 'buy-1', type: 'quote_received', quoteNumber: 'Q-77', price: 0, currency: 'EUR' }, ctx('s1')),
    );
    expect(purchase).toMatchObject({ quoteNumber: 'Q-77', price: 0, currency: 'EUR' });
    expect(purchase.steps.at(-1)).toMatchObject({ quoteNumber: 'Q-77', price: 0, currency: 'EUR' });
  });

  it('ordered needs a PO number', () => {
    const state = stateWithPurchase('approved');
    const error = refusal(applyPurchaseEvent(state, { purchaseId: 'buy-1', type: 'ordered' }, ctx('s1')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual({ field: 'poNumber' });
    const { purchase } = unwrap(applyPurchaseEvent(state, { purchaseId: 'buy-1', type: 'ordered', poNumber: 'PO-123' }, ctx('s1')));
    expect(purchase.poNumber).toBe('PO-123');
    expect(purchase.steps.at(-1)?.poNumber).toBe('PO-123');
  });
});

describe('purchases: applied', () => {
  it('creates exactly one lot and one purchase_applied transfer reseller -> pool', () => {
    const ledger = new Ledger();
    ledger.commit(unwrap(createPurchase(ledger.state, { purchaseId: 'buy-1', blocks: 3 }, ledger.ctx())).posting);
    ledger.walkPurchase('buy-1', ['quote_requested', 'quote_received', 'approved', 'ordered']);
    const c = ledger.ctx({ now: '2026-11-09T08:00:00.000Z' });
    const { posting, purchase } = unwrap(applyPurchaseEvent(ledger.state, { purchaseId: 'buy-1', type: 'applied' }, c));
    expect(purchase.state).toBe('applied');
    expect(posting.transfers).toEqual([
      {
        id: `${c.postingId}.00`,
        postingId: c.postingId,
        debit: 'reseller',
        credit: 'pool',
        amount: 30_000,
        code: 'purchase_applied',
        lotId: 'buy-1',
        source: 'manager',
        actor: MANAGER,
        at: c.now,
      },
    ]);
    expect(posting.lots).toEqual([
      { id: 'buy-1', purchaseId: 'buy-1', appliedAt: c.now, units: 30_000, remaining: 30_000, price: 1500, currency: 'USD' },
    ]);
    expect(posting.events).toHaveLength(1);
    expect(posting.events[0]).toMatchObject({ kind: 'purchase_step', purchaseState: 'applied', amount: 30_000, poolAfter: 30_000 });
    ledger.commit(posting);
    expect(poolBalance(ledger.state)).toBe(30_000);
    expect(ledger.state.balances['reseller']).toBe(-30_000);
    expect(ledger.state.lots).toHaveLength(1);
    expect(checkInvariants(ledger.snapshot())).toEqual([]);

    // cannot apply twice, nor cancel once applied
    const before = structuredClone(ledger.state);
    expect(refusal(applyPurchaseEvent(ledger.state, { purchaseId: 'buy-1', type: 'applied' }, ledger.ctx())).code).toBe('INVALID_TRANSITION');
    expect(refusal(applyPurchaseEvent(ledger.state, input('cancelled'), ledger.ctx())).code).toBe('INVALID_TRANSITION');
    expect(ledger.state).toEqual(before);
  });

  it('adds each applied purchase as a new lot after the older ones', () => {
    const ledger = new Ledger();
    ledger.applyPurchase('first', 1, '2026-10-01T09:00:00.000Z');
    ledger.applyPurchase('second', 2, '2026-10-20T09:00:00.000Z');
    expect(ledger.state.lots.map((l) => [l.id, l.units, l.remaining])).toEqual([
      ['first', 10_000, 10_000],
      ['second', 20_000, 20_000],
    ]);
    expect(poolBalance(ledger.state)).toBe(30_000);
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
  });

  it.each(['requested', 'quote_requested', 'quote_received', 'approved', 'ordered'] as const)(
    'may be cancelled from %s, moving no credits',
    (from) => {
      const state = stateWithPurchase(from);
      const { posting, purchase } = unwrap(applyPurchaseEvent(state, { purchaseId: 'buy-1', type: 'cancelled', reason: 'budget' }, ctx('s1')));
      expect(purchase.state).toBe('cancelled');
      expect(purchase.steps.at(-1)).toMatchObject({ type: 'cancelled', reason: 'budget' });
      expect(posting.transfers).toEqual([]);
      const after = applyPosting(state, posting);
      expect(poolBalance(after)).toBe(0);
      expect(after.lots).toEqual([]);
    },
  );
});
