import type { PoolOverdraft, Transfer, Units } from '../../src/core/ledger/index.js';
import { poolOverdraft, unitsToCredits } from '../../src/core/ledger/index.js';
import type { ImportRecords } from '../ports/import-records.js';
import type { AppDeps } from './deps.js';

const PAGE = 50;
/** An overdraft is usually one import old; past this many pages the walk settles for what it read. */
const MAX_PAGES = 20;

/** The pool's overdraft as the ledger tells it: walked back from the balance to when it went below zero. */
export async function readOverdraft(deps: AppDeps, tenant: string, poolBalance: Units): Promise<PoolOverdraft | null> {
  if (poolBalance >= 0) return null;
  const read: Transfer[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = await deps.store.listTransfers(tenant, {}, { cursor, limit: PAGE });
    read.push(...page.items);
    if (!page.nextCursor || poolOverdraft(poolBalance, read)?.found) break;
    cursor = page.nextCursor;
  }
  return poolOverdraft(poolBalance, read)?.overdraft ?? null;
}

/**
 * What the pool page says of an overdraft: the amount and since when for everyone; who, and which imports
 * (file and when uploaded), for account managers and IT only.
 */
export async function overdraftView(deps: AppDeps & { importRecords?: ImportRecords }, tenant: string, overdraft: PoolOverdraft | null, everyone: boolean) {
  if (!overdraft) return null;
  const facts = { credits: unitsToCredits(overdraft.amount), since: overdraft.since, usedFrom: overdraft.usedFrom, usedTo: overdraft.usedTo };
  if (!everyone) return facts;
  const importIds = overdraft.sources.filter((s) => s.startsWith('import:')).map((s) => s.slice('import:'.length));
  const records = deps.importRecords;
  const [people, stored] = await Promise.all([
    Promise.all(overdraft.people.map(async (p) => ({ memberId: p.memberId, name: (await deps.store.getMember(tenant, p.memberId))?.member.displayName ?? null, credits: unitsToCredits(p.amount) }))),
    records ? Promise.all(importIds.map((id) => records.get(tenant, id))) : [],
  ]);
  const imports = stored.flatMap((s) => (s ? [{ fileName: s.record.fileName, uploadedAt: s.record.uploadedAt }] : []));
  return { ...facts, people, imports };
}
