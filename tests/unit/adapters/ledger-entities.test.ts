/**
 * What a posting writes, counted at the table: the audit line rides on the posting's transfer row, the
 * trail still lists every line (those of their own too, as written before) newest first, and a usage
 * reads nothing per posting once the committer has its rows.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/core/ledger/index.js';
import { newMember } from '../../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import { MemoryTableAdapter } from '../../../server/adapters/memory/memory-table.js';
import { auditRow, withAuditLine } from '../../../server/adapters/table-storage/entities.js';
import { TableLedgerStore } from '../../../server/adapters/table-storage/table-ledger-store.js';
import type { AppDeps } from '../../../server/app/deps.js';
import type { Caller } from '../../../server/app/caller.js';
import { purchaseEvent, startPurchase } from '../../../server/app/purchases.js';
import { registrationEvent } from '../../../server/app/registrations.js';
import { postUsage } from '../../../server/app/usage.js';
import { systemClock } from '../../../server/ports/clock.js';
import { newestFirstIds } from '../../../server/ports/ids.js';
import { InvalidCursorError } from '../../../server/ports/ledger-store.js';
import { CountingTable, countsSince } from '../../support/counting-table.js';
import { NO_DIRECTORY } from '../../support/directory.js';

const TENANT = 't1';
const manager: Caller = { tenant: TENANT, id: 'am', email: 'am@x.example', displayName: 'AM', roles: ['AccountManager', 'ITAdmin'] };
const ana: Caller = { tenant: TENANT, id: 'ana', email: 'ana@x.example', displayName: 'Ana', roles: [] };
let counter = 0;
const write = (caller: string) => ({ idempotency: { caller, key: `k${++counter}`, fingerprint: `f${counter}` } });
const usage = { service: 'simulation', credits: 1, date: '2026-11-01' };

async function setup() {
  const table = new CountingTable(new MemoryTableAdapter());
  const ids = newestFirstIds();
  const store = new TableLedgerStore({ table, clock: systemClock, ids, defaultPolicy: DEFAULT_POLICY });
  const deps: AppDeps = { store, directory: NO_DIRECTORY, clock: systemClock, defaultPolicy: DEFAULT_POLICY };
  await store.ensureMember(TENANT, newMember({ id: ana.id, email: ana.email, displayName: ana.displayName, now: new Date().toISOString() }));
  expect((await registrationEvent(deps, manager, write('am'), ana.id, { type: 'already_registered' })).ok).toBe(true);
  const created = await startPurchase(deps, manager, write('am'), { blocks: 1 });
  expect(created.ok).toBe(true);
  return { table, ids, store, deps, purchaseId: (created as { value: { purchase: { id: string } } }).value.purchase.id };
}

const post = async (deps: AppDeps) => {
  const posted = await postUsage(deps, ana, write('ana'), usage);
  if (!posted.ok) throw new Error(posted.code);
  return posted.value.postingId;
};

describe('what a posting writes and reads', () => {
  it('a usage writes its transfer (with the audit line on it), the member copy, the member row, the usage balance and its marker', async () => {
    const { table, deps } = await setup();
    await post(deps);
    const before = table.counts();
    await post(deps);
    const counts = countsSince(table.counts(), before);
    expect(counts.byKind).toEqual({ xfer: 1, mx: 1, member: 1, acct: 1, idem: 1 });
    expect([counts.entities, counts.auditLines, counts.markers, counts.updatesWithoutIfMatch]).toEqual([5, 1, 1, 0]);
  });

  it('a usage reads nothing per posting: the purchases on their way are listed by the committer, not by each request', async () => {
    const { table, deps } = await setup();
    await post(deps);
    const before = table.counts();
    for (let i = 0; i < 5; i++) await post(deps);
    const counts = countsSince(table.counts(), before);
    expect([counts.gets, counts.queries, counts.markers]).toEqual([0, 0, 5]);
  });

  it('the trail lists carried lines and lines of their own newest first, page by page', async () => {
    const { table, ids, store, deps, purchaseId } = await setup();
    const first = await post(deps);
    // A line written as a row of its own, as every line was before: still listed, in its place.
    const old: AuditEntry = { id: ids.next(), at: new Date().toISOString(), actor: 'am', changes: [{ kind: 'settings' }] };
    await table.create(auditRow(TENANT, old));
    const second = await post(deps);
    expect((await purchaseEvent(deps, manager, write('am'), purchaseId, { type: 'cancelled', reason: 'Not needed' })).ok).toBe(true);

    const all = (await store.listAudit(TENANT, { limit: 200 })).items;
    expect(all.slice(0, 4).map((e) => e.id === first || e.id === second || e.id === old.id)).toEqual([false, true, true, true]);
    expect(all.slice(1, 4).map((e) => e.id)).toEqual([second, old.id, first]);
    expect(all[0]!.changes).toEqual([{ kind: 'purchase', purchaseId, blocks: 1, state: 'cancelled' }]);
    expect(all[1]!.changes).toEqual([expect.objectContaining({ kind: 'transfer', transferId: `${second}.00`, code: 'usage_individual', credits: 1 })]);
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort());
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);

    for (const limit of [1, 2, 3]) {
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listAudit(TENANT, { limit, cursor });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        paged.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(paged).toEqual(all.map((e) => e.id));
    }
  });

  it('refuses a cursor it never gave out', async () => {
    const { store } = await setup();
    await expect(store.listAudit(TENANT, { cursor: 'eyJuZXh0UGFydGl0aW9uS2V5IjoiMSJ9' })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(store.listAudit(TENANT, { cursor: "after.x' or 1" })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('a line too long for one column keeps a row of its own', () => {
    const long: AuditEntry = { id: 'p', at: '2026-11-01T00:00:00.000Z', actor: 'am', changes: Array.from({ length: 400 }, () => ({ kind: 'member', memberId: 'm'.repeat(36), name: 'n'.repeat(40), registrationState: 'registered', what: 'details' }) as const) };
    const row = { partitionKey: TENANT, rowKey: 'xfer|p.00', data: '{}' };
    expect(withAuditLine(row, long)).toBeUndefined();
    expect(withAuditLine(row, { ...long, changes: long.changes.slice(0, 2) })).toMatchObject({ carries: 'audit' });
  });
});
