import { describe, expect, it } from 'vitest';
import type { Hold } from '../../../src/core/holds/index.js';
import { HOLDS_ACTOR, expireHolds, placeHold, voidHold } from '../../../src/core/holds/index.js';
import { checkInvariants, planUsage, poolBalance } from '../../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import { planImportBatch } from '../../../src/core/usage-import/index.js';
import { Ledger, unwrap } from './helpers.js';

/**
 * Issue 19, items 1 and 6: a hold is settled only by usage of its service dated on or after the day it was
 * placed, self-logged or imported alike, and records what settled it; a hold's pool part moving is in the feed.
 */
const POLICY = { ...DEFAULT_POLICY, maxPoolHeldPerPerson: 1000 };
const PLACED = '2026-12-06T14:00:00.000Z';

/** Alice (100 own) and a pool of 200 in two lots. */
function ledger(): Ledger {
  const l = new Ledger();
  l.addRegistered('alice', 'Boston');
  l.applyPurchase('a', 1, '2026-10-01T09:00:00.000Z');
  l.applyPurchase('b', 1, '2026-10-15T09:00:00.000Z');
  return l;
}

function hold(l: Ledger, amount: number, service = 'generative_design'): Hold {
  const placed = unwrap(placeHold(l.state, { memberId: 'alice', amount, service, source: 'self' }, l.ctx({ actor: 'alice', now: PLACED, policy: POLICY })));
  l.commit(placed.posting);
  return placed.hold;
}

function importRow(l: Ledger, row: { date: string; service: string; amount: number }) {
  const batch = unwrap(
    planImportBatch(
      l.state,
      { importId: 'imp1', rows: [{ rowId: `r-${row.date}-${row.service}`, line: 2, memberId: 'alice', ...row }], provisional: [], settleWindowDays: 3, budget: { max: 99, chars: 200_000 } },
      l.ctx({ actor: 'it-1', now: '2026-12-07T09:00:00.000Z', policy: POLICY }),
    ),
  );
  l.commit(batch.posting);
  return batch;
}

const sound = (l: Ledger) => expect(checkInvariants(l.snapshot())).toEqual([]);

describe('which usage settles a hold (issue 19)', () => {
  it("an imported row of another service, dated before the hold, leaves it open (the issue's scenario)", () => {
    const l = ledger();
    const h = hold(l, 3000);
    expect(h).toMatchObject({ fromOwn: 3000, fromPool: 0 });
    const batch = importRow(l, { date: '2026-12-02', service: 'simulation', amount: 3000 });
    expect(l.state.holds[h.id]).toMatchObject({ state: 'held', amount: 3000 });
    expect(l.state.holds[h.id]!.settledBy).toBeUndefined();
    // Alice's 70 free own credits cover the row: the hold keeps its own credits and the pool is untouched.
    expect(batch.posting.events).toEqual([]);
    // A row her free own credits cannot cover takes the own credits the hold locks first (own credits
    // first); the hold stays open, re-backed from the pool, and the feed says why the pool dropped.
    const more = importRow(l, { date: '2026-12-03', service: 'simulation', amount: 9000 });
    expect(l.state.holds[h.id]).toMatchObject({ state: 'held', amount: 3000, fromOwn: 0, fromPool: 3000 });
    expect(more.posting.events).toEqual([expect.objectContaining({ kind: 'hold_placed', amount: 3000, poolAfter: 17000 })]);
    sound(l);
  });

  it('an imported row of its service dated before the day it was placed leaves it open too', () => {
    const l = ledger();
    const h = hold(l, 3000);
    importRow(l, { date: '2026-12-05', service: 'generative_design', amount: 3000 });
    expect(l.state.holds[h.id]!.state).toBe('held');
    sound(l);
  });

  it.each(['simulation', 'generative_design'])('an imported %s row dated before the hold that takes all it holds (own credits first, an empty pool) does not settle it (issue 18)', (service) => {
    const l = new Ledger();
    l.addRegistered('alice', 'Boston');
    const h = hold(l, 10000);
    expect(h).toMatchObject({ fromOwn: 10000, fromPool: 0 });
    const batch = importRow(l, { date: '2026-12-02', service, amount: 10000 });
    // Nothing is left for it to reserve, but the usage happened before it existed: voided, not settled by it.
    expect(l.state.holds[h.id]).toMatchObject({ state: 'voided', amount: 10000, closedIn: batch.posting.id });
    expect(l.state.holds[h.id]!.settledBy).toBeUndefined();
    sound(l);
  });

  it('an imported row of its service dated on or after that day settles it and is recorded on it', () => {
    const l = ledger();
    const h = hold(l, 12000);
    const batch = importRow(l, { date: '2026-12-07', service: 'generative_design', amount: 3000 });
    expect(l.state.holds[h.id]).toMatchObject({
      state: 'settled',
      closedIn: batch.posting.id,
      settledBy: { service: 'generative_design', date: '2026-12-07', amount: 3000, source: 'import:imp1' },
    });
    // Its 20 from the pool went back: the feed says so, with the pool as the release left it.
    const events = batch.posting.events;
    expect(events).toEqual([
      expect.objectContaining({ kind: 'hold_settled', memberId: 'alice', amount: 2000, service: 'generative_design', poolAfter: 20000, id: `${batch.posting.id}.e0` }),
    ]);
    expect(events[0]!.message).toMatch(/settled by 30 credits of Generative design used on Dec 7, 2026, from Autodesk's usage export/);
    sound(l);
  });

  it('a self-logged usage follows the same rule: the same day settles, the day before does not', () => {
    const l = ledger();
    const h = hold(l, 3000);
    const use = (date: string) => unwrap(planUsage(l.state, { memberId: 'alice', amount: 100, service: 'generative_design', date, source: 'self' }, l.ctx({ actor: 'alice', now: '2026-12-07T09:00:00.000Z', policy: POLICY })));
    const before = use('2026-12-05');
    l.commit(before.posting);
    expect(before.settledHolds).toEqual([]);
    const sameDay = use('2026-12-06');
    l.commit(sameDay.posting);
    expect(sameDay.settledHolds.map((x) => x.id)).toEqual([h.id]);
    expect(l.state.holds[h.id]!.settledBy).toEqual({ service: 'generative_design', date: '2026-12-06', amount: 100, source: 'self' });
    sound(l);
  });
});

describe('holds in the feed (issue 19)', () => {
  it('placing a hold with a pool part is an event with the pool after it; a hold of own credits only is not', () => {
    const l = ledger();
    const own = unwrap(placeHold(l.state, { memberId: 'alice', amount: 5000, service: 'simulation', source: 'self' }, l.ctx({ actor: 'alice', policy: POLICY })));
    expect(own.posting.events).toEqual([]);
    l.commit(own.posting);
    const pooled = unwrap(placeHold(l.state, { memberId: 'alice', amount: 8000, service: 'simulation', source: 'self' }, l.ctx({ actor: 'alice', policy: POLICY })));
    l.commit(pooled.posting);
    expect(pooled.posting.events).toEqual([expect.objectContaining({ kind: 'hold_placed', amount: 3000, poolAfter: 17000, memberName: 'Name alice', office: 'Boston', id: `${pooled.posting.id}.e0` })]);
    expect(poolBalance(l.state)).toBe(17000);
    expect(pooled.posting.events[0]!.message).toBe('Name alice reserved 80 credits for Simulation, 30 credits of it from the pool, until the usage is recorded.');
  });

  it('voiding and expiry give the pool part back, each as its event', () => {
    const l = ledger();
    const first = hold(l, 12000);
    const voided = unwrap(voidHold(l.state, first.id, 'self', l.ctx({ actor: 'alice' })));
    l.commit(voided.posting);
    expect(voided.posting.events).toEqual([expect.objectContaining({ kind: 'hold_voided', amount: 2000, poolAfter: 20000 })]);

    const second = hold(l, 13000);
    const expired = unwrap(expireHolds(l.state, [second.id], second.expiresAt, l.ctx({ actor: HOLDS_ACTOR, now: second.expiresAt })));
    l.commit(expired.posting);
    expect(expired.posting.events).toEqual([expect.objectContaining({ kind: 'hold_expired', amount: 3000, poolAfter: 20000, actor: HOLDS_ACTOR })]);
    expect(expired.posting.events[0]!.message).toMatch(/lapsed unused: 30 credits went back to the pool/);
    sound(l);
  });
});
