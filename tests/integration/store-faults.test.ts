import { beforeAll, describe, expect, it } from 'vitest';
import { checkInvariants, newMember } from '../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../src/core/policy/index.js';
import { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import { RowConflictError } from '../../server/adapters/table-storage/entity-table.js';
import { TableLedgerStore } from '../../server/adapters/table-storage/table-ledger-store.js';
import { registrationEvent, requestRegistration } from '../../server/app/registrations.js';
import { postUsage } from '../../server/app/usage.js';
import { purchaseEvent, startPurchase } from '../../server/app/purchases.js';
import type { AppDeps } from '../../server/app/deps.js';
import type { Caller } from '../../server/app/caller.js';
import { systemClock } from '../../server/ports/clock.js';
import { newestFirstIds } from '../../server/ports/ids.js';
import { StorageUnavailableError } from '../../server/ports/ledger-store.js';
import { freshTableName, sharedAzurite } from '../support/api.js';
import type { Fault } from '../support/faulty-table.js';
import { FaultyTable } from '../support/faulty-table.js';
import { FakeDirectory, NO_DIRECTORY } from '../support/directory.js';

const TENANT = 'fault-tenant';
let real: AzureTableAdapter;

const manager: Caller = { tenant: TENANT, id: 'manager-1', email: 'm@contoso.example', displayName: 'Manager', roles: ['AccountManager', 'ITAdmin'] };
const worker = (i: number): Caller => ({ tenant: TENANT, id: `worker-${i}`, email: `w${i}@contoso.example`, displayName: `Worker ${i}`, roles: [] });
let key = 0;
const write = (caller = 'setup') => ({ idempotency: { caller, key: `k-${++key}`, fingerprint: `f-${key}` } });

function depsOver(table: FaultyTable | AzureTableAdapter): AppDeps {
  const store = new TableLedgerStore({ table, clock: systemClock, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY, maxAttempts: 6 });
  return { store, directory: NO_DIRECTORY, clock: systemClock, defaultPolicy: DEFAULT_POLICY };
}

beforeAll(async () => {
  real = AzureTableAdapter.fromConnectionString(sharedAzurite().connectionString, freshTableName());
  await real.createTableIfMissing();
  const deps = depsOver(real);
  for (let i = 0; i < 10; i++) {
    const w = worker(i);
    await deps.store.ensureMember(TENANT, newMember({ id: w.id, email: w.email, displayName: w.displayName, now: new Date().toISOString() }));
    expect((await requestRegistration(deps, w, write(), {})).ok).toBe(true);
    expect((await registrationEvent(deps, manager, write(), w.id, { type: 'already_registered' })).ok).toBe(true);
  }
  const purchase = await startPurchase(deps, manager, write(), { blocks: 5 });
  if (!purchase.ok) throw new Error('purchase');
  const id = (purchase.value as { purchase: { id: string } }).purchase.id;
  for (const step of [{ type: 'quote_received', quoteNumber: 'Q', price: 1, currency: 'USD' }, { type: 'approved' }, { type: 'ordered', poNumber: 'PO' }, { type: 'applied' }] as const) {
    expect((await purchaseEvent(deps, manager, write(), id, step)).ok).toBe(true);
  }
});

describe('storage faults during postings', () => {
  it('an entity-group transaction that fails on one row writes none of its rows', async () => {
    await real.create({ partitionKey: TENANT, rowKey: 'probe|exists' });
    await expect(
      real.transact(TENANT, [
        { kind: 'create', row: { partitionKey: TENANT, rowKey: 'probe|a' } },
        { kind: 'create', row: { partitionKey: TENANT, rowKey: 'probe|b' } },
        { kind: 'create', row: { partitionKey: TENANT, rowKey: 'probe|exists' } },
      ]),
    ).rejects.toBeInstanceOf(RowConflictError);
    expect(await real.get(TENANT, 'probe|a')).toBeUndefined();
    expect(await real.get(TENANT, 'probe|b')).toBeUndefined();
  });

  it('with writes that fail before or after reaching storage and 412 races, every acknowledged posting lands exactly once', async () => {
    let n = 0;
    const sequence: Fault[] = ['fail-before', 'none', 'fail-after', 'conflict-412', 'none', 'fail-after', 'none'];
    const table = new FaultyTable(real, () => sequence[n++ % sequence.length]!);
    const deps = depsOver(table);
    const requests = Array.from({ length: 80 }, (_, i) => ({ caller: worker(i % 10), key: `usage-${i}`, credits: 2 + (i % 4) }));
    const settled = await Promise.allSettled(
      requests.map((r) =>
        postUsage(deps, r.caller, { idempotency: { caller: r.caller.id, key: r.key, fingerprint: `u-${r.key}` } }, { service: 'simulation', credits: r.credits, date: '2026-11-05' }),
      ),
    );
    // Clients got a clear answer: success, or storage unavailable (to retry with the same key).
    for (const s of settled) if (s.status === 'rejected') expect(s.reason).toBeInstanceOf(StorageUnavailableError);
    const results = settled.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
    expect(table.injected['fail-after']).toBeGreaterThan(0);
    expect(table.injected['fail-before']).toBeGreaterThan(0);

    const snapshot = await depsOver(real).store.snapshot(TENANT);
    expect(checkInvariants(snapshot)).toEqual([]);
    const acknowledged = results.flatMap((r) => (r?.ok ? [r.value as { postingId: string; fromOwn: number; fromPool: number }] : []));
    expect(results.every((r) => r === undefined || r.ok)).toBe(true);

    const usageRows = snapshot.transfers.filter((t) => t.date === '2026-11-05');
    const byPosting = new Map<string, number>();
    for (const t of usageRows) byPosting.set(t.postingId, (byPosting.get(t.postingId) ?? 0) + t.amount);
    for (const a of acknowledged) expect(byPosting.get(a.postingId)).toBe(Math.round((a.fromOwn + a.fromPool) * 100));

    // Retrying every request with its key now (storage healthy) changes nothing that already landed.
    const healthy = depsOver(real);
    const retried = await Promise.all(
      requests.map((r) =>
        postUsage(healthy, r.caller, { idempotency: { caller: r.caller.id, key: r.key, fingerprint: `u-${r.key}` } }, { service: 'simulation', credits: r.credits, date: '2026-11-05' }),
      ),
    );
    expect(retried.every((r) => r.ok)).toBe(true);
    for (const [i, r] of results.entries()) if (r?.ok) expect(retried[i]).toEqual(r);
    const final = await healthy.store.snapshot(TENANT);
    expect(checkInvariants(final)).toEqual([]);
    const postings = new Set(final.transfers.filter((t) => t.date === '2026-11-05').map((t) => t.postingId));
    expect(postings.size).toBe(80);
  });

  it('storage that stays down answers STORAGE_UNAVAILABLE and writes nothing', async () => {
    const table = new FaultyTable(real, () => 'fail-before');
    const deps = depsOver(table);
    const before = (await depsOver(real).store.snapshot(TENANT)).transfers.length;
    await expect(postUsage(deps, worker(1), write('worker-1'), { service: 'other', credits: 1, date: '2026-11-06' })).rejects.toBeInstanceOf(StorageUnavailableError);
    expect((await depsOver(real).store.snapshot(TENANT)).transfers.length).toBe(before);
  });

  it('a request raised for someone new is whole or absent: storage failing after the first write leaves no member without the request', async () => {
    let writes = 0;
    const table = new FaultyTable(real, () => (writes++ === 0 ? 'none' : 'fail-before'));
    const newcomer = { id: 'newcomer-1', email: 'noor.oneil@contoso.example', displayName: 'Noor O\'Neil', office: 'Denver' };
    const deps = { ...depsOver(table), directory: new FakeDirectory([newcomer]) };
    const answer = await requestRegistration(deps, manager, write(manager.id), { email: newcomer.email }).catch((error: unknown) => error);
    const stored = await depsOver(real).store.getMember(TENANT, newcomer.id);
    if (answer instanceof Error) expect(stored).toBeUndefined();
    else expect(stored?.member.registration).toMatchObject({ state: 'requested', requestedBy: manager.id });
    expect(await depsOver(real).store.findMemberIdByEmail(TENANT, newcomer.email)).toBe(stored?.member.id);
  });
});

