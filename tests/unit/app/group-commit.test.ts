import { describe, expect, it } from 'vitest';
import { checkInvariants, newMember } from '../../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import { MemoryTableAdapter } from '../../../server/adapters/memory/memory-table.js';
import type { TableAction } from '../../../server/adapters/table-storage/entity-table.js';
import { TableLedgerStore } from '../../../server/adapters/table-storage/table-ledger-store.js';
import type { AppDeps } from '../../../server/app/deps.js';
import type { Caller } from '../../../server/app/caller.js';
import { purchaseEvent, startPurchase } from '../../../server/app/purchases.js';
import { registrationEvent } from '../../../server/app/registrations.js';
import { reverse } from '../../../server/app/reversals.js';
import { postUsage } from '../../../server/app/usage.js';
import { systemClock } from '../../../server/ports/clock.js';
import { newestFirstIds } from '../../../server/ports/ids.js';
import { NO_DIRECTORY } from '../../support/directory.js';

const TENANT = 't1';
const manager: Caller = { tenant: TENANT, id: 'am', email: 'am@x.example', displayName: 'AM', roles: ['AccountManager', 'ITAdmin'] };
const person = (i: number): Caller => ({ tenant: TENANT, id: `p${i}`, email: `p${i}@x.example`, displayName: `P${i}`, roles: [] });
let counter = 0;
const write = (caller = 'x', key = `k${++counter}`, fingerprint = key) => ({ idempotency: { caller, key, fingerprint } });

/** A memory table that records every transaction it is asked to commit. */
class CountingTable extends MemoryTableAdapter {
  readonly transactions: number[] = [];
  override async transact(partitionKey: string, actions: TableAction[]) {
    this.transactions.push(actions.length);
    return super.transact(partitionKey, actions);
  }
}

async function setup(people = 5, blocks = 1) {
  const table = new CountingTable();
  const store = new TableLedgerStore({ table, clock: systemClock, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY });
  const deps: AppDeps = { store, directory: NO_DIRECTORY, clock: systemClock, defaultPolicy: DEFAULT_POLICY };
  for (let i = 0; i < people; i++) {
    const p = person(i);
    await store.ensureMember(TENANT, newMember({ id: p.id, email: p.email, displayName: p.displayName, now: new Date().toISOString() }));
    expect((await registrationEvent(deps, manager, write(), p.id, { type: 'already_registered' })).ok).toBe(true);
  }
  const created = await startPurchase(deps, manager, write(), { blocks });
  const id = (created as { value: { purchase: { id: string } } }).value.purchase.id;
  for (const step of [{ type: 'quote_received', quoteNumber: 'Q', price: 1, currency: 'USD' }, { type: 'approved' }, { type: 'ordered', poNumber: 'P' }, { type: 'applied' }] as const) {
    expect((await purchaseEvent(deps, manager, write(), id, step)).ok).toBe(true);
  }
  table.transactions.length = 0;
  return { table, store, deps };
}

const usage = { service: 'simulation', credits: 10, date: '2026-11-01' };

describe('group commit', () => {
  it('commits concurrent postings in shared transactions of at most 100 rows', async () => {
    const { table, store, deps } = await setup(20);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => postUsage(deps, person(i % 20), write(`p${i % 20}`), { ...usage, credits: 1 })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(table.transactions.length).toBeLessThan(100);
    expect(table.transactions.length).toBeGreaterThan(1);
    expect(Math.max(...table.transactions)).toBeLessThanOrEqual(100);
    const snapshot = await store.snapshot(TENANT);
    expect(checkInvariants(snapshot)).toEqual([]);
    expect(snapshot.transfers.filter((t) => t.code === 'usage_individual')).toHaveLength(100);
  });

  it('the same key sent twice at once posts once and answers both alike', async () => {
    const { store, deps } = await setup(1);
    const [a, b] = await Promise.all([postUsage(deps, person(0), write('p0', 'same-key-1', 'f'), usage), postUsage(deps, person(0), write('p0', 'same-key-1', 'f'), usage)]);
    expect(a).toEqual(b);
    expect((await store.getMember(TENANT, 'p0'))?.own).toBe(9000);
  });

  it('the same key with another body at once: one posts, the other is a conflict', async () => {
    const { deps } = await setup(1);
    const [a, b] = await Promise.all([postUsage(deps, person(0), write('p0', 'same-key-2', 'f1'), usage), postUsage(deps, person(0), write('p0', 'same-key-2', 'f2'), { ...usage, credits: 20 })]);
    expect(a.ok).toBe(true);
    expect(b.ok === false && b.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('reversing one transfer twice at once reverses it once', async () => {
    const { store, deps } = await setup(1);
    const posted = await postUsage(deps, person(0), write('p0'), usage);
    const postingId = (posted as { value: { postingId: string } }).value.postingId;
    const transferId = `${postingId}.00`;
    const [a, b] = await Promise.all([reverse(deps, manager, write('am'), transferId, { reason: 'typo' }), reverse(deps, manager, write('am'), transferId, { reason: 'typo' })]);
    const codes = [a, b].map((r) => (r.ok ? 'ok' : r.code)).sort();
    expect(codes).toEqual(['ALREADY_REVERSED', 'ok']);
    expect((await store.getMember(TENANT, 'p0'))?.own).toBe(10000);
    expect(checkInvariants(await store.snapshot(TENANT))).toEqual([]);
  });

  it('a refused posting in a batch leaves the others untouched', async () => {
    const { store, deps } = await setup(3, 1);
    // p0 needs 150: 100 own + 50 pool; p1 needs 160: 100 own + 60 pool, only 50 left after p0.
    const results = await Promise.all([
      postUsage(deps, person(0), write('p0'), { ...usage, credits: 150 }),
      postUsage(deps, person(1), write('p1'), { ...usage, credits: 160 }),
      postUsage(deps, person(2), write('p2'), { ...usage, credits: 5 }),
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual(['ok', 'POOL_INSUFFICIENT', 'ok']);
    expect((await store.getMember(TENANT, 'p1'))?.own).toBe(10000);
    expect(await store.getBalance(TENANT, 'pool')).toBe(5000);
    expect(checkInvariants(await store.snapshot(TENANT))).toEqual([]);
  });

  it('a second writer changing a row (412) makes the committer reload and decide again', async () => {
    const { table, deps } = await setup(1, 1);
    const other = new TableLedgerStore({ table, clock: systemClock, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY });
    const otherDeps = { ...deps, store: other };
    // Warm both caches, then let both spend from the same pool of 100.
    await postUsage(deps, person(0), write('p0'), { ...usage, credits: 100 });
    await postUsage(otherDeps, person(0), write('p0'), { ...usage, credits: 60 });
    const second = await postUsage(deps, person(0), write('p0'), { ...usage, credits: 60 });
    expect(second.ok === false && second.code).toBe('POOL_INSUFFICIENT');
    expect(checkInvariants(await deps.store.snapshot(TENANT))).toEqual([]);
    expect(await deps.store.getBalance(TENANT, 'pool')).toBe(4000);
  });

  it("a person's postings are in order by time across instances, even with the second one's clock behind", async () => {
    const { table, deps } = await setup(1, 1);
    const behind = { now: () => new Date(Date.now() - 60_000) };
    const other = new TableLedgerStore({ table, clock: behind, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY });
    const first = await postUsage(deps, person(0), write('p0'), { ...usage, credits: 100 });
    // Decided after the first was written, on a clock a minute behind: all from the pool, own credits used up.
    const second = await postUsage({ ...deps, store: other }, person(0), write('p0'), { ...usage, credits: 60 });
    expect([first.ok, second.ok]).toEqual([true, true]);
    const snapshot = await deps.store.snapshot(TENANT);
    const usages = snapshot.transfers.filter((t) => t.code === 'usage_individual' || t.code === 'usage_pool');
    expect(usages.map((t) => [t.code, t.amount])).toEqual([['usage_individual', 10000], ['usage_pool', 6000]]);
    expect(usages[1]!.at > usages[0]!.at).toBe(true);
    expect(checkInvariants(snapshot)).toEqual([]);
  });

  it('a refusal rests on rows read after the request came in, not on another instance\'s old cache', async () => {
    const { table, deps } = await setup(1, 1);
    const other = { ...deps, store: new TableLedgerStore({ table, clock: systemClock, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY }) };
    const p = person(7);
    await deps.store.ensureMember(TENANT, newMember({ id: p.id, email: p.email, displayName: p.displayName, now: new Date().toISOString() }));
    // The other instance caches the member as not registered and the pool at 100 while it refuses.
    const refused = await postUsage(other, p, write('p7'), { ...usage, credits: 250 });
    expect(refused.ok === false && refused.code).toBe('NOT_REGISTERED');
    expect((await registrationEvent(deps, manager, write(), p.id, { type: 'already_registered' })).ok).toBe(true);
    const created = await startPurchase(deps, manager, write(), { blocks: 1 });
    const id = (created as { value: { purchase: { id: string } } }).value.purchase.id;
    for (const step of [{ type: 'quote_received', quoteNumber: 'Q', price: 1, currency: 'USD' }, { type: 'approved' }, { type: 'ordered', poNumber: 'P' }, { type: 'applied' }] as const) {
      expect((await purchaseEvent(deps, manager, write(), id, step)).ok).toBe(true);
    }
    // 100 own + 150 from a pool of 200: refused on the other's cache (not registered, pool 100), accepted on storage.
    const accepted = await postUsage(other, p, write('p7'), { ...usage, credits: 250 });
    expect(accepted.ok && accepted.value).toMatchObject({ fromOwn: 100, fromPool: 150 });
    expect(checkInvariants(await deps.store.snapshot(TENANT))).toEqual([]);
  });
});
