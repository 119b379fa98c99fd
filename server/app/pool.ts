import type { ResponseOf } from '../../src/contract/index.js';
import type { FeedEvent } from '../../src/core/feed/index.js';
import type { Hold } from '../../src/core/holds/index.js';
import type { Purchase } from '../../src/core/purchases/index.js';
import { heldFromPool } from '../../src/core/holds/index.js';
import { unitsToCredits } from '../../src/core/ledger/index.js';
import type { AppResult } from './app-result.js';
import { success } from './app-result.js';
import type { Caller } from './caller.js';
import { seesEveryone } from './caller.js';
import type { AppDeps } from './deps.js';
import { openHolds } from './holds.js';
import type { ImportRecords } from '../ports/import-records.js';
import { overdraftView, readOverdraft } from './overdraft.js';
import { allPages } from './paging.js';
import { SharedReads } from './shared-reads.js';
import { lotView } from './views.js';

const RECENT_EVENTS = 200;
const RECENT_DRAWS = 20;
/** Table Storage's largest page: a firm's members and purchases in one request each, not one after another. */
const FULL_PAGE = 1000;

/** Employees see draws summed per day and service, never who drew. */
function aggregateDraws(draws: FeedEvent[]) {
  const byDay = new Map<string, { at: string; credits: number; count: number; service: string | null }>();
  for (const d of draws) {
    const key = `${d.at.slice(0, 10)}|${d.service ?? ''}`;
    const entry = byDay.get(key) ?? { at: d.at.slice(0, 10), credits: 0, count: 0, service: d.service ?? null };
    entry.credits += d.amount ?? 0;
    entry.count++;
    byDay.set(key, entry);
  }
  return [...byDay.values()].map((e) => ({ ...e, credits: unitsToCredits(e.credits), office: null, memberId: null, memberName: null }));
}

/** Registered members whose own credits are used up (own credits reserved by a hold still count as theirs). */
async function countDrawingMembers(deps: AppDeps, tenant: string, holds: Promise<Hold[]>): Promise<number> {
  const ownHeld = new Map<string, number>();
  for (const h of await holds) ownHeld.set(h.memberId, (ownHeld.get(h.memberId) ?? 0) + h.fromOwn);
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.store.listMembers(tenant, { state: 'registered' }, { cursor, limit: FULL_PAGE });
    count += page.items.filter((m) => m.own + (ownHeld.get(m.member.id) ?? 0) <= 0).length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return count;
}

/** What the pool page shows, read from storage; the same for every caller of the tenant (views differ by role). */
async function readPoolFacts(deps: AppDeps, tenant: string) {
  const open = openHolds(deps, tenant);
  const [balance, lots, applied, events, eligibleMembers, holds] = await Promise.all([
    deps.store.getBalance(tenant, 'pool'),
    deps.store.listLots(tenant),
    allPages<Purchase>((cursor) => deps.store.listPurchases(tenant, { state: 'applied' }, { cursor, limit: FULL_PAGE })),
    deps.store.listEvents(tenant, { limit: RECENT_EVENTS }),
    countDrawingMembers(deps, tenant, open),
    open,
  ]);
  const draws = events.items.filter((e) => e.kind === 'pool_draw');
  return { balance, lots, purchaseOf: new Map(applied.map((p) => [p.id, p])), draws, eligibleMembers, holds, overdraft: await readOverdraft(deps, tenant, balance) };
}

type PoolFacts = Awaited<ReturnType<typeof readPoolFacts>>;

/**
 * The pool page is what every tab opens with: a tenant's concurrent requests share one set of storage reads
 * (each store its own), never one that began before the request came in (SharedReads).
 */
const poolReads = new WeakMap<AppDeps['store'], SharedReads<PoolFacts>>();

function sharedPoolFacts(deps: AppDeps, tenant: string): Promise<PoolFacts> {
  let reads = poolReads.get(deps.store);
  if (!reads) poolReads.set(deps.store, (reads = new SharedReads()));
  return reads.read(tenant, () => readPoolFacts(deps, tenant));
}

export async function getPool(deps: AppDeps & { importRecords?: ImportRecords }, caller: Caller): Promise<AppResult<ResponseOf<'pool'>>> {
  const { balance, lots, purchaseOf, draws, eligibleMembers, holds, overdraft } = await sharedPoolFacts(deps, caller.tenant);
  const everyone = seesEveryone(caller);
  const recentDraws = everyone
    ? draws.slice(0, RECENT_DRAWS).map((d) => ({
        at: d.at,
        credits: unitsToCredits(d.amount ?? 0),
        count: 1,
        service: d.service ?? null,
        office: d.office ?? null,
        memberId: d.memberId ?? null,
        memberName: d.memberName ?? null,
      }))
    : aggregateDraws(draws).slice(0, RECENT_DRAWS);
  return success({
    balance: unitsToCredits(balance),
    held: unitsToCredits(heldFromPool(holds)),
    lots: lots.map((lot) => lotView(lot, everyone, purchaseOf.get(lot.purchaseId))),
    eligibleMembers,
    recentDraws,
    overdraft: await overdraftView(deps, caller.tenant, overdraft, everyone),
  });
}
