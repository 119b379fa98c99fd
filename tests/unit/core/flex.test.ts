/**
 * Flex mode (DESIGN 3.1, issue 7): packs that expire 12 calendar months after they are applied, drawn
 * earliest-expiring first (then the smallest), expired once by `planPackExpiry`, warned about 90 and 30
 * days ahead; no individual allotment. Unit tests of the rules, then property tests of the invariants.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Hold } from '../../../src/core/holds/index.js';
import type { Posting, Transfer } from '../../../src/core/ledger/index.js';
import type { Lot } from '../../../src/core/purchases/index.js';
import { dueAlerts } from '../../../src/core/feed/index.js';
import { forecastPool } from '../../../src/core/forecast/index.js';
import { placeHold, voidHold } from '../../../src/core/holds/index.js';
import {
  PACKS_ACTOR,
  addCalendarMonths,
  checkInvariants,
  compareLotsForDraw,
  drawFromLots,
  planPackExpiry,
  planUsage,
  poolBalance,
} from '../../../src/core/ledger/index.js';
import { FLEX_DEFAULTS, formatAmount, isFlexMode, policyProblems } from '../../../src/core/policy/index.js';
import { Ledger, policyWith, refusal, unwrap } from './helpers.js';

const FLEX = policyWith({ ...FLEX_DEFAULTS });
const DAY = 86_400_000;
const T0 = '2026-01-15T09:00:00.000Z';
const day = (n: number) => new Date(Date.parse(T0) + n * DAY).toISOString();

/** A Flex ledger with Ana registered (no allotment in Flex mode). */
function flexLedger(): Ledger {
  const ledger = new Ledger();
  ledger.addRegistered('ana', 'Boston', FLEX);
  return ledger;
}

function use(ledger: Ledger, amount: number, now: string, source: 'self' | `import:${string}` = 'self') {
  const outcome = unwrap(planUsage(ledger.state, { memberId: 'ana', amount, service: 'simulation', date: now.slice(0, 10), source }, ledger.ctx({ actor: 'ana', now, policy: FLEX })));
  ledger.commit(outcome.posting);
  return outcome;
}

function expire(ledger: Ledger, now: string) {
  const { posting, expired } = planPackExpiry(ledger.state, ledger.ctx({ actor: PACKS_ACTOR, now, policy: FLEX }));
  ledger.commit(posting);
  return { posting, expired };
}

const remaining = (ledger: Ledger, id: string) => ledger.state.lots.find((l) => l.id === id)!.remaining;
const sound = (ledger: Ledger) => expect(checkInvariants(ledger.snapshot())).toEqual([]);

describe('Flex policy', () => {
  it('is switched by the unit name, and needs no allotment and an expiry', () => {
    expect(isFlexMode(FLEX)).toBe(true);
    expect(isFlexMode(policyWith({}))).toBe(false);
    expect(policyProblems(FLEX)).toEqual([]);
    expect(policyProblems(policyWith({ unitName: 'Flex tokens' })).map((p) => p.field)).toEqual(['individualAllotment', 'packExpiryMonths']);
    expect(formatAmount(FLEX, 12.5)).toBe('12.5 tokens');
    expect(formatAmount(FLEX, 1)).toBe('1 token');
    expect(formatAmount(policyWith({}), 3)).toBe('3 credits');
  });

  it('grants no allotment on registration', () => {
    const ledger = flexLedger();
    expect(ledger.state.balances['member:ana'] ?? 0).toBe(0);
    expect(ledger.transfers.filter((t) => t.code === 'allotment_granted')).toEqual([]);
    sound(ledger);
  });

  it('adds calendar months, keeping the end of a shorter month', () => {
    expect(addCalendarMonths('2026-01-15T09:00:00.000Z', 12)).toBe('2027-01-15T09:00:00.000Z');
    expect(addCalendarMonths('2026-01-31T09:00:00.000Z', 1)).toBe('2026-02-28T09:00:00.000Z');
    expect(addCalendarMonths('2027-12-31T00:00:00.000Z', 2)).toBe('2028-02-29T00:00:00.000Z');
    expect(addCalendarMonths('2026-11-30T23:59:59.999Z', 3)).toBe('2027-02-28T23:59:59.999Z');
  });
});

describe('Flex packs', () => {
  it('expire packExpiryMonths after they are applied; credits mode lots do not', () => {
    const ledger = flexLedger();
    ledger.applyPurchase('p1', 2, T0, FLEX);
    expect(ledger.state.lots[0]).toMatchObject({ id: 'p1', units: 20_000, remaining: 20_000, expiresAt: '2027-01-15T09:00:00.000Z' });
    ledger.applyPurchase('c1', 1, T0);
    expect(ledger.state.lots.find((l) => l.id === 'c1')!.expiresAt).toBeUndefined();
  });

  it('are drawn earliest-expiring first, then the smallest, packs without expiry last', () => {
    const lot = (id: string, remaining: number, expiresAt?: string): Lot => ({ id, purchaseId: id, appliedAt: '2026-01-01T00:00:00.000Z', units: 1000, remaining, ...(expiresAt ? { expiresAt } : {}) });
    const lots = [lot('none', 500), lot('late', 100, '2027-06-01T00:00:00.000Z'), lot('big', 900, '2027-01-01T00:00:00.000Z'), lot('small', 200, '2027-01-01T00:00:00.000Z')];
    expect([...lots].sort(compareLotsForDraw).map((l) => l.id)).toEqual(['small', 'big', 'late', 'none']);
    const { draws, uncovered } = drawFromLots(lots, 1250);
    expect(draws.map((d) => [d.lot.id, d.amount])).toEqual([['small', 200], ['big', 900], ['late', 100], ['none', 50]]);
    expect(uncovered).toBe(0);
    // a pack past its expiry (given the clock) or expired by the ledger is never drawn from
    const expired = drawFromLots([lot('gone', 100, '2026-05-01T00:00:00.000Z'), { ...lot('done', 100), expiredAt: '2026-01-01T00:00:00.000Z' }], 50, '2026-06-01T00:00:00.000Z');
    expect(expired).toEqual({ draws: [], uncovered: 50 });
  });

  it('usage draws the earliest-expiring pack although it is the newest', () => {
    const ledger = flexLedger();
    ledger.applyPurchase('old', 1, T0, policyWith({ ...FLEX, packExpiryMonths: 24 }));
    ledger.applyPurchase('new', 1, day(30), FLEX);
    const outcome = use(ledger, 3000, day(40));
    expect(outcome.posting.transfers.map((t) => [t.code, t.lotId, t.amount])).toEqual([['usage_pool', 'new', 3000]]);
    expect(remaining(ledger, 'new')).toBe(7000);
    sound(ledger);
  });

  it('expire once, moving what is left to the expired account with a feed event', () => {
    const ledger = flexLedger();
    ledger.applyPurchase('p1', 1, T0, FLEX);
    use(ledger, 2500, day(10));
    expect(expire(ledger, day(364)).expired).toEqual([]);
    const { posting } = expire(ledger, '2027-01-15T09:00:00.000Z');
    expect(posting.transfers).toMatchObject([{ debit: 'pool', credit: 'expired', amount: 7500, code: 'pack_expired', lotId: 'p1', source: 'system' }]);
    expect(posting.events).toMatchObject([{ kind: 'pack_expired', amount: 7500, poolAfter: 0, purchaseId: 'p1' }]);
    expect(posting.events[0]!.message).toContain('75 tokens');
    expect(ledger.state.lots[0]).toMatchObject({ remaining: 0, expiredAt: '2027-01-15T09:00:00.000Z', expiredAmount: 7500 });
    expect(ledger.state.balances['expired']).toBe(7500);
    expect(expire(ledger, day(800)).posting.transfers).toEqual([]);
    sound(ledger);
  });

  it('a usage after the expiry date expires the pack first, in the same posting, and draws the next one', () => {
    const ledger = flexLedger();
    ledger.applyPurchase('p1', 1, T0, FLEX);
    ledger.applyPurchase('p2', 1, day(100), FLEX);
    const outcome = use(ledger, 1000, '2027-01-16T00:00:00.000Z');
    expect(outcome.posting.transfers.map((t) => [t.code, t.lotId, t.amount])).toEqual([
      ['pack_expired', 'p1', 10_000],
      ['usage_pool', 'p2', 1000],
    ]);
    sound(ledger);
  });

  it('a self-logged usage the live packs cannot cover is refused, though the expired one had enough', () => {
    const ledger = flexLedger();
    ledger.applyPurchase('p1', 1, T0, FLEX);
    const result = planUsage(ledger.state, { memberId: 'ana', amount: 100, service: 'simulation', date: '2027-02-01', source: 'self' }, ledger.ctx({ now: '2027-02-01T00:00:00.000Z', policy: FLEX }));
    expect(refusal(result).code).toBe('POOL_INSUFFICIENT');
  });

  it('a hold does not shield a pack from expiry: held tokens of an expired pack lapse when they come back', () => {
    const ledger = flexLedger();
    ledger.applyPurchase('p1', 1, T0, FLEX);
    const placed = unwrap(placeHold(ledger.state, { memberId: 'ana', amount: 4000, service: 'simulation', source: 'self' }, ledger.ctx({ actor: 'ana', now: day(360), policy: FLEX })));
    ledger.commit(placed.posting);
    expect(expire(ledger, day(366)).posting.transfers).toMatchObject([{ amount: 6000, code: 'pack_expired' }]);
    const voided = unwrap(voidHold(ledger.state, placed.hold.id, 'self', ledger.ctx({ actor: 'ana', now: day(367), policy: FLEX })));
    ledger.commit(voided.posting);
    expect(voided.posting.transfers.map((t) => [t.code, t.debit, t.credit, t.amount])).toEqual([
      ['hold_released', 'held:ana', 'pool', 4000],
      ['pack_expired', 'pool', 'expired', 4000],
    ]);
    expect(ledger.state.lots[0]).toMatchObject({ remaining: 0, expiredAmount: 10_000 });
    expect(poolBalance(ledger.state)).toBe(0);
    sound(ledger);
  });

  it('warns 90 and 30 days before a pack expires, with the amount at risk, once per threshold', () => {
    const ledger = flexLedger();
    ledger.applyPurchase('p1', 1, T0, FLEX);
    use(ledger, 2500, day(10));
    const alertsAt = (now: string) =>
      dueAlerts({ now, policy: FLEX, poolBalance: poolBalance(ledger.state), lots: ledger.state.lots, purchases: [], members: [], forecast: null, poolLowRaisedSinceRefill: true }).filter((a) => a.kind === 'alert_pack_expiring');
    expect(alertsAt(day(200))).toEqual([]);
    expect(alertsAt('2026-10-17T09:00:00.000Z')).toMatchObject([{ key: 'pack-expiring|p1|90', amount: 7500, purchaseId: 'p1' }]);
    const late = alertsAt('2026-12-20T09:00:00.000Z');
    expect(late).toMatchObject([{ key: 'pack-expiring|p1|30', amount: 7500 }]);
    expect(late[0]!.message).toContain('75 tokens');
    expect(alertsAt('2027-01-16T09:00:00.000Z')).toEqual([]);
  });
});

// Property tests: random Flex histories over two years, checked after every step.

type Command =
  | { kind: 'buy'; blocks: number; months: number }
  | { kind: 'use'; amount: number; imported: boolean }
  | { kind: 'hold'; amount: number }
  | { kind: 'void'; pick: number }
  | { kind: 'timer' }
  | { kind: 'wait'; days: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('buy' as const), blocks: fc.integer({ min: 1, max: 3 }), months: fc.constantFrom(12, 12, 6, 24) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('use' as const), amount: fc.integer({ min: 1, max: 15_000 }), imported: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('hold' as const), amount: fc.integer({ min: 1, max: 8000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('timer' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('wait' as const), days: fc.integer({ min: 1, max: 120 }) }) },
);

/** A pool draw in the posting (usage or hold), with the lots as they were before it. */
function checkDrawOrder(before: readonly Lot[], posting: Posting, now: string): void {
  const drawn = posting.transfers.filter((t: Transfer) => t.debit === 'pool' && t.lotId && (t.code === 'usage_pool' || t.code === 'hold_placed'));
  if (drawn.length === 0) return;
  // The lots as the draws saw them: a usage settles its holds first, and what they give back counts.
  const seen = before.map((l) => ({ ...l }));
  for (const t of posting.transfers.slice(0, posting.transfers.indexOf(drawn[0]!))) {
    const lot = t.code === 'hold_released' && t.credit === 'pool' ? seen.find((l) => l.id === t.lotId) : undefined;
    if (lot) lot.remaining += t.amount;
  }
  const after = new Map(posting.lots.map((l) => [l.id, l]));
  for (const t of drawn) {
    const lot = seen.find((l) => l.id === t.lotId)!;
    // nothing drawn from a pack past its expiry
    expect(lot.expiredAt).toBeUndefined();
    if (lot.expiresAt) expect(lot.expiresAt > now).toBe(true);
    // every live pack that comes earlier in draw order was emptied first
    for (const other of seen) {
      if (other.id === lot.id || other.expiredAt || (other.expiresAt && other.expiresAt <= now) || compareLotsForDraw(other, lot) >= 0) continue;
      expect((after.get(other.id) ?? other).remaining).toBe(0);
    }
  }
}

describe('Flex invariants (property)', () => {
  it('packs expiring the same day: a usage that settles a hold draws from the smaller pack as the release left it', () => {
    const ledger = flexLedger();
    ledger.applyPurchase('big', 3, T0, FLEX);
    use(ledger, 2257, T0);
    ledger.commit(unwrap(placeHold(ledger.state, { memberId: 'ana', amount: 7743, service: 'simulation', source: 'self' }, ledger.ctx({ now: T0, policy: { ...FLEX, maxPoolHeldPerPerson: 100_000 } }))).posting);
    ledger.applyPurchase('small', 2, T0, FLEX);
    const before = ledger.state.lots.map((l) => ({ ...l }));
    expect(before.map((l) => l.remaining)).toEqual([20_000, 20_000]);
    const usage = unwrap(planUsage(ledger.state, { memberId: 'ana', amount: 1, service: 'simulation', date: T0.slice(0, 10), source: 'self' }, ledger.ctx({ now: T0, policy: FLEX })));
    // The hold's 7,743 go back to the first pack (27,743), so the second (20,000) is now the smaller one.
    expect(usage.posting.transfers.filter((t) => t.code === 'usage_pool').map((t) => t.lotId)).toEqual([before[1]!.id]);
    checkDrawOrder(before, usage.posting, T0);
  });

  it('hold over random histories: sum zero, lots = pool, earliest-expiring first, no draw from an expired pack, each pack expires once with what was left', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 50 }), (commands) => {
        const ledger = flexLedger();
        let clock = 0;
        let seq = 0;
        const holds: Hold[] = [];
        const expiredAt = new Map<string, string>();
        for (const c of commands) {
          const now = day(clock);
          const before = ledger.state.lots.map((l) => ({ ...l }));
          let posting: Posting | undefined;
          if (c.kind === 'wait') clock += c.days;
          else if (c.kind === 'buy') {
            ledger.applyPurchase(`buy${seq++}`, c.blocks, now, policyWith({ ...FLEX, packExpiryMonths: c.months }));
          } else if (c.kind === 'use') {
            const r = planUsage(ledger.state, { memberId: 'ana', amount: c.amount, service: 'simulation', date: now.slice(0, 10), source: c.imported ? `import:i${seq++}` : 'self' }, ledger.ctx({ now, policy: FLEX }));
            if (r.ok) posting = r.value.posting;
            else expect(r.error.code).toBe('POOL_INSUFFICIENT');
          } else if (c.kind === 'hold') {
            // No per-person limit here (holds.test.ts covers it): the holds are there to exercise the packs.
            const r = placeHold(ledger.state, { memberId: 'ana', amount: c.amount, service: 'simulation', source: 'self' }, ledger.ctx({ now, policy: { ...FLEX, maxPoolHeldPerPerson: 100_000 } }));
            if (r.ok) {
              posting = r.value.posting;
              holds.push(r.value.hold);
            } else expect(r.error.code).toBe('POOL_INSUFFICIENT');
          } else if (c.kind === 'void') {
            const open = holds.filter((h) => ledger.state.holds[h.id]?.state === 'held');
            const h = open[c.pick % Math.max(open.length, 1)];
            if (h) posting = unwrap(voidHold(ledger.state, h.id, 'self', ledger.ctx({ now, policy: FLEX }))).posting;
          } else {
            posting = planPackExpiry(ledger.state, ledger.ctx({ actor: PACKS_ACTOR, now, policy: FLEX })).posting;
          }
          if (posting) {
            checkDrawOrder(before, posting, now);
            // the expiry of a pack moves exactly what was left in it, and happens once
            for (const t of posting.transfers.filter((x) => x.code === 'pack_expired' && x.holdId === undefined)) {
              expect(expiredAt.has(t.lotId!)).toBe(false);
              expect(t.amount).toBe(before.find((l) => l.id === t.lotId)!.remaining);
            }
            ledger.commit(posting);
          }
          for (const lot of ledger.state.lots) {
            if (lot.expiredAt) {
              if (expiredAt.has(lot.id)) expect(lot.expiredAt).toBe(expiredAt.get(lot.id));
              expiredAt.set(lot.id, lot.expiredAt);
            }
          }
          expect(checkInvariants(ledger.snapshot())).toEqual([]);
        }
        // the timer far in the future leaves no pack unexpired, and everything adds up
        ledger.commit(planPackExpiry(ledger.state, ledger.ctx({ actor: PACKS_ACTOR, now: day(clock + 3 * 366), policy: FLEX })).posting);
        for (const lot of ledger.state.lots) expect(lot.expiredAt).toBeDefined();
        const snapshot = ledger.snapshot();
        expect(checkInvariants(snapshot)).toEqual([]);
        expect(Object.values(snapshot.balances).reduce((a, b) => a + b, 0)).toBe(0);
        const lost = snapshot.transfers.filter((t) => t.code === 'pack_expired').reduce((a, t) => a + t.amount, 0);
        expect(snapshot.balances['expired'] ?? 0).toBe(lost);
        expect(snapshot.lots.reduce((a, l) => a + (l.expiredAmount ?? 0), 0)).toBe(lost);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Flex forecast', () => {
  it('a pack expiring before the run-out date lowers the projection on its expiry day, and the recommendation covers it', () => {
    const today = '2026-11-02';
    const dailyDraws = Array.from({ length: 28 }, (_, i) => ({ date: new Date(Date.parse(`${today}T00:00:00Z`) - (i + 1) * DAY).toISOString().slice(0, 10), amount: 100 }));
    const base = { today, poolBalance: 10_000, dailyDraws, policy: FLEX, horizonDays: 60 };
    const plain = forecastPool(base);
    const flex = forecastPool({ ...base, expiring: [{ units: 6000, expiresAt: '2026-11-12T09:00:00.000Z' }] });
    const on = (f: typeof plain, date: string) => f.projection.find((d) => d.date === date)!.expected;
    // Until the expiry day the two agree; on it the pack's unused tokens lapse.
    expect(on(flex, '2026-11-11')).toBe(on(plain, '2026-11-11'));
    const drop = on(plain, '2026-11-12') - on(flex, '2026-11-12');
    expect(drop).toBeGreaterThan(4000);
    expect(drop).toBeLessThanOrEqual(6000);
    expect(flex.zeroDate).not.toBeNull();
    expect(plain.zeroDate === null || flex.zeroDate! < plain.zeroDate).toBe(true);
    expect(flex.recommendedBlocks).toBeGreaterThanOrEqual(plain.recommendedBlocks);
  });
});
