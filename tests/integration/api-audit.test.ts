import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import { auditRow } from '../../server/adapters/table-storage/entities.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import { newestFirstIds } from '../../server/ports/ids.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, IT, MANAGER, startTestApi } from '../support/api.js';

/** GET /api/audit over HTTP against Azurite: every committed change has one entry, written with the change. */
let api: TestApi;
const [avery] = EMPLOYEES as [DemoUser];
const today = () => new Date().toISOString().slice(0, 10);

interface Entry {
  id: string;
  at: string;
  actor: { id: string; name: string };
  changes: { kind: string; [key: string]: unknown }[];
}

async function trail(): Promise<Entry[]> {
  const answer = await api.call(IT, 'GET', '/api/audit?limit=200');
  expect(answer.status).toBe(200);
  return answer.body.items as Entry[];
}

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stack.stop();
});

describe('GET /api/audit', () => {
  it('records who changed what, newest first, with names', async () => {
    await api.register(avery);
    expect((await api.call(avery, 'POST', '/api/usage', { body: { service: 'simulation', credits: 2.5, date: today() } })).status).toBe(201);

    const entries = await trail();
    const [usage, registered] = entries;
    expect(usage).toMatchObject({ actor: { id: avery.id, name: avery.displayName } });
    expect(usage!.changes).toContainEqual({ kind: 'transfer', transferId: expect.any(String), code: 'usage_individual', credits: 2.5, memberId: avery.id, memberName: avery.displayName, reverses: null });
    expect(registered).toMatchObject({ actor: { id: MANAGER.id, name: MANAGER.displayName } });
    expect(registered!.changes).toContainEqual({ kind: 'member', memberId: avery.id, name: avery.displayName, registrationState: 'registered', what: 'registration' });
    // Usage moves the member's balance, not their record: no member line for it.
    expect(usage!.changes.filter((c) => c.kind === 'member')).toEqual([]);
    expect(registered!.changes.some((c) => c.kind === 'transfer' && c.code === 'allotment_granted')).toBe(true);
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort().reverse());
  });

  it('has no entry for a refused change, and one for a change sent twice', async () => {
    const before = (await trail()).length;
    const refused = await api.call(avery, 'POST', '/api/usage', { body: { service: 'simulation', credits: 100_000, date: today() } });
    expect(refused.status).toBe(422);
    expect((await trail()).length).toBe(before);

    const key = 'audit-twice-0001';
    const first = await api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: 2, reason: 'Audit test' }, key });
    const again = await api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: 2, reason: 'Audit test' }, key });
    expect([first.status, again.status]).toEqual([201, 201]);
    const entries = await trail();
    expect(entries.length).toBe(before + 1);
    expect(entries[0]!.changes).toEqual([{ kind: 'purchase', purchaseId: first.body.purchase.id, blocks: 2, state: 'requested' }]);
  });

  it('shows a settings change by IT, and is for account managers and IT only', async () => {
    const settings = (await api.call(IT, 'GET', '/api/settings')).body;
    expect((await api.call(IT, 'PUT', '/api/settings', { body: { ...settings, stuckAfterWorkingDays: settings.stuckAfterWorkingDays + 1 } })).status).toBe(200);
    expect((await trail())[0]).toMatchObject({ actor: { id: IT.id }, changes: [{ kind: 'settings' }] });

    expect((await api.call(avery, 'GET', '/api/audit')).status).toBe(403);
    expect((await api.call(undefined, 'GET', '/api/audit')).status).toBe(401);
    // Paging follows the API's own cursors to the same entries, one at a time.
    const all = await trail();
    const paged: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 3; i++) {
      const page: { status: number; body: { items: Entry[]; nextCursor: string | null } } = await api.call(MANAGER, 'GET', `/api/audit?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      paged.push(...page.body.items.map((e) => e.id));
      cursor = page.body.nextCursor;
    }
    expect(paged).toEqual(all.slice(0, 3).map((e) => e.id));
  });

  it('lists lines carried by transfer rows and lines of their own (as all were written before) together, newest first, at every page size', async () => {
    expect((await api.call(avery, 'POST', '/api/usage', { body: { service: 'simulation', credits: 1, date: today() } })).status).toBe(201);
    // A line stored as a row of its own, as every line was before they rode on transfer rows.
    const table = AzureTableAdapter.fromConnectionString(api.stack.azurite.connectionString, api.tableName);
    const old = { id: newestFirstIds().next(), at: new Date().toISOString(), actor: MANAGER.id, changes: [{ kind: 'purchase' as const, purchaseId: 'bought-before', blocks: 3, state: 'applied' as const }] };
    await table.create(auditRow(api.stack.tenant, old));
    expect((await api.call(avery, 'POST', '/api/usage', { body: { service: 'simulation', credits: 2, date: today() } })).status).toBe(201);

    const all = await trail();
    expect(all.slice(0, 3).map((e) => e.changes[0]!.kind)).toEqual(['transfer', 'purchase', 'transfer']);
    expect(all[1]).toMatchObject({ id: old.id, actor: { id: MANAGER.id, name: MANAGER.displayName }, changes: old.changes });
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    for (const limit of [1, 2, 5]) {
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: { items: Entry[]; nextCursor: string | null } } = await api.call(IT, 'GET', `/api/audit?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(page.status, JSON.stringify(page.body)).toBe(200);
        paged.push(...page.body.items.map((e) => e.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(paged).toEqual(all.map((e) => e.id));
    }
    expect((await api.call(IT, 'GET', '/api/audit?cursor=not-one-we-gave')).status).toBe(400);
  });
});
