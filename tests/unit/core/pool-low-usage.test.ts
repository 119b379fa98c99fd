/**
 * The pool-low alert raised when usage is recorded follows the hourly alert's rule (issue 19, item 4): quiet
 * while the purchases on their way bring the pool back over the line, raised when they do not.
 */
import { describe, expect, it } from 'vitest';
import { planUsage } from '../../../src/core/ledger/index.js';
import { createPurchase } from '../../../src/core/purchases/index.js';
import { Ledger, NOW, unwrap } from './helpers.js';

/** A pool of one applied block (100 credits; low under 20) and Ana, who has used up her own credits. */
function poolOfOneBlock(): Ledger {
  const ledger = new Ledger();
  ledger.applyPurchase('first', 1);
  ledger.addRegistered('ana');
  ledger.commit(unwrap(planUsage(ledger.state, { memberId: 'ana', amount: 10_000, service: 'simulation', date: NOW.slice(0, 10), source: 'self' }, ledger.ctx())).posting);
  return ledger;
}

const lowKinds = (ledger: Ledger) =>
  unwrap(planUsage(ledger.state, { memberId: 'ana', amount: 8_500, service: 'simulation', date: NOW.slice(0, 10), source: 'self' }, ledger.ctx())).posting.events.map((e) => e.kind);

describe('pool low when usage is recorded', () => {
  it('is raised when nothing is on its way', () => {
    expect(lowKinds(poolOfOneBlock())).toContain('alert_pool_low');
  });

  it('stays quiet while an open purchase brings the pool back over the line', () => {
    const ledger = poolOfOneBlock();
    ledger.commit(unwrap(createPurchase(ledger.state, { purchaseId: 'next', blocks: 1 }, ledger.ctx())).posting);
    ledger.walkPurchase('next', ['quote_requested', 'quote_received', 'approved', 'ordered']);
    expect(lowKinds(ledger)).toEqual(['pool_draw']);
  });

  it('is raised when the purchase that was on its way is cancelled', () => {
    const ledger = poolOfOneBlock();
    ledger.commit(unwrap(createPurchase(ledger.state, { purchaseId: 'gone', blocks: 1 }, ledger.ctx())).posting);
    ledger.walkPurchase('gone', ['cancelled']);
    expect(lowKinds(ledger)).toContain('alert_pool_low');
  });
});
