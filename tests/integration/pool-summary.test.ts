/**
 * The pool summary the ledger's writer keeps on the pool row (what GET /api/pool shows beside the balance),
 * over Azurite: after a random mix of usage, holds, voids, purchases started and registrations written by two store
 * instances at once, some of whose transactions land and lose their answer, it equals the summary made
 * from the rows themselves.
 */
import { describe, expect, it } from 'vitest';
import type { PoolSummary } from '../../src/core/ledger/index.js';
import { newMember, poolSummaryOf } from '../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../src/core/policy/index.js';
import { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import { eventFromRow, holdFromRow, lotFromRow, memberFromRow, purchaseFromRow } from '../../server/adapters/table-storage/entities.js';
import type { Row } from '../../server/adapters/table-storage/entities.js';
import type { EntityTable, RowQuery } from '../../server/adapters/table-storage/entity-table.js';
import { rowKeys } from '../../server/adapters/table-storage/row-keys.js';
import { TableLedgerStore } from '../../server/adapters/table-storage/table-ledger-store.js';
import type { AppDeps } from '../../server/app/deps.js';
import { postHold, voidHoldFor } from '../../server/app/holds.js';
import { getPool } from '../../server/app/pool.js';
import { purchaseEvent, startPurchase } from '../../server/app/purchases.js';
import { registrationEvent } from '../../server/app/registrations.js';
import { postUsage } from '../../server/app/usage.js';
import { azuriteConnectionString } from '../../server/config.js';
import { systemClock } from '../../server/ports/clock.js';
import { newestFirstIds } from '../../server/ports/ids.js';
import { freshTableName, sharedAzurite } from '../support/api.js';
import { body, callersOf, freshWrite } from '../support/use-case-calls.js';
import { NO_DIRECTORY } from '../support/directory.js';
import type { Fault } from '../support/faulty-table.js';
import { FaultyTable } from '../support/faulty-table.js';

const TENANT = 't-pool-summary';
const SERVICES = ['simulation', 'cloud_rendering', 'generative_design'] as const;
const { manager, person } = callersOf(TENANT);
const write = freshWrite;

/** A small seeded generator: the same mix of operations every run. */
function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function table(): Promise<AzureTableAdapter> {
  const azure = AzureTableAdapter.fromConnectionString(azuriteConnectionString(sharedAzurite().tablePort), freshTableName());
  await azure.createTableIfMissing();
  return azure;
}

async function rows(source: EntityTable, query: RowQuery): Promise<Row[]> {
  const all: Row[] = [];
  let continuation: string | undefined;
  do {
    const page = await source.query(TENANT, query, { continuation, limit: 1000 });
    all.push(...page.rows);
    continuation = page.continuation;
  } while (continuation);
  return all;
}

/** The summary made from every row: registered members, open holds, lots, applied purchases, every event. */
async function recomputed(source: EntityTable): Promise<PoolSummary> {
  const [members, openHolds, lots, purchases, events] = await Promise.all([
    rows(source, { prefix: 'member|', where: { state: 'registered' } }),
    rows(source, { prefix: 'hold|', where: { state: 'held' } }),
    rows(source, { prefix: 'lot|' }),
    rows(source, { prefix: 'purchase|', where: { state: 'applied' } }),
    rows(source, { prefix: 'event|' }),
  ]);
  return poolSummaryOf({
    members: members.map(memberFromRow),
    openHolds: openHolds.map(holdFromRow),
    lots: lots.map(lotFromRow).sort((a, b) => a.appliedAt.localeCompare(b.appliedAt) || a.id.localeCompare(b.id)),
    purchases: purchases.map(purchaseFromRow),
    draws: events.map(eventFromRow),
  });
}

const storeOn = (source: EntityTable) => new TableLedgerStore({ table: source, clock: systemClock, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY });
const depsOf = (store: TableLedgerStore): AppDeps => ({ store, directory: NO_DIRECTORY, clock: systemClock, defaultPolicy: DEFAULT_POLICY });

async function applyPurchase(deps: AppDeps, blocks: number): Promise<void> {
  const id = body(await startPurchase(deps, manager, write(), { blocks, reason: `top-up ${blocks}` })).purchase.id as string;
  for (const step of [{ type: 'quote_received', quoteNumber: 'Q', price: 1, currency: 'USD' }, { type: 'approved' }, { type: 'ordered', poNumber: 'P' }, { type: 'applied' }] as const) {
    body(await purchaseEvent(deps, manager, write(), id, step));
  }
}

async function addPeople(deps: AppDeps, store: TableLedgerStore, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const p = person(i);
    await store.ensureMember(TENANT, newMember({ id: p.id, email: p.email, displayName: p.displayName, now: new Date().toISOString() }));
    // One stays unregistered a while: registering them later moves the count of drawing members.
    if (i > 0) body(await registrationEvent(deps, manager, write(), p.id, { type: 'already_registered' }));
  }
}

describe('the pool summary on the pool row', () => {
  it('equals the summary made from the rows after a random mix of postings by two instances, some landing without an answer', async () => {
    const azure = await table();
    const random = seeded(20);
    let transactions = 0;
    const faults = new FaultyTable(azure, (): Fault => (++transactions % 5 === 2 ? 'fail-after' : transactions % 7 === 3 ? 'conflict-412' : 'none'));
    const instances = [depsOf(storeOn(azure)), depsOf(storeOn(faults))];
    const [first] = instances as [AppDeps, AppDeps];
    await addPeople(first, first.store as TableLedgerStore, 6);
    await applyPurchase(first, 1);
    await applyPurchase(first, 1);
    const today = new Date().toISOString().slice(0, 10);
    const holdsOf = async (deps: AppDeps) => (await deps.store.listHolds(TENANT, { state: 'held' }, { limit: 100 })).items;

    for (let round = 0; round < 12; round++) {
      const open = await holdsOf(first);
      await Promise.all(
        Array.from({ length: 4 }, async (_, k) => {
          const deps = instances[(round + k) % 2]!;
          const who = person(Math.floor(random() * 6));
          const roll = random();
          const service = SERVICES[Math.floor(random() * SERVICES.length)]!;
          // Refusals (not enough credits, a limit) are part of the mix: they must leave the summary as it was.
          const hold = open[Math.floor(random() * open.length)];
          if (roll < 0.45) await postUsage(deps, who, write(), { service, credits: 10 + Math.floor(random() * 70), date: today });
          else if (roll < 0.7) await postHold(deps, who, write(), { credits: 5 + Math.floor(random() * 40), service });
          else if (roll < 0.85 && hold) {
            // Beside the others of the round: a usage of the same person may change or settle the hold meanwhile.
            const voided = await voidHoldFor(deps, manager, write(), hold.id);
            if (!voided.ok) expect(voided.code).toBe('INVALID_TRANSITION');
          }
          else if (roll < 0.9) await startPurchase(deps, manager, write(), { blocks: 1 });
          else await registrationEvent(deps, manager, write(), person(0).id, { type: 'already_registered' });
        }),
      );
    }

    expect(faults.injected['fail-after']).toBeGreaterThan(0);
    expect(faults.injected['conflict-412']).toBeGreaterThan(0);
    const stored = (await first.store.getPoolSummary(TENANT)).summary;
    const expected = await recomputed(azure);
    expect(expected.draws.length).toBeGreaterThan(0);
    expect(expected.drawingMembers).toBeGreaterThan(0);
    expect(stored).toEqual(expected);
  });

  it('a pool row from before there were summaries: the page reads the rows, and the next posting stores the summary they make', async () => {
    const azure = await table();
    const store = storeOn(azure);
    const deps = depsOf(store);
    await addPeople(deps, store, 3);
    await applyPurchase(deps, 1);
    body(await postUsage(deps, person(1), write(), { service: 'simulation', credits: 130, date: new Date().toISOString().slice(0, 10) }));
    // The pool row as it was written before: its balance alone.
    const pool = (await azure.get(TENANT, rowKeys.account('pool')))!;
    await azure.transact(TENANT, [{ kind: 'update', row: { partitionKey: TENANT, rowKey: pool.rowKey, balance: pool.balance }, etag: String(pool.etag) }]);

    const fresh = depsOf(storeOn(azure));
    expect((await fresh.store.getPoolSummary(TENANT)).summary).toBeUndefined();
    const page = body(await getPool(fresh, manager));
    expect(page.eligibleMembers).toBe(1);
    expect(page.recentDraws).toHaveLength(1);

    body(await postUsage(fresh, person(2), write(), { service: 'cloud_rendering', credits: 120, date: new Date().toISOString().slice(0, 10) }));
    const stored = (await fresh.store.getPoolSummary(TENANT)).summary;
    expect(stored).toEqual(await recomputed(azure));
    expect(stored?.drawingMembers).toBe(2);
  });
});
