/**
 * The holds use cases (server/app/holds.ts) over the in-memory table: the same store and group committer
 * as Azure Table Storage, so holds load and write with their postings.
 */
import { describe, expect, it } from 'vitest';
import { checkInvariants, newMember } from '../../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import { MemoryTableAdapter } from '../../../server/adapters/memory/memory-table.js';
import { TableLedgerStore } from '../../../server/adapters/table-storage/table-ledger-store.js';
import type { AppResult } from '../../../server/app/app-result.js';
import type { Caller } from '../../../server/app/caller.js';
import type { AppDeps } from '../../../server/app/deps.js';
import { expireDueHolds, listHolds, postHold, voidHoldFor } from '../../../server/app/holds.js';
import { getMe } from '../../../server/app/me.js';
import { getPool } from '../../../server/app/pool.js';
import { purchaseEvent, startPurchase } from '../../../server/app/purchases.js';
import { registrationEvent } from '../../../server/app/registrations.js';
import { postUsage } from '../../../server/app/usage.js';
import type { Clock } from '../../../server/ports/clock.js';
import { systemClock } from '../../../server/ports/clock.js';
import { newestFirstIds } from '../../../server/ports/ids.js';
import { NO_DIRECTORY } from '../../support/directory.js';

const TENANT = 't-holds';
const manager: Caller = { tenant: TENANT, id: 'am', email: 'am@x.example', displayName: 'AM', roles: ['AccountManager'] };
const it_: Caller = { tenant: TENANT, id: 'it', email: 'it@x.example', displayName: 'IT', roles: ['ITAdmin'] };
const person = (i: number): Caller => ({ tenant: TENANT, id: `p${i}`, email: `p${i}@x.example`, displayName: `P${i}`, roles: [] });
let counter = 0;
const write = (key = `k${++counter}`, fingerprint = key) => ({ idempotency: { caller: 'x', key, fingerprint } });
const today = () => new Date().toISOString().slice(0, 10);

function body<T = any>(result: AppResult): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.value as T;
}
const code = (result: AppResult) => (result.ok ? 'ok' : result.code);

async function setup(people = 2, blocks = 1) {
  const table = new MemoryTableAdapter();
  const store = new TableLedgerStore({ table, clock: systemClock, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY });
  const deps: AppDeps = { store, directory: NO_DIRECTORY, clock: systemClock, defaultPolicy: DEFAULT_POLICY };
  for (let i = 0; i < people; i++) {
    const p = person(i);
    await store.ensureMember(TENANT, newMember({ id: p.id, email: p.email, displayName: p.displayName, now: new Date().toISOString() }));
    expect((await registrationEvent(deps, manager, write(), p.id, { type: 'already_registered' })).ok).toBe(true);
  }
  await store.ensureMember(TENANT, newMember({ id: 'late', email: 'late@x.example', displayName: 'Late', now: new Date().toISOString() }));
  if (blocks > 0) {
    const id = body(await startPurchase(deps, manager, write(), { blocks })).purchase.id as string;
    for (const step of [{ type: 'quote_received', quoteNumber: 'Q', price: 1, currency: 'USD' }, { type: 'approved' }, { type: 'ordered', poNumber: 'P' }, { type: 'applied' }] as const) {
      expect((await purchaseEvent(deps, manager, write(), id, step)).ok).toBe(true);
    }
  }
  const sound = async () => expect(checkInvariants(await store.snapshot(TENANT))).toEqual([]);
  return { table, store, deps, sound };
}

const me = async (deps: AppDeps, caller: Caller) => body(await getMe(deps, caller)).credits as { own: number; pool: number; held: number; available: number };

describe('holds use cases', () => {
  it('places a hold: own credits first, then the pool; /me and /pool show what is held and what is left', async () => {
    const { deps, sound } = await setup();
    const placed = body(await postHold(deps, person(0), write(), { service: 'simulation', credits: 130, note: 'Tower study' }));
    expect(placed.hold).toMatchObject({ memberId: 'p0', credits: 130, fromOwn: 100, fromPool: 30, service: 'simulation', note: 'Tower study', state: 'held', closedAt: null });
    expect(Date.parse(placed.hold.expiresAt) - Date.parse(placed.hold.placedAt)).toBe(7 * 86_400_000);
    expect(await me(deps, person(0))).toEqual({ own: 0, pool: 70, held: 130, available: 70 });
    expect(body(await getMe(deps, person(0))).mayDrawFromPool).toBe(false);
    expect(await me(deps, person(1))).toEqual({ own: 100, pool: 70, held: 0, available: 170 });
    const pool = body(await getPool(deps, person(1)));
    expect(pool).toMatchObject({ balance: 70, held: 30 });
    expect(pool.eligibleMembers).toBe(0);
    await sound();
  });

  it('a usage settles the hold in the same change and the difference goes back', async () => {
    const { deps, store, sound } = await setup();
    const held = body(await postHold(deps, person(0), write(), { service: 'simulation', credits: 130 })).hold;
    const used = body(await postUsage(deps, person(0), write(), { service: 'simulation', credits: 110, date: today() }));
    expect(used).toMatchObject({ fromOwn: 100, fromPool: 10, balanceAfter: 0, settledHolds: [{ id: held.id, credits: 130, service: 'simulation' }] });
    const after = body(await listHolds(deps, person(0), {}));
    expect(after.items).toEqual([expect.objectContaining({ id: held.id, state: 'settled', closedIn: used.postingId, closedBy: 'p0' })]);
    expect(await me(deps, person(0))).toEqual({ own: 0, pool: 90, held: 0, available: 90 });
    expect(await store.getBalance(TENANT, 'pool')).toBe(9000);
    await sound();
  });

  it('void: the holder or an account manager; twice is a replay with the same key and a 409 with another', async () => {
    const { deps, sound } = await setup();
    const held = body(await postHold(deps, person(0), write(), { service: 'other', credits: 20 })).hold;
    expect(code(await voidHoldFor(deps, person(1), write(), held.id))).toBe('FORBIDDEN');
    expect(code(await voidHoldFor(deps, it_, write(), held.id))).toBe('FORBIDDEN');
    const key = write();
    const voided = await voidHoldFor(deps, person(0), key, held.id);
    expect(body(voided).hold).toMatchObject({ state: 'voided', closedBy: 'p0' });
    expect(await voidHoldFor(deps, person(0), key, held.id)).toEqual(voided);
    const again = await voidHoldFor(deps, manager, write(), held.id);
    expect(again).toMatchObject({ ok: false, code: 'INVALID_TRANSITION', details: { state: 'voided' } });
    expect(code(await voidHoldFor(deps, manager, write(), 'no-such-hold'))).toBe('NOT_FOUND');
    expect(await me(deps, person(0))).toMatchObject({ own: 100, held: 0 });

    const forSomeone = body(await postHold(deps, manager, write(), { service: 'other', credits: 5, memberId: 'p1' })).hold;
    expect(forSomeone).toMatchObject({ memberId: 'p1', placedBy: 'am' });
    expect(body(await voidHoldFor(deps, manager, write(), forSomeone.id)).hold).toMatchObject({ state: 'voided', closedBy: 'am' });
    await sound();
  });

  it('refusals: someone else’s hold, not registered, a pool too small; nothing is written', async () => {
    const { deps, store } = await setup(2, 0);
    expect(code(await postHold(deps, person(0), write(), { service: 'other', credits: 1, memberId: 'p1' }))).toBe('FORBIDDEN');
    const late: Caller = { ...person(0), id: 'late' };
    expect(code(await postHold(deps, late, write(), { service: 'other', credits: 1 }))).toBe('NOT_REGISTERED');
    const short = await postHold(deps, person(0), write(), { service: 'other', credits: 100.01 });
    expect(short).toMatchObject({ ok: false, code: 'POOL_INSUFFICIENT', details: { poolBalance: 0, needed: 0.01, openPurchases: [] } });
    expect(code(await postHold(deps, person(0), write(), { service: 'nope', credits: 1 }))).toBe('VALIDATION_FAILED');
    expect((await store.listHolds(TENANT, {}, {})).items).toEqual([]);
  });

  it('lists: employees their own; managers and IT everyone, by person and state', async () => {
    const { deps } = await setup();
    const a = body(await postHold(deps, person(0), write(), { service: 'other', credits: 1 })).hold;
    const b = body(await postHold(deps, person(1), write(), { service: 'other', credits: 2 })).hold;
    await voidHoldFor(deps, person(1), write(), b.id);
    expect(body(await listHolds(deps, person(0), {})).items.map((h: { id: string }) => h.id)).toEqual([a.id]);
    expect(code(await listHolds(deps, person(0), { memberId: 'p1' }))).toBe('FORBIDDEN');
    expect(body(await listHolds(deps, it_, {})).items.map((h: { id: string }) => h.id).sort()).toEqual([a.id, b.id].sort());
    expect(body(await listHolds(deps, manager, { memberId: 'p1', state: 'voided' })).items.map((h: { id: string }) => h.id)).toEqual([b.id]);
    expect(body(await listHolds(deps, manager, { state: 'held' })).items.map((h: { id: string }) => h.id)).toEqual([a.id]);
  });

  it('the expiry timer releases what is past its expiry, once, by the clock it is given', async () => {
    const { deps, sound } = await setup();
    const held = body(await postHold(deps, person(0), write(), { service: 'simulation', credits: 150 })).hold;
    body(await postHold(deps, person(1), write(), { service: 'simulation', credits: 10 }));
    expect(await expireDueHolds(deps, TENANT)).toEqual({ due: 0, expired: [] });
    const later: Clock = { now: () => new Date(Date.parse(held.expiresAt) + 1000) };
    const run = await expireDueHolds({ ...deps, clock: later }, TENANT);
    expect(run.due).toBe(2);
    expect(run.expired).toHaveLength(2);
    expect(await expireDueHolds({ ...deps, clock: later }, TENANT)).toEqual({ due: 0, expired: [] });
    expect(await me(deps, person(0))).toEqual({ own: 100, pool: 100, held: 0, available: 200 });
    expect(body(await listHolds(deps, manager, { state: 'expired' })).items).toHaveLength(2);
    await sound();
  });

  it('many people holding, using and voiding at once: invariants hold and nobody takes what others hold', async () => {
    const { deps, store, sound } = await setup(10, 3);
    const ops = Array.from({ length: 60 }, (_, i) => {
      const who = person(i % 10);
      if (i % 3 === 0) return postHold(deps, who, write(), { service: 'simulation', credits: 40 + (i % 7) * 10 });
      if (i % 3 === 1) return postUsage(deps, who, write(), { service: i % 2 ? 'simulation' : 'other', credits: 30 + (i % 5) * 5, date: today() });
      return postHold(deps, who, write(), { service: 'other', credits: 25 });
    });
    const results = await Promise.all(ops);
    // Refusals are the pool running dry or a person reaching the limit on pool credits in holds.
    expect(results.every((r) => r.ok || r.code === 'POOL_INSUFFICIENT' || r.code === 'HOLD_LIMIT_REACHED')).toBe(true);
    const open = body(await listHolds(deps, manager, { state: 'held', limit: 200 })).items as { id: string; memberId: string }[];
    const voids = await Promise.all(open.slice(0, 5).map((h) => voidHoldFor(deps, manager, write(), h.id)));
    expect(voids.every((r) => r.ok)).toBe(true);
    expect(await store.getBalance(TENANT, 'pool')).toBeGreaterThanOrEqual(0);
    await sound();
  });

  it('a hold placed through another instance is still settled by a usage here (the member row tells)', async () => {
    const { table, deps, sound } = await setup(1, 1);
    const other = new TableLedgerStore({ table, clock: systemClock, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY });
    // Warm this instance's cache of p0, then hold through the other one.
    await postUsage(deps, person(0), write(), { service: 'other', credits: 1, date: today() });
    const held = body(await postHold({ ...deps, store: other }, person(0), write(), { service: 'simulation', credits: 50 })).hold;
    const used = body(await postUsage(deps, person(0), write(), { service: 'simulation', credits: 60, date: today() }));
    expect(used.settledHolds).toEqual([{ id: held.id, credits: 50, service: 'simulation' }]);
    await sound();
  });
});
