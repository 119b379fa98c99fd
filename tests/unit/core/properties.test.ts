import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Transfer, TransferSource } from '../../../src/core/ledger/index.js';
import type { Policy } from '../../../src/core/policy/index.js';
import type { PurchaseEvent, PurchaseState, PurchaseEventInput } from '../../../src/core/purchases/index.js';
import type { RegistrationEvent } from '../../../src/core/registration/index.js';
import type { Result } from '../../../src/core/result.js';
import {
  checkInvariants,
  creditsToUnits,
  hasAtMostTwoDecimals,
  isMemberAccount,
  ownBalance,
  planUsage,
  poolBalance,
  reversalClaim,
  reverseTransfer,
  unitsToCredits,
} from '../../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import {
  PURCHASE_EVENTS,
  allowedPurchaseEvents,
  applyPurchaseEvent,
  createPurchase,
} from '../../../src/core/purchases/index.js';
import {
  REGISTRATION_EVENTS,
  allowedRegistrationEvents,
  applyRegistrationEvent,
} from '../../../src/core/registration/index.js';
import { Ledger, MANAGER, STEP_FIELDS, policyWith } from './helpers.js';

const MEMBERS = ['m0', 'm1', 'm2', 'm3', 'm4'] as const;
const PURCHASES = ['buy0', 'buy1', 'buy2'] as const;

type Command =
  | { kind: 'member'; member: number }
  | { kind: 'reg'; member: number; event: RegistrationEvent; self: boolean; reason: boolean }
  | { kind: 'purchase'; purchase: number; blocks: number }
  | { kind: 'step'; purchase: number; event: PurchaseEvent; fields: boolean }
  | { kind: 'advance'; purchase: number }
  | { kind: 'use'; member: number; amount: number; source: TransferSource }
  | { kind: 'reverse'; pick: number; reason: boolean };

const NEXT_STEP: Partial<Record<PurchaseState, PurchaseEvent>> = {
  requested: 'quote_requested',
  quote_requested: 'quote_received',
  quote_received: 'approved',
  approved: 'ordered',
  ordered: 'applied',
};

const memberIdx = fc.integer({ min: 0, max: MEMBERS.length - 1 });
const purchaseIdx = fc.integer({ min: 0, max: PURCHASES.length - 1 });

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('member' as const), member: memberIdx }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('reg' as const),
      member: memberIdx,
      // biased towards the events that lead to registered, so that usage has someone to act
      event: fc.oneof(fc.constantFrom<RegistrationEvent>('already_registered', 'completed', 'requested', 'account_created'), fc.constantFrom(...REGISTRATION_EVENTS)),
      self: fc.boolean(),
      reason: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('purchase' as const), purchase: purchaseIdx, blocks: fc.integer({ min: 1, max: 3 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('step' as const),
      purchase: purchaseIdx,
      event: fc.constantFrom(...PURCHASE_EVENTS),
      fields: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('advance' as const), purchase: purchaseIdx }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('use' as const),
      member: memberIdx,
      amount: fc.oneof(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 15_000 })),
      source: fc.constantFrom<TransferSource>('self', 'self', 'manager', 'import:imp-1', 'import:imp-2'),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat(), reason: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) }) },
);

const policies: fc.Arbitrary<Policy> = fc.constantFrom(
  DEFAULT_POLICY,
  policyWith({ individualAllotment: 0 }),
  policyWith({ individualAllotment: 12.5, blockSize: 20 }),
);

/** Keeps a model of what must hold after each accepted or refused command. */
class Run {
  readonly ledger = new Ledger();
  /** Credits consumed, kept independently of the ledger: accepted usage minus reversed usage. */
  usage = 0;
  step = 0;
  refused = 0;
  accepted = 0;

  constructor(readonly policy: Policy) {}

  now(): string {
    return new Date(Date.UTC(2026, 10, 2, 9) + this.step * 3_600_000).toISOString();
  }

  ctx(actor: string = MANAGER) {
    return this.ledger.ctx({ now: this.now(), actor, policy: this.policy });
  }

  /** Runs a decision; the input state must not be touched, accepted or not. Returns the result. */
  decide<T>(decision: () => Result<T>): Result<T> {
    const before = structuredClone(this.ledger.state);
    const result = decision();
    expect(this.ledger.state).toEqual(before);
    if (result.ok) this.accepted++;
    else this.refused++;
    return result;
  }

  run(cmd: Command): void {
    this.step++;
    const { ledger } = this;
    switch (cmd.kind) {
      case 'member': {
        const id = MEMBERS[cmd.member] ?? 'm0';
        if (!ledger.state.members[id]) ledger.addMember(id, cmd.member % 2 ? 'Leeds' : undefined);
        break;
      }
      case 'reg': {
        const id = MEMBERS[cmd.member] ?? 'm0';
        const member = ledger.state.members[id];
        const result = this.decide(() =>
          applyRegistrationEvent(ledger.state, { memberId: id, event: cmd.event, ...(cmd.reason ? { reason: 'not staff' } : {}) }, this.ctx(cmd.self ? id : MANAGER)),
        );
        if (!member) {
          expect(result.ok ? 'ok' : result.error.code).toBe('NOT_FOUND');
          break;
        }
        const allowed = allowedRegistrationEvents(member.registration.state).includes(cmd.event);
        const needsReason = cmd.event === 'declined' && !cmd.reason;
        expect(result.ok).toBe(allowed && !needsReason);
        if (!result.ok) {
          expect(result.error.code).toBe(allowed ? 'VALIDATION_FAILED' : 'INVALID_TRANSITION');
          break;
        }
        const { posting, member: next } = result.value;
        const grants = posting.transfers.filter((t) => t.code === 'allotment_granted');
        const shouldGrant = next.registration.state === 'registered' && !member.allotmentGrantedAt && this.policy.individualAllotment > 0;
        expect(grants.length).toBe(shouldGrant ? 1 : 0);
        expect(posting.transfers).toHaveLength(grants.length);
        if (shouldGrant) expect(grants[0]?.amount).toBe(creditsToUnits(this.policy.individualAllotment));
        ledger.commit(posting);
        break;
      }
      case 'purchase': {
        const id = PURCHASES[cmd.purchase] ?? 'buy0';
        const exists = Boolean(ledger.state.purchases[id]);
        const result = this.decide(() => createPurchase(ledger.state, { purchaseId: id, blocks: cmd.blocks }, this.ctx()));
        expect(result.ok).toBe(!exists);
        if (result.ok) {
          expect(result.value.purchase.units).toBe(cmd.blocks * creditsToUnits(this.policy.blockSize));
          ledger.commit(result.value.posting);
        }
        break;
      }
      case 'advance': {
        // the purchase's next step on the way to applied, with the fields it needs
        const open = PURCHASES.map((id, index) => ({ index, purchase: ledger.state.purchases[id] })).filter((p) => p.purchase && NEXT_STEP[p.purchase.state]);
        const chosen = open[cmd.purchase % Math.max(open.length, 1)];
        const next = chosen?.purchase ? NEXT_STEP[chosen.purchase.state] : undefined;
        if (!chosen || !next) {
          this.check();
          return;
        }
        this.step--;
        this.run({ kind: 'step', purchase: chosen.index, event: next, fields: true });
        return;
      }
      case 'step': {
        const id = PURCHASES[cmd.purchase] ?? 'buy0';
        const purchase = ledger.state.purchases[id];
        const fields = cmd.fields ? STEP_FIELDS[cmd.event] : {};
        const input: PurchaseEventInput = { purchaseId: id, type: cmd.event, ...fields };
        const result = this.decide(() => applyPurchaseEvent(ledger.state, input, this.ctx()));
        if (!purchase) {
          expect(result.ok ? 'ok' : result.error.code).toBe('NOT_FOUND');
          break;
        }
        const allowed = allowedPurchaseEvents(purchase.state).includes(cmd.event);
        const missing = !cmd.fields && (cmd.event === 'quote_received' || cmd.event === 'ordered');
        expect(result.ok).toBe(allowed && !missing);
        if (!result.ok) break;
        const { posting } = result.value;
        if (cmd.event === 'applied') {
          expect(posting.lots).toHaveLength(1);
          expect(posting.transfers).toHaveLength(1);
          expect(posting.transfers[0]).toMatchObject({ debit: 'reseller', credit: 'pool', code: 'purchase_applied', amount: purchase.units, lotId: id });
        } else {
          expect(posting.transfers).toEqual([]);
          expect(posting.lots).toEqual([]);
        }
        ledger.commit(posting);
        break;
      }
      case 'use': {
        const id = MEMBERS[cmd.member] ?? 'm0';
        const member = ledger.state.members[id];
        const own = ownBalance(ledger.state, id);
        const pool = poolBalance(ledger.state);
        const result = this.decide(() =>
          planUsage(ledger.state, { memberId: id, amount: cmd.amount, service: 'simulation', date: '2026-11-01', source: cmd.source }, this.ctx(cmd.source === 'self' ? id : MANAGER)),
        );
        const imported = cmd.source.startsWith('import:');
        const needFromPool = cmd.amount - Math.min(cmd.amount, own);
        const expected = !member
          ? 'NOT_FOUND'
          : member.registration.state !== 'registered'
            ? 'NOT_REGISTERED'
            : !imported && needFromPool > pool
              ? 'POOL_INSUFFICIENT'
              : 'ok';
        expect(result.ok ? 'ok' : result.error.code).toBe(expected);
        if (!result.ok) break;
        const { posting, fromOwn, fromPool, balanceAfter } = result.value;
        expect(fromOwn + fromPool).toBe(cmd.amount);
        expect(fromOwn).toBe(Math.min(cmd.amount, own));
        expect(balanceAfter).toBe(own - fromOwn);
        // the pool only once own credits are used up
        if (fromPool > 0) expect(balanceAfter).toBe(0);
        expect(posting.transfers.reduce((a, t) => a + t.amount, 0)).toBe(cmd.amount);
        for (const t of posting.transfers) {
          expect(t.memberId).toBe(id);
          expect(t.credit).toBe('usage');
          expect(t.source).toBe(cmd.source);
          if (t.code === 'usage_pool' && !t.lotId) expect(imported || ledger.state.lots.every((l) => l.remaining === 0)).toBe(true);
        }
        const joined = posting.events.filter((e) => e.kind === 'pool_joined').length;
        expect(joined).toBe(own > 0 && balanceAfter === 0 ? 1 : 0);
        const negative = posting.events.some((e) => e.kind === 'alert_pool_negative');
        expect(negative).toBe(fromPool > 0 && pool - fromPool < 0);
        this.usage += cmd.amount;
        ledger.commit(posting);
        break;
      }
      case 'reverse': {
        if (ledger.transfers.length === 0) break;
        const original = ledger.transfers[cmd.pick % ledger.transfers.length] as Transfer;
        const already = ledger.claims.has(reversalClaim(original.id));
        const result = this.decide(() => reverseTransfer(ledger.state, original, { reason: cmd.reason ? 'correction' : ' ' }, this.ctx()));
        if (original.code === 'reversal') {
          expect(result.ok ? 'ok' : result.error.code).toBe('NOT_REVERSIBLE');
          break;
        }
        if (!cmd.reason) {
          expect(result.ok ? 'ok' : result.error.code).toBe('VALIDATION_FAILED');
          break;
        }
        // Taking a member or the pool below zero is refused.
        const debit = original.credit;
        const guarded = isMemberAccount(debit) || debit === 'pool';
        if (guarded && (ledger.state.balances[debit] ?? 0) < original.amount) {
          expect(result.ok ? 'ok' : result.error.code).toBe('BALANCE_INSUFFICIENT');
          break;
        }
        if (!result.ok) {
          // only a lot that cannot take it remains as a reason
          expect(result.error.code).toBe('BALANCE_INSUFFICIENT');
          expect(original.lotId).toBeDefined();
          break;
        }
        const { posting, reversal } = result.value;
        expect(posting.claims).toEqual([reversalClaim(original.id)]);
        expect(reversal).toMatchObject({ debit: original.credit, credit: original.debit, amount: original.amount, code: 'reversal', reverses: original.id });
        if (already) {
          // the store refuses the second claim: nothing is written
          expect(() => ledger.commit(posting)).toThrow(/already exists/);
          break;
        }
        if (original.credit === 'usage') this.usage -= original.amount;
        ledger.commit(posting);
        break;
      }
    }
    this.check();
  }

  /** What must hold after every step, accepted or refused. */
  check(): void {
    const snapshot = this.ledger.snapshot();
    expect(checkInvariants(snapshot)).toEqual([]);
    for (const [account, balance] of Object.entries(snapshot.balances)) {
      expect(Number.isSafeInteger(balance)).toBe(true);
      if (isMemberAccount(account as `member:${string}`)) expect(balance).toBeGreaterThanOrEqual(0);
    }
    const pool = snapshot.balances['pool'] ?? 0;
    if (pool < 0) {
      expect(snapshot.events.some((e) => e.kind === 'alert_pool_negative')).toBe(true);
      expect(snapshot.transfers.some((t) => t.code === 'usage_pool' && t.source.startsWith('import:'))).toBe(true);
    }
    for (const lot of snapshot.lots) {
      expect(lot.remaining).toBeGreaterThanOrEqual(0);
      expect(lot.remaining).toBeLessThanOrEqual(lot.units);
    }
    expect(snapshot.balances['usage'] ?? 0).toBe(this.usage);
    for (const m of snapshot.members) {
      const grants = snapshot.transfers.filter((t) => t.code === 'allotment_granted' && t.memberId === m.id).length;
      expect(grants).toBeLessThanOrEqual(1);
    }
  }
}

describe('properties of the core under random command sequences', () => {
  it('keeps every invariant after every step; refused commands change nothing', () => {
    let accepted = 0;
    let refused = 0;
    let negativePools = 0;
    fc.assert(
      fc.property(policies, fc.array(command, { minLength: 1, maxLength: 60, size: 'max' }), (policy, commands) => {
        const run = new Run(policy);
        // a head start: four members, two of them registered, and an applied purchase, so that usage and
        // pool draws happen often
        for (let m = 0; m < 4; m++) run.run({ kind: 'member', member: m });
        run.run({ kind: 'reg', member: 0, event: 'already_registered', self: false, reason: false });
        run.run({ kind: 'reg', member: 1, event: 'requested', self: true, reason: false });
        run.run({ kind: 'reg', member: 1, event: 'account_created', self: false, reason: false });
        run.run({ kind: 'reg', member: 1, event: 'completed', self: true, reason: false });
        run.run({ kind: 'purchase', purchase: 0, blocks: 1 });
        for (let i = 0; i < 5; i++) run.run({ kind: 'advance', purchase: 0 });
        run.run({ kind: 'purchase', purchase: 1, blocks: 1 });
        for (const cmd of commands) run.run(cmd);
        accepted += run.accepted;
        refused += run.refused;
        if (poolBalance(run.ledger.state) < 0) negativePools++;
      }),
      { numRuns: 100 },
    );
    // the generator reaches both sides of the rules
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    expect(negativePools).toBeGreaterThan(0);
  });

  it('a usage split into parts costs the same as the whole (own first, pool after)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6000 }), { minLength: 1, maxLength: 8 }), (parts) => {
        const total = parts.reduce((a, b) => a + b, 0);
        const whole = new Ledger();
        const split = new Ledger();
        for (const l of [whole, split]) {
          l.addRegistered('alice');
          l.applyPurchase('a', 2, '2026-10-01T09:00:00.000Z');
          l.applyPurchase('b', 3, '2026-10-02T09:00:00.000Z');
        }
        const use = (l: Ledger, amount: number) => {
          const r = planUsage(l.state, { memberId: 'alice', amount, service: 'simulation', date: '2026-11-01', source: 'import:i' }, l.ctx());
          if (!r.ok) throw new Error(r.error.code);
          l.commit(r.value.posting);
        };
        use(whole, total);
        for (const p of parts) use(split, p);
        expect(split.state.balances).toEqual(whole.state.balances);
        expect(split.state.lots).toEqual(whole.state.lots);
        expect(ownBalance(whole.state, 'alice')).toBe(Math.max(0, 10_000 - total));
        expect(checkInvariants(split.snapshot())).toEqual([]);
        expect(checkInvariants(whole.snapshot())).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('credits with at most two decimals convert to units and back exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), (units) => {
        const credits = unitsToCredits(units);
        expect(hasAtMostTwoDecimals(credits)).toBe(true);
        expect(creditsToUnits(credits)).toBe(units);
      }),
      { numRuns: 200 },
    );
  });

  it('two-decimal amounts as people type them are accepted and convert exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), fc.integer({ min: 0, max: 99 }), (whole, cents) => {
        const credits = Number(`${whole}.${String(cents).padStart(2, '0')}`);
        expect(hasAtMostTwoDecimals(credits)).toBe(true);
        expect(creditsToUnits(credits)).toBe(whole * 100 + cents);
      }),
      { numRuns: 200 },
    );
  });

  it('tiny amounts below a hundredth are rejected, not rounded to zero', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 0.0099, noNaN: true }), (credits) => {
        expect(hasAtMostTwoDecimals(credits)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('amounts with a third decimal are rejected', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 1, max: 9 }), (hundredths, thousandth) => {
        const credits = (hundredths * 10 + thousandth) / 1000;
        expect(hasAtMostTwoDecimals(credits)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
