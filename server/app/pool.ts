import type { ResponseOf } from '../../src/contract/index.js';
import type { PoolOverdraft, PoolSummary } from '../../src/core/ledger/index.js';
import type { Purchase } from '../../src/core/purchases/index.js';
import { poolSummaryOf, unitsToCredits } from '../../src/core/ledger/index.js';
import type { AppResult } from './app-result.js';
import { success } from './app-result.js';
import type { Caller } from './caller.js';
import { seesEveryone } from './caller.js';
import type { AppDeps } from './deps.js';
import { openHolds } from './holds.js';
import type { ImportRecords } from '../ports/import-records.js';
import { overdraftView, readOverdraft } from './overdraft.js';
import { allPages } from './paging.js';
import { SharedReads, TurnReads } from './shared-reads.js';
import { lotView } from './views.js';

const RECENT_EVENTS = 200;
/** Table Storage's largest page: a firm's members and purchases in one request each, not one after another. */
const FULL_PAGE = 1000;

/**
 * The summary from the rows themselves, for a tenant whose ledger writer has not kept one yet: registered
 * members, open holds, lots, applied purchases and the pool draws among the 200 most recent events.
 */
async function scanPoolSummary(deps: AppDeps, tenant: string): Promise<PoolSummary> {
  const [members, openHoldList, lots, purchases, events] = await Promise.all([
    allPages((cursor) => deps.store.listMembers(tenant, { state: 'registered' }, { cursor, limit: FULL_PAGE })),
    openHolds(deps, tenant),
    deps.store.listLots(tenant),
    allPages<Purchase>((cursor) => deps.store.listPurchases(tenant, { state: 'applied' }, { cursor, limit: FULL_PAGE })),
    deps.store.listEvents(tenant, { limit: RECENT_EVENTS }),
  ]);
  return poolSummaryOf({ members, openHolds: openHoldList, lots, purchases, draws: events.items });
}

/**
 * The pool page is what every tab opens with, each store its own reads. The pool row: requests of one turn
 * of the event loop share a point read that starts after they came in (TurnReads), and wait for no other.
 * The reads that cost more (the scan before a tenant has a summary, the overdraft's walk back from a
 * balance): concurrent requests share one, never one that began before they came in (SharedReads).
 */
const poolReads = new WeakMap<AppDeps['store'], { rows: TurnReads<{ balance: number; summary: PoolSummary | undefined }>; scans: SharedReads<PoolSummary>; overdrafts: SharedReads<PoolOverdraft | null> }>();

function readsOf(deps: AppDeps) {
  let reads = poolReads.get(deps.store);
  if (!reads) poolReads.set(deps.store, (reads = { rows: new TurnReads(), scans: new SharedReads(), overdrafts: new SharedReads() }));
  return reads;
}

/**
 * What the pool page shows, the same for every caller of the tenant (views differ by role): the ledger's
 * writer keeps it on the pool's row, so it is one point read (plus the overdraft's walk while the pool is
 * below zero).
 */
async function readPoolFacts(deps: AppDeps, tenant: string) {
  const reads = readsOf(deps);
  const { balance, summary } = await reads.rows.read(tenant, () => deps.store.getPoolSummary(tenant));
  const [facts, overdraft] = await Promise.all([
    summary ?? reads.scans.read(tenant, () => scanPoolSummary(deps, tenant)),
    // Walked back from this balance: shared by the requests that read the same one.
    balance < 0 ? reads.overdrafts.read(`${tenant}|${balance}`, () => readOverdraft(deps, tenant, balance)) : null,
  ]);
  return { balance, summary: facts, overdraft };
}

export async function getPool(deps: AppDeps & { importRecords?: ImportRecords }, caller: Caller): Promise<AppResult<ResponseOf<'pool'>>> {
  const { balance, summary, overdraft } = await readPoolFacts(deps, caller.tenant);
  const everyone = seesEveryone(caller);
  // Employees see draws summed per day and service, never who drew.
  const recentDraws = everyone
    ? summary.draws.map((d) => ({ at: d.at, credits: unitsToCredits(d.amount), count: 1, service: d.service, office: d.office, memberId: d.memberId, memberName: d.memberName }))
    : summary.drawDays.map((d) => ({ at: d.day, credits: unitsToCredits(d.amount), count: d.count, service: d.service, office: null, memberId: null, memberName: null }));
  return success({
    balance: unitsToCredits(balance),
    held: unitsToCredits(summary.heldFromPool),
    lots: summary.lots.map((lot) => lotView(lot, everyone, summary.purchases[lot.purchaseId])),
    eligibleMembers: summary.drawingMembers,
    recentDraws,
    overdraft: await overdraftView(deps, caller.tenant, overdraft, everyone),
  });
}
