import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Hold } from '../../../src/core/holds/index.js';
import type { LedgerState, Posting, Transfer, TransferSource, UsageInput } from '../../../src/core/ledger/index.js';
import type { Result } from '../../../src/core/result.js';
import {
  HOLDS_ACTOR,
  expireHolds,
  heldBalance,
  heldFromPool,
  holdExpiry,
  joinPostings,
  openHoldsOf,
  pickHoldsToSettle,
  placeHold,
  settleHoldsForUsage,
  voidHold,
} from '../../../src/core/holds/index.js';
import {
  applyPosting,
  balanceOf,
  checkInvariants,
  emptyPosting,
  heldAccount,
  ownBalance,
  planUsage,
  poolBalance,
  reverseTransfer,
} from '../../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import { createPurchase } from '../../../src/core/purchases/index.js';
import { planImportBatch } from '../../../src/core/usage-import/index.js';
import { Ledger, NOW, ctx, memberIn, refusal, unwrap } from './helpers.js';

/** Alice registered (100 own), pool lots a (older) and b, 100 credits each: 200 in the pool. */
function aliceAndPool(): Ledger {
  const ledger = new Ledger();
  ledger.addRegistered('alice', 'Boston');
  ledger.applyPurchase('a', 1, '2026-10-01T09:00:00.000Z');
  ledger.applyPurchase('b', 1, '2026-10-15T09:00:00.000Z');
  return ledger;
}

/** Room for holds of a few hundred credits from the pool: the per-person limit has its own tests. */
const ROOMY = { ...DEFAULT_POLICY, maxPoolHeldPerPerson: 1000 };

const at = (hours: number) => new Date(Date.parse(NOW) + hours * 3_600_000).toISOString();

function hold(ledger: Ledger, memberId: string, amount: number, service = 'simulation', options: { now?: string; note?: string; actor?: string } = {}): Hold {
  const { posting, hold } = unwrap(placeHold(ledger.state, { memberId, amount, service, source: 'self', ...(options.note ? { note: options.note } : {}) }, ledger.ctx({ actor: options.actor ?? memberId, now: options.now ?? NOW, policy: ROOMY })));
  ledger.commit(posting);
  return hold;
}

function use(ledger: Ledger, memberId: string, amount: number, service = 'simulation', extra: Partial<UsageInput> = {}) {
  const outcome = unwrap(planUsage(ledger.state, { memberId, amount, service, date: '2026-11-02', source: 'self', ...extra }, ledger.ctx({ actor: memberId, policy: ROOMY })));
  ledger.commit(outcome.posting);
  return outcome;
}

const lot = (ledger: Ledger, id: string) => ledger.state.lots.find((l) => l.id === id)!.remaining;
const sound = (ledger: Ledger) => expect(checkInvariants(ledger.snapshot())).toEqual([]);

describe('placing a hold', () => {
  it('takes own credits first into the member’s held account, and expires after the policy’s days', () => {
    const ledger = aliceAndPool();
    const h = hold(ledger, 'alice', 3000, 'simulation', { note: 'Tower wind study' });
    expect(h).toMatchObject({ memberId: 'alice', amount: 3000, fromOwn: 3000, fromPool: 0, poolLots: [], service: 'simulation', note: 'Tower wind study', state: 'held', placedAt: NOW, placedBy: 'alice' });
    expect(h.expiresAt).toBe('2026-11-09T10:00:00.000Z');
    expect(ownBalance(ledger.state, 'alice')).toBe(7000);
    expect(heldBalance(ledger.state, 'alice')).toBe(3000);
    expect(ledger.state.members['alice']!.held).toBe(3000);
    expect(poolBalance(ledger.state)).toBe(20000);
    const placed = ledger.transfers.filter((t) => t.code === 'hold_placed');
    expect(placed).toEqual([expect.objectContaining({ debit: 'member:alice', credit: 'held:alice', amount: 3000, holdId: h.id, memberId: 'alice', service: 'simulation', office: 'Boston' })]);
    sound(ledger);
  });

  it('takes the pool only for what own credits cannot cover, from the oldest lot, and remembers the lots', () => {
    const ledger = aliceAndPool();
    const h = hold(ledger, 'alice', 25000);
    expect(h).toMatchObject({ fromOwn: 10000, fromPool: 15000, poolLots: [{ lotId: 'a', amount: 10000 }, { lotId: 'b', amount: 5000 }] });
    expect(ownBalance(ledger.state, 'alice')).toBe(0);
    expect(poolBalance(ledger.state)).toBe(5000);
    expect([lot(ledger, 'a'), lot(ledger, 'b')]).toEqual([0, 5000]);
    expect(heldFromPool([h])).toBe(15000);
    sound(ledger);
  });

  it('refuses what the pool cannot cover with POOL_INSUFFICIENT, changing nothing', () => {
    const ledger = aliceAndPool();
    ledger.commit(unwrap(createPurchase(ledger.state, { purchaseId: 'c', blocks: 1 }, ledger.ctx())).posting);
    const before = structuredClone(ledger.state);
    const error = refusal(placeHold(ledger.state, { memberId: 'alice', amount: 30001, service: 'simulation', source: 'self' }, ctx('p-x', { policy: ROOMY })));
    expect(error.code).toBe('POOL_INSUFFICIENT');
    expect(error.details).toMatchObject({ poolBalance: 200, needed: 200.01, openPurchases: [{ id: 'c', state: 'requested', blocks: 1 }] });
    expect(ledger.state).toEqual(before);
  });

  it('refuses people who are not registered, unknown people, services and amounts', () => {
    const ledger = aliceAndPool();
    ledger.state.members['bob'] = memberIn('bob', 'account_created');
    const place = (memberId: string, amount: number, service = 'simulation') => placeHold(ledger.state, { memberId, amount, service, source: 'self' }, ctx('p-x'));
    expect(refusal(place('bob', 100))).toMatchObject({ code: 'NOT_REGISTERED', details: { registrationState: 'account_created' } });
    expect(refusal(place('nobody', 100)).code).toBe('NOT_FOUND');
    expect(refusal(place('alice', 100, 'teleportation'))).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'service' } });
    for (const amount of [0, -5, 1.5, Number.NaN]) expect(refusal(place('alice', amount))).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'amount' } });
  });

  it('keeps what someone holds from everyone else: the pool others see is less what is held from it', () => {
    const ledger = aliceAndPool();
    ledger.addRegistered('bob');
    use(ledger, 'bob', 10000);
    hold(ledger, 'alice', 25000); // 150 from the pool: 50 left for anyone else
    expect(refusal(planUsage(ledger.state, { memberId: 'bob', amount: 5001, service: 'other', date: '2026-11-02', source: 'self' }, ctx('p-x'))).code).toBe('POOL_INSUFFICIENT');
    expect(refusal(placeHold(ledger.state, { memberId: 'bob', amount: 5001, service: 'other', source: 'self' }, ctx('p-y'))).code).toBe('POOL_INSUFFICIENT');
    use(ledger, 'bob', 5000, 'other');
    expect(poolBalance(ledger.state)).toBe(0);
    expect(heldBalance(ledger.state, 'alice')).toBe(25000);
    sound(ledger);
  });
});

describe('voiding and expiring', () => {
  it('void gives each part back where it came from: own credits, and the very lots', () => {
    const ledger = aliceAndPool();
    const h = hold(ledger, 'alice', 25000);
    use(ledger, 'alice', 1); // settles it: 1 unit used from own
    expect(ledger.state.holds[h.id]!.state).toBe('settled');

    const second = hold(ledger, 'alice', 25000);
    expect(second.poolLots).toEqual([{ lotId: 'a', amount: 10000 }, { lotId: 'b', amount: 5001 }]);
    const ownBefore = ownBalance(ledger.state, 'alice');
    const { posting, hold: voided } = unwrap(voidHold(ledger.state, second.id, 'self', ledger.ctx({ actor: 'alice' })));
    ledger.commit(posting);
    expect(voided).toMatchObject({ state: 'voided', closedBy: 'alice', closedAt: NOW, closedIn: posting.id });
    expect(ownBalance(ledger.state, 'alice')).toBe(ownBefore + second.fromOwn);
    expect([lot(ledger, 'a'), lot(ledger, 'b')]).toEqual([10000, 10000]);
    expect(heldBalance(ledger.state, 'alice')).toBe(0);
    expect(posting.transfers.every((t) => t.code === 'hold_released' && t.debit === 'held:alice' && t.holdId === second.id && t.source === 'self')).toBe(true);
    sound(ledger);
  });

  it('voiding twice, or a hold that is settled, is an INVALID_TRANSITION; an unknown hold NOT_FOUND', () => {
    const ledger = aliceAndPool();
    const h = hold(ledger, 'alice', 500);
    ledger.commit(unwrap(voidHold(ledger.state, h.id, 'self', ledger.ctx())).posting);
    expect(refusal(voidHold(ledger.state, h.id, 'self', ctx('p-x')))).toMatchObject({ code: 'INVALID_TRANSITION', details: { state: 'voided' } });
    expect(refusal(voidHold(ledger.state, 'nope', 'self', ctx('p-x'))).code).toBe('NOT_FOUND');
  });

  it('expires only open holds past their expiry, as a system posting', () => {
    const ledger = aliceAndPool();
    const h = hold(ledger, 'alice', 12000);
    expect(h.expiresAt).toBe(holdExpiry(NOW, DEFAULT_POLICY.holdExpiryDays));
    expect(refusal(expireHolds(ledger.state, [h.id], at(24 * 7 - 1), ctx('p-x'))).code).toBe('INVALID_TRANSITION');
    const { posting, expired } = unwrap(expireHolds(ledger.state, [h.id, 'unknown'], at(24 * 7), ledger.ctx({ actor: HOLDS_ACTOR, now: at(24 * 7) })));
    ledger.commit(posting);
    expect(expired).toEqual([expect.objectContaining({ id: h.id, state: 'expired', closedBy: HOLDS_ACTOR })]);
    expect(posting.transfers.every((t) => t.source === 'system' && t.actor === HOLDS_ACTOR)).toBe(true);
    expect(ownBalance(ledger.state, 'alice')).toBe(10000);
    expect(poolBalance(ledger.state)).toBe(20000);
    expect(refusal(expireHolds(ledger.state, [h.id], at(24 * 8), ctx('p-y'))).code).toBe('INVALID_TRANSITION');
    sound(ledger);
  });

  it('the policy sets how long a hold lasts', () => {
    const ledger = aliceAndPool();
    const { hold: h } = unwrap(placeHold(ledger.state, { memberId: 'alice', amount: 100, service: 'other', source: 'self' }, ctx('p-1', { policy: { ...DEFAULT_POLICY, holdExpiryDays: 2 } })));
    expect(h.expiresAt).toBe('2026-11-04T10:00:00.000Z');
  });

  it('a hold’s transfers are not reversed: voiding is how', () => {
    const ledger = aliceAndPool();
    hold(ledger, 'alice', 500);
    const placed = ledger.transfers.find((t) => t.code === 'hold_placed')!;
    expect(refusal(reverseTransfer(ledger.state, placed, { reason: 'oops' }, ctx('p-x'))).code).toBe('NOT_REVERSIBLE');
  });
});

describe('settling with usage', () => {
  it('releases the hold and draws the actual by the usual rule in one posting: the difference goes back', () => {
    const ledger = aliceAndPool();
    const h = hold(ledger, 'alice', 15000); // own 100 + pool 50 (lot a)
    const outcome = use(ledger, 'alice', 12000);
    expect(outcome).toMatchObject({ fromOwn: 10000, fromPool: 2000, balanceAfter: 0, settledHolds: [expect.objectContaining({ id: h.id, state: 'settled', closedIn: outcome.posting.id })] });
    const { transfers } = outcome.posting;
    expect(transfers.map((t) => t.code)).toEqual(['hold_released', 'hold_released', 'usage_individual', 'usage_pool']);
    expect(new Set(transfers.map((t) => t.id)).size).toBe(transfers.length);
    expect(transfers.every((t) => t.postingId === outcome.posting.id && t.id.startsWith(`${outcome.posting.id}.`))).toBe(true);
    expect(heldBalance(ledger.state, 'alice')).toBe(0);
    expect(poolBalance(ledger.state)).toBe(18000);
    expect(lot(ledger, 'a')).toBe(8000);
    expect(ledger.state.members['alice']).toMatchObject({ held: 0, poolDrawn: 2000 });
    expect(outcome.posting.lots).toHaveLength(1);
    sound(ledger);
  });

  it('a usage larger than the hold draws the rest as usual', () => {
    const ledger = aliceAndPool();
    hold(ledger, 'alice', 5000);
    const outcome = use(ledger, 'alice', 13000);
    expect(outcome).toMatchObject({ fromOwn: 10000, fromPool: 3000 });
    expect(openHoldsOf(ledger.state, 'alice')).toEqual([]);
    sound(ledger);
  });

  it('settles the oldest holds for the same service, as many as cover the usage; a usage of another service none', () => {
    const ledger = aliceAndPool();
    const render = hold(ledger, 'alice', 1000, 'cloud_rendering', { now: at(0) });
    const sim1 = hold(ledger, 'alice', 1000, 'simulation', { now: at(1) });
    const sim2 = hold(ledger, 'alice', 2000, 'simulation', { now: at(2) });
    const sim3 = hold(ledger, 'alice', 500, 'simulation', { now: at(3) });
    const settled = use(ledger, 'alice', 2500, 'simulation').settledHolds;
    expect(settled.map((h) => h.id)).toEqual([sim1.id, sim2.id]);
    expect(settled[0]!.settledBy).toEqual({ service: 'simulation', date: '2026-11-02', amount: 2500, source: 'self' });
    expect(use(ledger, 'alice', 100, 'generative_design').settledHolds).toEqual([]);
    expect(openHoldsOf(ledger.state, 'alice').map((h) => h.id)).toEqual([render.id, sim3.id]);
    sound(ledger);
  });

  it('settles only with usage dated on or after the day the hold was placed', () => {
    const ledger = aliceAndPool();
    const h = hold(ledger, 'alice', 1000, 'simulation', { now: '2026-11-06T15:00:00.000Z' });
    expect(use(ledger, 'alice', 100, 'simulation', { date: '2026-11-05' }).settledHolds).toEqual([]);
    expect(openHoldsOf(ledger.state, 'alice').map((x) => x.id)).toEqual([h.id]);
    expect(use(ledger, 'alice', 100, 'simulation', { date: '2026-11-06' }).settledHolds.map((x) => x.id)).toEqual([h.id]);
    sound(ledger);
  });

  it('an imported actual settles a hold too, and so does a usage an account manager logs', () => {
    const ledger = aliceAndPool();
    hold(ledger, 'alice', 1000);
    expect(use(ledger, 'alice', 800, 'simulation', { source: 'import:imp-1' }).settledHolds).toHaveLength(1);
    hold(ledger, 'alice', 1000);
    expect(use(ledger, 'alice', 800, 'simulation', { source: 'manager' }).settledHolds).toHaveLength(1);
    sound(ledger);
  });

  it('settleHoldsForUsage: for an importer building its own posting; nothing when there is no hold', () => {
    const ledger = aliceAndPool();
    const none = settleHoldsForUsage(ledger.state, { memberId: 'alice', service: 'simulation', date: '2026-11-02', amount: 100, source: 'import:x' }, ctx('p-0'));
    expect(none.settled).toEqual([]);
    expect(none.posting.transfers).toEqual([]);
    expect(none.state).toBe(ledger.state);

    hold(ledger, 'alice', 15000);
    const id = ledger.nextId();
    const settlement = settleHoldsForUsage(ledger.state, { memberId: 'alice', service: 'simulation', date: '2026-11-02', amount: 100, source: 'import:x' }, ctx(id));
    expect(settlement.settled).toHaveLength(1);
    expect(ownBalance(settlement.state, 'alice')).toBe(10000);
    expect(poolBalance(settlement.state)).toBe(20000);
    const usage = unwrap(planUsage(settlement.state, { memberId: 'alice', amount: 100, service: 'simulation', date: '2026-11-02', source: 'import:x' }, ctx(id)));
    expect(usage.settledHolds).toEqual([]);
    ledger.commit(joinPostings(settlement.posting, usage.posting));
    expect(ownBalance(ledger.state, 'alice')).toBe(9900);
    sound(ledger);
  });

  it('pickHoldsToSettle works on views too (the tab says which hold a usage will settle)', () => {
    const views = [
      { id: 'h3', service: 'simulation', placedAt: '2026-11-03T23:59:00.000Z', credits: 5 },
      { id: 'h1', service: 'simulation', placedAt: '2026-11-01T08:00:00.000Z', credits: 5 },
      { id: 'h2', service: 'other', placedAt: '2026-10-01T08:00:00.000Z', credits: 5 },
    ];
    const pick = (service: string, date: string, amount: number) => pickHoldsToSettle(views, { service, date, amount }, (h) => h.credits).map((h) => h.id);
    expect(pick('simulation', '2026-11-03', 6)).toEqual(['h1', 'h3']);
    expect(pick('simulation', '2026-11-03', 5)).toEqual(['h1']);
    expect(pick('simulation', '2026-11-02', 6)).toEqual(['h1']);
    expect(pick('simulation', '2026-10-31', 6)).toEqual([]);
    expect(pick('cloud_rendering', '2026-11-03', 1)).toEqual([]);
    expect(pickHoldsToSettle([], { service: 'simulation', date: '2026-11-03', amount: 1 }, () => 1)).toEqual([]);
  });
});

describe('own credits first, with holds (issue 15)', () => {
  /** Alice holds all 100 own for rendering, then 60 more (from the pool) for a simulation. */
  function ownHeldThenPoolHeld() {
    const ledger = aliceAndPool();
    const ownHold = hold(ledger, 'alice', 10000, 'cloud_rendering', { now: at(0) });
    const poolHold = hold(ledger, 'alice', 6000, 'simulation', { now: at(1) });
    expect([ownHold.fromOwn, poolHold.fromPool]).toEqual([10000, 6000]);
    return { ledger, ownHold, poolHold };
  }

  it('a usage takes the own credits another hold locks before the pool; that hold is re-backed from the pool', () => {
    const { ledger, ownHold, poolHold } = ownHeldThenPoolHeld();
    const outcome = use(ledger, 'alice', 6000, 'simulation');
    expect(outcome).toMatchObject({ fromOwn: 6000, fromPool: 0, balanceAfter: 0 });
    expect(outcome.settledHolds.map((h) => h.id)).toEqual([poolHold.id]);
    expect(outcome.posting.transfers.some((t) => t.code === 'usage_pool')).toBe(false);
    // The rendering hold keeps its 100: 40 own, 60 from the pool's oldest lot.
    expect(ledger.state.holds[ownHold.id]).toMatchObject({ state: 'held', amount: 10000, fromOwn: 4000, fromPool: 6000, poolLots: [{ lotId: 'a', amount: 6000 }] });
    expect(heldBalance(ledger.state, 'alice')).toBe(10000);
    expect(ledger.state.members['alice']).toMatchObject({ held: 10000 });
    // The settled hold's 60 came back to the pool and the rendering hold took 60 from it: the feed says both,
    // so the pool's moves are explained though the usage drew nothing from it.
    expect(outcome.posting.events.map((e) => [e.kind, e.amount, e.poolAfter])).toEqual([
      ['hold_settled', 6000, 20000],
      ['hold_placed', 6000, 14000],
    ]);
    expect(outcome.posting.events[1]!.message).toMatch(/now takes 60 credits more from the pool: the own credits it held went to their usage of Simulation first/);
    sound(ledger);

    ledger.commit(unwrap(voidHold(ledger.state, ownHold.id, 'self', ledger.ctx({ actor: 'alice' }))).posting);
    expect(ownBalance(ledger.state, 'alice')).toBe(4000);
    expect(poolBalance(ledger.state)).toBe(20000);
    expect([lot(ledger, 'a'), lot(ledger, 'b')]).toEqual([10000, 10000]);
    expect(ledger.state.members['alice']!.poolDrawn ?? 0).toBe(0);
    sound(ledger);
  });

  it('the checker flags the ledger the old rule wrote: a pool draw while own credits sat in another hold', () => {
    const { ledger, ownHold } = ownHeldThenPoolHeld();
    // The old rule saw only the holds a usage settles: the same usage decided without the rendering hold.
    const { [ownHold.id]: _unseen, ...others } = ledger.state.holds;
    const old = unwrap(planUsage({ ...ledger.state, holds: others }, { memberId: 'alice', amount: 6000, service: 'simulation', date: '2026-11-02', source: 'self' }, ledger.ctx({ actor: 'alice' })));
    expect(old).toMatchObject({ fromOwn: 0, fromPool: 6000 });
    ledger.commit(old.posting);
    ledger.commit(unwrap(voidHold(ledger.state, ownHold.id, 'self', ledger.ctx({ actor: 'alice' }))).posting);
    expect([ownBalance(ledger.state, 'alice'), poolBalance(ledger.state)]).toEqual([10000, 14000]);
    const violations = checkInvariants(ledger.snapshot());
    expect(violations).toEqual([
      { rule: 'own_credits_first', message: expect.any(String), details: expect.objectContaining({ memberId: 'alice', postingId: old.posting.id, ownFree: 0, ownHeld: 10000 }) },
    ]);
  });

  it('the checker replays within a posting: own credits released before a draw count, own credits used before it do not', () => {
    const ledger = aliceAndPool();
    const base = { postingId: 'px', memberId: 'alice', source: 'self' as const, actor: 'alice', at: NOW, service: 'simulation' };
    const posting = (transfers: Omit<Transfer, 'id' | keyof typeof base>[]) => ({ ...emptyPosting('px'), transfers: transfers.map((t, i) => ({ ...base, ...t, id: `px.0${i}` })) });
    const rules = (p: Posting) => checkInvariants({ ...ledger.snapshot(), transfers: [...ledger.snapshot().transfers, ...p.transfers], balances: applyPosting(ledger.state, p).balances }).map((v) => v.rule);
    // All 100 own used, then 50 from the pool: sound.
    const usedUp = posting([
      { debit: 'member:alice', credit: 'usage', amount: 10000, code: 'usage_individual' },
      { debit: 'pool', credit: 'usage', amount: 5000, code: 'usage_pool' },
    ]);
    expect(rules(usedUp)).not.toContain('own_credits_first');
    // 50 from the pool first, then 100 own: the draw came while own credits were left.
    expect(rules({ ...usedUp, transfers: [...usedUp.transfers].reverse() })).toContain('own_credits_first');
  });

  it('re-backs only as far as the pool covers; a hold the pool cannot re-back at all is used up and settled', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    ledger.applyPurchase('a', 1);
    const rendering = hold(ledger, 'alice', 10000, 'cloud_rendering', { now: at(0) });
    hold(ledger, 'alice', 8000, 'simulation', { now: at(1) }); // 20 left in the pool
    // The simulation hold's 80 go back (the pool: 100), the 100 used are the rendering hold's own credits,
    // and the pool's 100 re-back it in full.
    use(ledger, 'alice', 10000, 'simulation');
    expect(ledger.state.holds[rendering.id]).toMatchObject({ state: 'held', amount: 10000, fromOwn: 0, fromPool: 10000 });
    sound(ledger);

    const second = new Ledger();
    second.addRegistered('alice');
    second.applyPurchase('a', 1);
    const r2 = hold(second, 'alice', 10000, 'cloud_rendering', { now: at(0) });
    const sim = hold(second, 'alice', 6000, 'simulation', { now: at(1) });
    second.addRegistered('bob');
    second.commit(unwrap(planUsage(second.state, { memberId: 'bob', amount: 13000, service: 'other', date: '2026-11-02', source: 'self' }, second.ctx({ actor: 'bob' }))).posting); // the pool: 10 left
    // The simulation hold's 60 go back (the pool: 70), the 100 used are the rendering hold's own credits,
    // and the pool's 70 re-back it: it shrinks to 70.
    const outcome = use(second, 'alice', 10000, 'simulation');
    expect(outcome).toMatchObject({ fromOwn: 10000, fromPool: 0 });
    expect(second.state.holds[r2.id]).toMatchObject({ state: 'held', amount: 7000, fromOwn: 0, fromPool: 7000 });
    expect(second.state.holds[sim.id]!.state).toBe('settled');
    expect(poolBalance(second.state)).toBe(0);
    sound(second);

    const third = new Ledger();
    third.addRegistered('alice');
    const only = hold(third, 'alice', 4000, 'cloud_rendering', { now: at(0) });
    hold(third, 'alice', 6000, 'simulation', { now: at(1) });
    // No pool at all: the simulation usage of 100 takes its own 60 and the rendering hold's 40.
    const used = use(third, 'alice', 10000, 'simulation');
    expect(used).toMatchObject({ fromOwn: 10000, fromPool: 0 });
    expect(used.settledHolds.map((h) => h.state)).toEqual(['settled', 'settled']);
    expect(third.state.holds[only.id]).toMatchObject({ state: 'settled', closedIn: used.posting.id });
    expect(heldBalance(third.state, 'alice')).toBe(0);
    expect(used.posting.events.map((e) => e.kind)).toEqual(['pool_joined']);
    sound(third);
  });

  it('joining the pool is announced when no own credit is left, free or held', () => {
    const ledger = aliceAndPool();
    hold(ledger, 'alice', 6000, 'cloud_rendering', { now: at(0) });
    hold(ledger, 'alice', 1000, 'simulation', { now: at(1) });
    // 30 free + 10 released: used up, but 60 own are still held for rendering: not in the pool yet.
    expect(use(ledger, 'alice', 4000, 'simulation').posting.events).toEqual([]);
    const outcome = use(ledger, 'alice', 7000, 'cloud_rendering');
    expect(outcome).toMatchObject({ fromOwn: 6000, fromPool: 1000 });
    expect(outcome.posting.events.map((e) => e.kind)).toEqual(['pool_joined', 'pool_draw']);
    sound(ledger);
  });

  it('an imported actual takes own credits another hold locks before the pool, too', () => {
    const { ledger, ownHold } = ownHeldThenPoolHeld();
    const batch = unwrap(
      planImportBatch(ledger.state, { importId: 'imp1', rows: [{ rowId: 'r1-0', line: 2, memberId: 'alice', date: '2026-11-02', service: 'simulation', amount: 6000 }], provisional: [], settleWindowDays: 3, budget: { max: 99, chars: 200_000 } }, ledger.ctx()),
    );
    expect(batch).toMatchObject({ fromOwn: 6000, fromPool: 0 });
    ledger.commit(batch.posting);
    expect(ledger.state.holds[ownHold.id]).toMatchObject({ state: 'held', amount: 10000, fromOwn: 4000, fromPool: 6000 });
    sound(ledger);
    ledger.commit(unwrap(voidHold(ledger.state, ownHold.id, 'self', ledger.ctx())).posting);
    expect([ownBalance(ledger.state, 'alice'), poolBalance(ledger.state)]).toEqual([4000, 20000]);
    sound(ledger);
  });
});

describe('the per-person limit on pool credits in open holds', () => {
  const place = (ledger: Ledger, memberId: string, amount: number, source: 'self' | 'manager' = 'self', policy = DEFAULT_POLICY) =>
    placeHold(ledger.state, { memberId, amount, service: 'simulation', source }, ledger.ctx({ actor: source === 'self' ? memberId : 'manager-1', policy }));

  it('refuses a hold that would take a person past it, with the limit and what they hold (HOLD_LIMIT_REACHED); own credits do not count', () => {
    const ledger = aliceAndPool();
    ledger.commit(unwrap(place(ledger, 'alice', 16000)).posting); // 100 own + 60 pool
    ledger.commit(unwrap(place(ledger, 'alice', 4000, 'manager')).posting); // the pool's 100 reached
    const before = structuredClone(ledger.state);
    const error = refusal(place(ledger, 'alice', 1));
    expect(error).toMatchObject({ code: 'HOLD_LIMIT_REACHED', details: { limit: 100, heldFromPool: 100, needed: 0.01 } });
    expect(error.message).toMatch(/at most 100 credits/);
    // An account manager placing it for her meets the same limit: it is per person.
    expect(refusal(place(ledger, 'alice', 1, 'manager')).code).toBe('HOLD_LIMIT_REACHED');
    expect(ledger.state).toEqual(before);
    // Someone else is not limited by what Alice holds.
    ledger.addRegistered('bob');
    ledger.commit(unwrap(place(ledger, 'bob', 20000)).posting);
    // Voiding frees room again.
    const forty = openHoldsOf(ledger.state, 'alice').find((h) => h.amount === 4000)!;
    ledger.commit(unwrap(voidHold(ledger.state, forty.id, 'self', ledger.ctx())).posting);
    expect(unwrap(place(ledger, 'alice', 4000)).hold.fromPool).toBe(4000);
  });

  it('follows the policy, in credits or tokens; 0 lets nobody hold from the pool', () => {
    const ledger = aliceAndPool();
    expect(refusal(place(ledger, 'alice', 10001, 'self', { ...DEFAULT_POLICY, maxPoolHeldPerPerson: 0 })).code).toBe('HOLD_LIMIT_REACHED');
    expect(unwrap(place(ledger, 'alice', 10000, 'self', { ...DEFAULT_POLICY, maxPoolHeldPerPerson: 0 })).hold.fromOwn).toBe(10000);
    expect(unwrap(place(ledger, 'alice', 22500, 'self', { ...DEFAULT_POLICY, maxPoolHeldPerPerson: 125 })).hold.fromPool).toBe(12500);
    const flex = refusal(place(ledger, 'alice', 22501, 'self', { ...DEFAULT_POLICY, unitName: 'Flex tokens', maxPoolHeldPerPerson: 125 }));
    expect(flex.message).toMatch(/at most 125 tokens/);
  });

  it('a hold re-backed from the pool stays within it: past it, the hold shrinks', () => {
    const ledger = aliceAndPool();
    const rendering = hold(ledger, 'alice', 10000, 'cloud_rendering', { now: at(0) });
    hold(ledger, 'alice', 6000, 'simulation', { now: at(1) });
    hold(ledger, 'alice', 3000, 'other', { now: at(2) }); // 90 from the pool held
    // The simulation hold's 60 go back; 100 used, all own: the rendering hold may take only 70 from the pool.
    const outcome = unwrap(planUsage(ledger.state, { memberId: 'alice', amount: 10000, service: 'simulation', date: '2026-11-02', source: 'self' }, ledger.ctx({ actor: 'alice' })));
    ledger.commit(outcome.posting);
    expect(ledger.state.holds[rendering.id]).toMatchObject({ amount: 7000, fromOwn: 0, fromPool: 7000 });
    expect(heldFromPool(openHoldsOf(ledger.state, 'alice'))).toBe(10000);
    sound(ledger);
  });
});

describe('the invariant checker knows holds', () => {
  it('finds a held account that disagrees with the open holds or the member, and a hold released twice', () => {
    const ledger = aliceAndPool();
    const h = hold(ledger, 'alice', 15000);
    sound(ledger);
    const snapshot = ledger.snapshot();
    const rules = (s: typeof snapshot) => checkInvariants(s).map((v) => v.rule);
    expect(rules({ ...snapshot, holds: [] })).toContain('held_matches_holds');
    expect(rules({ ...snapshot, members: snapshot.members.map((m) => ({ ...m, held: 0 })) })).toContain('member_held_matches');
    expect(rules({ ...snapshot, holds: [{ ...h, fromOwn: 1 }] })).toEqual(expect.arrayContaining(['hold_parts', 'hold_placed_matches']));
    const release = { ...ledger.transfers.find((t) => t.code === 'hold_placed')!, id: 'x.00', code: 'hold_released' as const, debit: heldAccount('alice'), credit: 'member:alice' as const };
    expect(rules({ ...snapshot, transfers: [...snapshot.transfers, release] })).toContain('hold_released_matches');
    expect(rules({ ...snapshot, balances: { ...snapshot.balances, 'held:alice': -1, contract: (snapshot.balances['contract'] ?? 0) + 15001 } })).toContain('no_negative_held');
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties

const MEMBERS = ['m0', 'm1', 'm2'] as const;
const SERVICES = ['simulation', 'cloud_rendering', 'other'] as const;

type Command =
  | { kind: 'buy'; blocks: number }
  | { kind: 'hold'; member: number; amount: number; service: number; manager: boolean }
  | { kind: 'use'; member: number; amount: number; service: number; source: TransferSource }
  | { kind: 'void'; pick: number }
  | { kind: 'expire'; pick: number; jump: boolean }
  | { kind: 'wait'; hours: number };

const member = fc.integer({ min: 0, max: MEMBERS.length - 1 });
const service = fc.integer({ min: 0, max: SERVICES.length - 1 });
// Round shares of the 100 own credits too, so that holds use them up and the pool's turn comes often.
const amount = fc.oneof(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 30_000 }), fc.constantFrom(2500, 5000, 10_000));

function commands(sources: TransferSource[]): fc.Arbitrary<Command[]> {
  return fc.array(
    fc.oneof(
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('buy' as const), blocks: fc.integer({ min: 1, max: 3 }) }) },
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('hold' as const), member, amount, service, manager: fc.boolean() }) },
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('use' as const), member, amount, service, source: fc.constantFrom(...sources) }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('expire' as const), pick: fc.nat(), jump: fc.boolean() }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('wait' as const), hours: fc.integer({ min: 1, max: 24 * 8 }) }) },
    ),
    { minLength: 1, maxLength: 40 },
  );
}

/** What the runs exercised, so a generator that stops producing a case is noticed. */
const seen = { placed: 0, fromPool: 0, refused: 0, limited: 0, settled: 0, voided: 0, expired: 0, ownFromOtherHolds: 0 };
/** The per-person limit on pool credits in open holds, in units (the default policy's). */
const LIMIT = DEFAULT_POLICY.maxPoolHeldPerPerson * 100;

/** Runs the commands, checking after each what must always hold; `importsMayOverdraw` when imports are among the sources. */
function runHolds(cmds: Command[], importsMayOverdraw: boolean, funded = false): void {
  const ledger = new Ledger();
  for (const id of MEMBERS) ledger.addRegistered(id);
  let hours = 0;
  let buys = 0;
  const now = () => at(hours);
  if (funded) {
    // Everyone's 100 own credits locked in a rendering hold, then 50 from the pool held for a simulation:
    // the start. A simulation's usage then meets own credits another hold locks.
    ledger.applyPurchase(`buy${buys++}`, 3, now());
    for (const id of MEMBERS) {
      for (const [amount, service] of [[10_000, 'cloud_rendering'], [5000, 'simulation']] as const) {
        ledger.commit(unwrap(placeHold(ledger.state, { memberId: id, amount, service, source: 'self' }, ledger.ctx({ now: now(), actor: id }))).posting);
      }
    }
  }
  const view = (s: LedgerState) => ({
    own: Object.fromEntries(MEMBERS.map((m) => [m, ownBalance(s, m)])),
    held: Object.fromEntries(MEMBERS.map((m) => [m, heldBalance(s, m)])),
    pool: poolBalance(s),
    lots: Object.fromEntries(s.lots.map((l) => [l.id, l.remaining])),
  });
  const poolHeld = (id: string) => openHoldsOf(ledger.state, id).reduce((a, h) => a + h.fromPool, 0);
  const heldOwn = (id: string) => openHoldsOf(ledger.state, id).reduce((a, h) => a + h.fromOwn, 0);
  const decide = <T,>(d: () => Result<T>): Result<T> => {
    const before = structuredClone(ledger.state);
    const result = d();
    expect(ledger.state).toEqual(before);
    return result;
  };
  /** A release of exactly the hold's parts: own back, each lot back, held down by the hold. */
  const expectReleased = (before: ReturnType<typeof view>, after: ReturnType<typeof view>, h: Hold) => {
    expect(after.own[h.memberId]! - before.own[h.memberId]!).toBe(h.fromOwn);
    expect(before.held[h.memberId]! - after.held[h.memberId]!).toBe(h.amount);
    expect(after.pool - before.pool).toBe(h.fromPool);
    for (const part of h.poolLots) if (part.lotId) expect(after.lots[part.lotId]! - before.lots[part.lotId]!).toBe(part.amount);
  };

  for (const cmd of cmds) {
    const before = view(ledger.state);
    switch (cmd.kind) {
      case 'buy':
        ledger.applyPurchase(`buy${buys++}`, cmd.blocks, now());
        break;
      case 'wait':
        hours += cmd.hours;
        break;
      case 'hold': {
        const id = MEMBERS[cmd.member]!;
        const result = decide(() =>
          placeHold(ledger.state, { memberId: id, amount: cmd.amount, service: SERVICES[cmd.service]!, source: cmd.manager ? 'manager' : 'self' }, ledger.ctx({ now: now(), actor: cmd.manager ? 'manager-1' : id })),
        );
        const free = Math.max(before.own[id]!, 0) + Math.max(before.pool, 0);
        const fromPool = cmd.amount - Math.min(cmd.amount, Math.max(before.own[id]!, 0));
        // Refused exactly when it would take the person past the limit on pool credits in holds, or own
        // credits and the pool together cannot cover it.
        const expected = fromPool > LIMIT - poolHeld(id) ? 'HOLD_LIMIT_REACHED' : cmd.amount > free ? 'POOL_INSUFFICIENT' : 'ok';
        expect(result.ok ? 'ok' : result.error.code).toBe(expected);
        if (!result.ok) {
          seen[result.error.code === 'HOLD_LIMIT_REACHED' ? 'limited' : 'refused']++;
          break;
        }
        ledger.commit(result.value.posting);
        const after = view(ledger.state);
        const h = result.value.hold;
        seen.placed++;
        if (h.fromPool > 0) seen.fromPool++;
        expect(h.fromOwn).toBe(Math.min(cmd.amount, Math.max(before.own[id]!, 0)));
        expect(after.held[id]! - before.held[id]!).toBe(cmd.amount);
        // Available (own + pool) goes down by exactly the hold, never below zero.
        expect(after.own[id]! + after.pool).toBe(before.own[id]! + before.pool - cmd.amount);
        expect(after.own[id]!).toBeGreaterThanOrEqual(0);
        if (!importsMayOverdraw) expect(after.pool).toBeGreaterThanOrEqual(0);
        break;
      }
      case 'use': {
        const id = MEMBERS[cmd.member]!;
        const open = openHoldsOf(ledger.state, id);
        const ownBefore = before.own[id]! + heldOwn(id);
        const result = decide(() => planUsage(ledger.state, { memberId: id, amount: cmd.amount, service: SERVICES[cmd.service]!, date: now().slice(0, 10), source: cmd.source }, ledger.ctx({ now: now(), actor: id })));
        if (!result.ok) {
          expect(result.error.code).toBe('POOL_INSUFFICIENT');
          break;
        }
        ledger.commit(result.value.posting);
        const settled = result.value.settledHolds;
        seen.settled += settled.length;
        const picked = pickHoldsToSettle(open, { service: SERVICES[cmd.service]!, date: now().slice(0, 10), amount: cmd.amount }, (h) => h.amount).map((h) => h.id);
        expect(settled.map((h) => h.id).slice(0, picked.length)).toEqual(picked);
        const after = view(ledger.state);
        // What was held came back or stays held, and the usage took exactly its amount from own and pool.
        expect(before.own[id]! + before.pool + before.held[id]! - cmd.amount).toBe(after.own[id]! + after.pool + after.held[id]!);
        // Own credits first, those locked in holds included: the pool only once none are left.
        expect(result.value.fromOwn).toBe(Math.min(cmd.amount, ownBefore));
        if (result.value.fromPool > 0) expect(after.own[id]! + heldOwn(id)).toBe(0);
        if (result.value.posting.transfers.some((t) => t.code === 'hold_released' && !picked.includes(t.holdId!))) seen.ownFromOtherHolds++;
        break;
      }
      case 'void':
      case 'expire': {
        const open = Object.values(ledger.state.holds).filter((h) => h.state === 'held');
        const h = open[cmd.pick % Math.max(open.length, 1)];
        if (!h) break;
        // Sometimes the clock moves on to the hold's expiry first, as the hourly timer would find it.
        if (cmd.kind === 'expire' && cmd.jump) hours = Math.max(hours, (Date.parse(h.expiresAt) - Date.parse(NOW)) / 3_600_000);
        const due = h.expiresAt <= now();
        const result =
          cmd.kind === 'void'
            ? decide(() => voidHold(ledger.state, h.id, 'self', ledger.ctx({ now: now(), actor: h.memberId })))
            : decide(() => expireHolds(ledger.state, [h.id], now(), ledger.ctx({ now: now(), actor: HOLDS_ACTOR })));
        if (cmd.kind === 'expire' && !due) {
          expect(result.ok).toBe(false);
          break;
        }
        const posting = unwrap(result as Result<{ posting: Posting }>).posting;
        ledger.commit(posting);
        expectReleased(before, view(ledger.state), h);
        expect(ledger.state.holds[h.id]!.state).toBe(cmd.kind === 'void' ? 'voided' : 'expired');
        seen[cmd.kind === 'void' ? 'voided' : 'expired']++;
        break;
      }
    }
    // After every step: the ledger's invariants (sum zero, held = open holds, lots = pool, …) …
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
    // … and nothing a person has or holds below zero; the pool only through imports (with the alert).
    const now_ = view(ledger.state);
    for (const id of MEMBERS) {
      expect(now_.own[id]!).toBeGreaterThanOrEqual(0);
      expect(now_.held[id]!).toBeGreaterThanOrEqual(0);
      expect(now_.held[id]!).toBe(openHoldsOf(ledger.state, id).reduce((a, h) => a + h.amount, 0));
      expect(poolHeld(id)).toBeLessThanOrEqual(LIMIT);
    }
    for (const l of ledger.state.lots) expect(l.remaining).toBeGreaterThanOrEqual(0);
    if (!importsMayOverdraw) expect(now_.pool).toBeGreaterThanOrEqual(0);
    expect(balanceOf(ledger.state, 'pool')).toBe(now_.pool);
  }
  // The sum over every account, held ones included, stays zero.
  expect(Object.values(ledger.state.balances).reduce((a, b) => a + b, 0)).toBe(0);
}

describe('properties of holds', () => {
  it('own credits locked in a hold go before the pool, whatever follows, and the checker agrees', () => {
    fc.assert(
      fc.property(commands(['self', 'manager', 'import:imp-1']), (cmds) => runHolds(cmds, true, true)),
      { numRuns: 300 },
    );
  });

  it('self-logged usage and holds: invariants hold, nothing goes below zero, releases give back exactly what was held', () => {
    fc.assert(
      fc.property(commands(['self', 'manager']), (cmds) => runHolds(cmds, false)),
      { numRuns: 300 },
    );
  });

  it('with imported actuals that may overdraw the pool, the invariants still hold', () => {
    fc.assert(
      fc.property(commands(['self', 'import:imp-1']), (cmds) => runHolds(cmds, true)),
      { numRuns: 200 },
    );
    for (const [what, count] of Object.entries(seen)) expect(count, what).toBeGreaterThan(20);
  });

  it('deciding never changes the state it was given, and applying a posting is what the store writes', () => {
    fc.assert(
      fc.property(commands(['self']), (cmds) => {
        const ledger = new Ledger();
        ledger.addRegistered('m0');
        ledger.applyPurchase('a', 1);
        for (const c of cmds) {
          if (c.kind !== 'hold') continue;
          const result = placeHold(ledger.state, { memberId: 'm0', amount: c.amount, service: 'other', source: 'self' }, ledger.ctx());
          if (!result.ok) continue;
          const next = applyPosting(ledger.state, result.value.posting);
          ledger.commit(result.value.posting);
          expect(ledger.state).toEqual(next);
        }
      }),
      { numRuns: 100 },
    );
  });
});
