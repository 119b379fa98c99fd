import type { AuditChange, AuditEntry } from '../../src/core/ledger/index.js';
import type { AuditChangeView, AuditEntryView, ResponseOf } from '../../src/contract/index.js';
import { ALERTS_ACTOR } from './alerts.js';
import type { AppResult } from './app-result.js';
import { failure, success } from './app-result.js';
import type { Caller } from './caller.js';
import { seesEveryone } from './caller.js';
import type { AppDeps } from './deps.js';
import { DIRECTORY_ACTOR } from './directory.js';
import { PULL_ACTOR } from '../../src/core/usage-pull/index.js';

/** What the system actors are, in the trail's words. */
const SYSTEM_NAMES: Record<string, string> = { [ALERTS_ACTOR]: 'Credit Desk (hourly alerts)', [DIRECTORY_ACTOR]: 'Credit Desk (directory refresh)', [PULL_ACTOR]: 'Credit Desk (usage pulled from Autodesk)' };

/** The audit trail, newest first, with people's names: account managers and IT only. */
export async function getAuditTrail(deps: AppDeps, caller: Caller, query: { cursor?: string | undefined; limit?: number | undefined }): Promise<AppResult<ResponseOf<'auditTrail'>>> {
  if (!seesEveryone(caller)) return failure('FORBIDDEN', 'Only account managers and IT can read the audit trail.');
  const page = await deps.store.listAudit(caller.tenant, { cursor: query.cursor, limit: query.limit });
  const names = await namesOf(deps, caller.tenant, page.items);
  return success({ items: page.items.map((entry) => entryView(entry, names)), nextCursor: page.nextCursor });
}

/** Each person named on the page, looked up once. */
async function namesOf(deps: AppDeps, tenant: string, entries: AuditEntry[]): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const entry of entries) {
    if (!entry.actor.startsWith('system:')) ids.add(entry.actor);
    for (const change of entry.changes) if (change.kind === 'transfer' && change.memberId) ids.add(change.memberId);
  }
  const found = await Promise.all([...ids].map(async (id) => [id, (await deps.store.getMember(tenant, id))?.member.displayName] as const));
  return new Map(found.filter((pair): pair is readonly [string, string] => pair[1] !== undefined));
}

function entryView(entry: AuditEntry, names: Map<string, string>): AuditEntryView {
  const actorName = SYSTEM_NAMES[entry.actor] ?? names.get(entry.actor) ?? (entry.actor.startsWith('system:') ? `Credit Desk (${entry.actor.slice(7)})` : entry.actor);
  return { id: entry.id, at: entry.at, actor: { id: entry.actor, name: actorName }, changes: entry.changes.map((c) => changeView(c, names)) };
}

function changeView(change: AuditChange, names: Map<string, string>): AuditChangeView {
  return change.kind === 'transfer' ? { ...change, memberName: change.memberId ? (names.get(change.memberId) ?? null) : null } : change;
}
