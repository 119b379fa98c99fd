import { describe, expect, it } from 'vitest';
import type { RegistrationState, UsageInput } from '../../../src/core/ledger/index.js';
import {
  applyPosting,
  checkInvariants,
  ownBalance,
  planUsage,
  poolBalance,
  reverseTransfer,
} from '../../../src/core/ledger/index.js';
import { createPurchase } from '../../../src/core/purchases/index.js';
import { Ledger, NOW, ctx, memberIn, policyWith, refusal, unwrap } from './helpers.js';

const usage = (memberId: string, amount: number, extra: Partial<UsageInput> = {}): UsageInput => ({
  memberId,
  amount,
  service: 'simulation',
  date: '2026-11-01',
  source: 'self',
  ...extra,
});

/** Alice registered (100 credits own), plus purchases a (older) and b (newer), 100 credits each in the pool. */
function aliceAndPool(blocks: [number, number] = [1, 1]): Ledger {
  const ledger = new Ledger();
  ledger.addRegistered('alice', 'Boston');
  ledger.applyPurchase('a', blocks[0], '2026-10-01T09:00:00.000Z');
  ledger.applyPurchase('b', blocks[1], '2026-10-15T09:00:00.000Z');
  return ledger;
}

/** Runs a usage through planUsage and commits it; returns the outcome. */
function use(ledger: Ledger, input: UsageInput) {
  const outcome = unwrap(planUsage(ledger.state, input, ledger.ctx({ actor: input.memberId })));
  ledger.commit(outcome.posting);
  return outcome;
}

describe('usage: only registered members', () => {
  const others: RegistrationState[] = ['not_requested', 'requested', 'account_created', 'declined', 'left'];

  it.each(others)('refuses a member in state %s with NOT_REGISTERED and changes nothing', (state) => {
    const ledger = aliceAndPool();
    ledger.state.members['bob'] = memberIn('bob', state);
    // Give bob own credits too, so that only the registration state can be the reason for refusal.
    ledger.state.balances['member:bob'] = 5000;
    ledger.state.balances['contract'] = (ledger.state.balances['contract'] ?? 0) - 5000;
    const before = structuredClone(ledger.state);
    const error = refusal(planUsage(ledger.state, usage('bob', 100), ctx('p-x')));
    expect(error.code).toBe('NOT_REGISTERED');
    expect(error.details).toEqual({ registrationState: state });
    expect(ledger.state).toEqual(before);
  });

  it('refuses an unknown member with NOT_FOUND', () => {
    const ledger = aliceAndPool();
    expect(refusal(planUsage(ledger.state, usage('nobody', 100), ctx('p-x'))).code).toBe('NOT_FOUND');
  });

  it('accepts a registered member', () => {
    const ledger = aliceAndPool();
    expect(planUsage(ledger.state, usage('alice', 100), ctx('p-x')).ok).toBe(true);
  });
});

describe('usage: amounts are positive whole units', () => {
  it.each([0, -100, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses an amount of %s units with VALIDATION_FAILED', (amount) => {
    const ledger = aliceAndPool();
    const before = structuredClone(ledger.state);
    const error = refusal(planUsage(ledger.state, usage('alice', amount), ctx('p-x')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual({ field: 'amount' });
    expect(ledger.state).toEqual(before);
  });

  it('accepts a single unit (0.01 credit)', () => {
    const ledger = aliceAndPool();
    expect(unwrap(planUsage(ledger.state, usage('alice', 1), ctx('p-x'))).posting.transfers.map((t) => t.amount)).toEqual([1]);
  });
});

describe('usage: own credits first, then the pool', () => {
  it('takes a usage within the allotment from own credits only', () => {
    const ledger = aliceAndPool();
    const poolBefore = poolBalance(ledger.state);
    const outcome = unwrap(
      planUsage(ledger.state, usage('alice', 2500, { project: 'Bridge', note: 'night run' }), ctx('use-1', { actor: 'alice' })),
    );
    expect(outcome.fromOwn).toBe(2500);
    expect(outcome.fromPool).toBe(0);
    expect(outcome.balanceAfter).toBe(7500);
    expect(outcome.posting.id).toBe('use-1');
    expect(outcome.posting.transfers).toEqual([
      {
        id: 'use-1.00',
        postingId: 'use-1',
        debit: 'member:alice',
        credit: 'usage',
        amount: 2500,
        code: 'usage_individual',
        memberId: 'alice',
        service: 'simulation',
        office: 'Boston',
        project: 'Bridge',
        note: 'night run',
        date: '2026-11-01',
        source: 'self',
        actor: 'alice',
        at: NOW,
      },
    ]);
    expect(outcome.posting.lots).toEqual([]);
    expect(outcome.posting.events).toEqual([]); // no pool change, nobody joins the pool
    const after = applyPosting(ledger.state, outcome.posting);
    expect(ownBalance(after, 'alice')).toBe(7500);
    expect(poolBalance(after)).toBe(poolBefore);
  });

  it('takes the rest from the pool once own credits are used up, oldest lot first', () => {
    const ledger = aliceAndPool();
    const outcome = use(ledger, usage('alice', 12_000));
    expect(outcome.fromOwn).toBe(10_000);
    expect(outcome.fromPool).toBe(2000);
    expect(outcome.balanceAfter).toBe(0);
    expect(outcome.posting.transfers.map((t) => [t.code, t.debit, t.credit, t.amount, t.lotId, t.memberId])).toEqual([
      ['usage_individual', 'member:alice', 'usage', 10_000, undefined, 'alice'],
      ['usage_pool', 'pool', 'usage', 2000, 'a', 'alice'],
    ]);
    expect(ownBalance(ledger.state, 'alice')).toBe(0);
    expect(poolBalance(ledger.state)).toBe(18_000);
    expect(ledger.state.lots.map((l) => [l.id, l.remaining])).toEqual([
      ['a', 8000],
      ['b', 10_000],
    ]);
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
  });

  it('splits a pool draw across lots, one transfer per lot carrying lotId and memberId', () => {
    const ledger = aliceAndPool();
    use(ledger, usage('alice', 19_500)); // own 10000, lot a 9500: a has 500 left
    const outcome = use(ledger, usage('alice', 1500, { service: 'cloud_rendering' }));
    expect(outcome.fromOwn).toBe(0);
    expect(outcome.fromPool).toBe(1500);
    const draws = outcome.posting.transfers;
    expect(draws).toHaveLength(2);
    expect(draws.map((t) => ({ lotId: t.lotId, amount: t.amount, memberId: t.memberId, code: t.code, service: t.service }))).toEqual([
      { lotId: 'a', amount: 500, memberId: 'alice', code: 'usage_pool', service: 'cloud_rendering' },
      { lotId: 'b', amount: 1000, memberId: 'alice', code: 'usage_pool', service: 'cloud_rendering' },
    ]);
    expect(new Set(draws.map((t) => t.id)).size).toBe(2);
    expect(outcome.posting.lots.map((l) => [l.id, l.remaining])).toEqual([
      ['a', 0],
      ['b', 9000],
    ]);
    expect(ledger.state.lots.map((l) => [l.id, l.remaining])).toEqual([
      ['a', 0],
      ['b', 9000],
    ]);
    expect(poolBalance(ledger.state)).toBe(9000);
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
  });

  it('draws everything from the pool for a member without own credits (allotment 0)', () => {
    const ledger = new Ledger();
    ledger.addRegistered('flex', undefined, policyWith({ individualAllotment: 0 }));
    ledger.applyPurchase('a', 1);
    const outcome = use(ledger, usage('flex', 300));
    expect(outcome).toMatchObject({ fromOwn: 0, fromPool: 300, balanceAfter: 0 });
    expect(outcome.posting.transfers.map((t) => t.code)).toEqual(['usage_pool']);
    expect(outcome.posting.events.map((e) => e.kind)).toEqual(['pool_draw']);
  });
});

describe('usage: POOL_INSUFFICIENT', () => {
  it.each(['self', 'manager'] as const)('refuses a %s usage the pool cannot cover, with details, and changes nothing', (source) => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    ledger.applyPurchase('a', 1); // pool 10000
    // an open purchase on its way, and a cancelled one that is not
    ledger.commit(unwrap(createPurchase(ledger.state, { purchaseId: 'open-1', blocks: 2 }, ledger.ctx())).posting);
    ledger.commit(unwrap(createPurchase(ledger.state, { purchaseId: 'gone', blocks: 3 }, ledger.ctx())).posting);
    ledger.walkPurchase('gone', ['cancelled']);
    const before = structuredClone(ledger.state);
    const error = refusal(planUsage(ledger.state, usage('alice', 20_001, { source }), ctx('p-x')));
    expect(error.code).toBe('POOL_INSUFFICIENT');
    expect(error.details).toEqual({
      poolBalance: 100,
      needed: 100.01,
      openPurchases: [{ id: 'open-1', state: 'requested', blocks: 2 }],
    });
    expect(error.message).toMatch(/purchase is on its way/);
    expect(ledger.state).toEqual(before);
  });

  it('says to order more when no purchase is open, and does not use own credits partially', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    const before = structuredClone(ledger.state);
    const error = refusal(planUsage(ledger.state, usage('alice', 10_001), ctx('p-x')));
    expect(error.code).toBe('POOL_INSUFFICIENT');
    expect(error.details).toEqual({ poolBalance: 0, needed: 0.01, openPurchases: [] });
    expect(error.message).toMatch(/order more/);
    expect(ledger.state).toEqual(before);
    expect(ownBalance(ledger.state, 'alice')).toBe(10_000);
  });

  it('accepts a usage that takes the pool exactly to zero', () => {
    const ledger = aliceAndPool();
    const outcome = use(ledger, usage('alice', 30_000));
    expect(outcome.fromPool).toBe(20_000);
    expect(poolBalance(ledger.state)).toBe(0);
    expect(refusal(planUsage(ledger.state, usage('alice', 1), ctx('p-y'))).code).toBe('POOL_INSUFFICIENT');
  });
});

describe('usage: imported actuals', () => {
  it('records an import past the pool, with the uncovered part unlotted and an alert_pool_negative event', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    ledger.applyPurchase('a', 1); // pool 10000
    const outcome = unwrap(planUsage(ledger.state, usage('alice', 25_000, { source: 'import:imp-7' }), ledger.ctx()));
    ledger.commit(outcome.posting);
    expect(outcome).toMatchObject({ fromOwn: 10_000, fromPool: 15_000, balanceAfter: 0 });
    expect(outcome.posting.transfers.map((t) => [t.code, t.amount, t.lotId, t.source, t.memberId])).toEqual([
      ['usage_individual', 10_000, undefined, 'import:imp-7', 'alice'],
      ['usage_pool', 10_000, 'a', 'import:imp-7', 'alice'],
      ['usage_pool', 5000, undefined, 'import:imp-7', 'alice'],
    ]);
    expect(poolBalance(ledger.state)).toBe(-5000);
    const alert = outcome.posting.events.find((e) => e.kind === 'alert_pool_negative');
    expect(alert).toBeDefined();
    expect(alert?.poolAfter).toBe(-5000);
    expect(outcome.posting.events.some((e) => e.kind === 'alert_pool_low')).toBe(false);
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
  });

  it('records an import when the pool is empty and already negative, raising the alert again', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    use(ledger, usage('alice', 10_000));
    use(ledger, usage('alice', 300, { source: 'import:i1' }));
    const outcome = use(ledger, usage('alice', 200, { source: 'import:i2' }));
    expect(poolBalance(ledger.state)).toBe(-500);
    expect(outcome.posting.events.map((e) => e.kind)).toEqual(['pool_draw', 'alert_pool_negative']);
    // self usage is still refused while the pool is negative
    expect(refusal(planUsage(ledger.state, usage('alice', 1), ctx('p-z'))).code).toBe('POOL_INSUFFICIENT');
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
  });

  it('raises the alert for an import that takes the pool to exactly one unit below zero', () => {
    const ledger = aliceAndPool();
    use(ledger, usage('alice', 10_000)); // own credits gone; pool 20000
    const outcome = use(ledger, usage('alice', 20_001, { source: 'import:i1' }));
    expect(poolBalance(ledger.state)).toBe(-1);
    expect(outcome.posting.events.map((e) => e.kind)).toEqual(['pool_draw', 'alert_pool_negative']);
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
  });

  it('raises no negative alert for an import that takes the pool exactly to zero', () => {
    const ledger = aliceAndPool();
    use(ledger, usage('alice', 10_000));
    const outcome = use(ledger, usage('alice', 20_000, { source: 'import:i1' }));
    expect(poolBalance(ledger.state)).toBe(0);
    expect(outcome.posting.events.map((e) => e.kind)).toEqual(['pool_draw', 'alert_pool_low']);
  });

  it('raises no negative alert for an import the pool covers', () => {
    const ledger = aliceAndPool();
    const outcome = use(ledger, usage('alice', 11_000, { source: 'import:i1' }));
    expect(outcome.posting.events.some((e) => e.kind === 'alert_pool_negative')).toBe(false);
    expect(poolBalance(ledger.state)).toBe(19_000);
  });
});

describe('usage: feed events', () => {
  it('emits pool_joined exactly when own credits reach zero', () => {
    const ledger = aliceAndPool();
    const first = use(ledger, usage('alice', 9999));
    expect(first.posting.events.map((e) => e.kind)).toEqual([]);
    const second = use(ledger, usage('alice', 1));
    expect(second.balanceAfter).toBe(0);
    expect(second.fromPool).toBe(0);
    expect(second.posting.events.map((e) => e.kind)).toEqual(['pool_joined']);
    expect(second.posting.events[0]).toMatchObject({ memberId: 'alice', memberName: 'Name alice', office: 'Boston', id: `${second.posting.id}.e0` });
    const third = use(ledger, usage('alice', 500));
    expect(third.posting.events.map((e) => e.kind)).toEqual(['pool_draw']);
  });

  it('emits pool_joined and pool_draw when one usage crosses from own credits into the pool', () => {
    const ledger = aliceAndPool();
    const outcome = use(ledger, usage('alice', 10_500));
    expect(outcome.posting.events.map((e) => e.kind)).toEqual(['pool_joined', 'pool_draw']);
    const draw = outcome.posting.events[1];
    expect(draw).toMatchObject({ memberId: 'alice', amount: 500, service: 'simulation', poolAfter: 19_500 });
    expect(new Set(outcome.posting.events.map((e) => e.id)).size).toBe(2);
  });

  it('emits alert_pool_low once, when a draw crosses the threshold (20% of the last purchase)', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    ledger.applyPurchase('a', 1); // pool 10000, threshold 2000
    use(ledger, usage('alice', 10_000)); // own credits gone
    const kinds = (amount: number) => use(ledger, usage('alice', amount)).posting.events.map((e) => e.kind);
    expect(kinds(7000)).toEqual(['pool_draw']); // 3000 left
    expect(kinds(1000)).toEqual(['pool_draw']); // 2000 left: at the threshold, not below
    expect(kinds(1)).toEqual(['pool_draw', 'alert_pool_low']); // 1999: crossed
    expect(kinds(999)).toEqual(['pool_draw']); // already below: no second alert
    expect(poolBalance(ledger.state)).toBe(1000);
  });

  it('emits alert_pool_low against the most recent purchase size', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    ledger.applyPurchase('a', 1, '2026-10-01T09:00:00.000Z');
    ledger.applyPurchase('b', 5, '2026-10-20T09:00:00.000Z'); // pool 60000, threshold 20% of 50000 = 10000
    use(ledger, usage('alice', 10_000));
    const events = use(ledger, usage('alice', 50_001)).posting.events;
    expect(events.find((e) => e.kind === 'alert_pool_low')?.poolAfter).toBe(9999);
  });
});

describe('usage: what each person drew from the pool', () => {
  it('adds pool draws to the member and takes reversed draws back off', () => {
    const ledger = aliceAndPool();
    use(ledger, usage('alice', 10000));
    expect(ledger.state.members['alice']!.poolDrawn ?? 0).toBe(0);
    use(ledger, usage('alice', 1500));
    use(ledger, usage('alice', 700));
    expect(ledger.state.members['alice']!.poolDrawn).toBe(2200);
    const draw = ledger.transfers.find((t) => t.code === 'usage_pool' && t.amount === 700)!;
    const reversed = unwrap(reverseTransfer(ledger.state, draw, { reason: 'logged twice' }, ledger.ctx()));
    ledger.commit(reversed.posting);
    expect(ledger.state.members['alice']!.poolDrawn).toBe(1500);
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
    // The checker notices a figure that disagrees with the transfers.
    ledger.state.members['alice']!.poolDrawn = 999;
    expect(checkInvariants(ledger.snapshot()).map((v) => v.rule)).toEqual(['pool_drawn_matches']);
  });
});
