import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInvariants, newMember } from '../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../src/core/policy/index.js';
import { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import { TableLedgerStore } from '../../server/adapters/table-storage/table-ledger-store.js';
import { systemClock } from '../../server/ports/clock.js';
import { newestFirstIds } from '../../server/ports/ids.js';
import { DEMO_TENANT } from '../../server/local/demo-users.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import { postUsage } from '../../server/app/usage.js';
import { MANAGER, startTestApi } from '../support/api.js';
import type { TestApi } from '../support/api.js';
import { NO_DIRECTORY } from '../support/directory.js';

let api: TestApi;

/** 50 people who each used up their own 100 credits, so every further posting draws on the pool. */
function person(i: number): DemoUser {
  return { id: `c0000000-0000-4000-8000-${String(i).padStart(12, '0')}`, email: `load${i}@contoso.example`, displayName: `Load ${i}`, office: ['Boston', 'Denver'][i % 2]!, roles: [] };
}
const people = Array.from({ length: 50 }, (_, i) => person(i + 1));

beforeAll(async () => {
  api = await startTestApi();
  await Promise.all(people.map((p) => api.register(p)));
  // Use up everyone's own credits so the 200 postings below compete for the pool.
  await Promise.all(people.map((p) => api.call(p, 'POST', '/api/usage', { body: { service: 'simulation', credits: 100, date: '2026-11-01' } })));
  await api.fillPool(3); // 300 credits for 200 postings of 1–3 credits: some must be refused.
});

afterAll(async () => {
  await api?.stack.stop();
});

describe('200 concurrent usage postings by 50 people against a nearly empty pool', () => {
  it('records every accepted posting exactly once, leaves no trace of refused ones, and keeps the pool ≥ 0', async () => {
    const before = await api.call(MANAGER, 'GET', '/api/pool');
    expect(before.body.balance).toBe(300);

    const requests = Array.from({ length: 200 }, (_, i) => ({ who: people[i % people.length]!, credits: (i % 3) + 1 }));
    const answers = await Promise.all(
      requests.map((r) => api.call(r.who, 'POST', '/api/usage', { body: { service: 'cloud_rendering', credits: r.credits, date: '2026-11-02' } })),
    );
    const accepted = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 422);
    expect(accepted.length + refused.length).toBe(200);
    expect(refused.every((a) => a.body.error.code === 'POOL_INSUFFICIENT')).toBe(true);
    expect(accepted.length).toBeGreaterThan(100);
    expect(refused.length).toBeGreaterThan(0);

    const acceptedCredits = accepted.reduce((sum, a) => sum + a.body.fromPool + a.body.fromOwn, 0);
    const after = await api.call(MANAGER, 'GET', '/api/pool');
    expect(after.body.balance).toBeGreaterThanOrEqual(0);
    expect(Math.round((300 - after.body.balance) * 100)).toBe(Math.round(acceptedCredits * 100));

    const snapshot = await api.stack.store.snapshot(DEMO_TENANT);
    expect(checkInvariants(snapshot)).toEqual([]);
    const postingIds = new Set(accepted.map((a) => a.body.postingId as string));
    const loadDraws = snapshot.transfers.filter((t) => t.code === 'usage_pool' && t.date === '2026-11-02');
    // Every accepted posting is in the ledger, and nothing else is.
    expect(new Set(loadDraws.map((t) => t.postingId))).toEqual(postingIds);
    const perPosting = new Map<string, number>();
    for (const t of loadDraws) perPosting.set(t.postingId, (perPosting.get(t.postingId) ?? 0) + t.amount);
    for (const a of accepted) expect(perPosting.get(a.body.postingId)).toBe(Math.round(a.body.fromPool * 100));
    expect(snapshot.balances.pool).toBeGreaterThanOrEqual(0);
  });

  it('two store instances on the same table (scale-out) still never lose or create a credit', async () => {
    const table = AzureTableAdapter.fromConnectionString(api.stack.azurite.connectionString, api.tableName);
    const stores = [0, 1].map(() => new TableLedgerStore({ table, clock: systemClock, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY }));
    await api.fillPool(1);
    const poolBefore = (await api.call(MANAGER, 'GET', '/api/pool')).body.balance as number;
    const deps = stores.map((store) => ({ store, directory: NO_DIRECTORY, clock: systemClock, defaultPolicy: DEFAULT_POLICY }));
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, i) => {
        const who = people[i % people.length]!;
        return postUsage(deps[i % 2]!, { tenant: DEMO_TENANT, id: who.id, email: who.email, displayName: who.displayName, roles: [] }, { idempotency: { caller: who.id, key: `scale-${i}`, fingerprint: `f${i}` } }, { service: 'other', credits: 1.5, date: '2026-11-03' });
      }),
    );
    const ok = results.filter((r) => r.ok);
    expect(ok.length + results.filter((r) => !r.ok && r.code === 'POOL_INSUFFICIENT').length).toBe(120);
    const poolAfter = (await api.call(MANAGER, 'GET', '/api/pool')).body.balance as number;
    expect(Math.round((poolBefore - poolAfter) * 100)).toBe(ok.length * 150);
    expect(checkInvariants(await api.stack.store.snapshot(DEMO_TENANT))).toEqual([]);
  });

  it('a member row created twice at once stays one member', async () => {
    const fresh = newMember({ id: 'd0000000-0000-4000-8000-000000000001', email: 'twice@contoso.example', displayName: 'Twice', now: new Date().toISOString() });
    const results = await Promise.all(Array.from({ length: 5 }, () => api.stack.store.ensureMember(DEMO_TENANT, fresh)));
    expect(results.every((m) => m.id === fresh.id)).toBe(true);
    expect(await api.stack.store.findMemberIdByEmail(DEMO_TENANT, 'twice@contoso.example')).toBe(fresh.id);
  });
});
