import type { Member } from '../../src/core/ledger/index.js';
import { workingDaysBetween } from '../../src/core/policy/index.js';
import { isStuck } from '../../src/core/registration/index.js';
import type { ResponseOf, StuckRegistration, TraceView } from '../../src/contract/index.js';
import type { MessageTrace, TraceResult } from '../ports/message-trace.js';
import type { AppResult } from './app-result.js';
import { failure, success } from './app-result.js';
import type { Caller } from './caller.js';
import { seesEveryone } from './caller.js';
import type { AppDeps } from './deps.js';
import { policyOf } from './deps.js';

/** How far back message trace looks (Exchange keeps 10 days). */
export const TRACE_DAYS = 10;
const DAY_MS = 86_400_000;
const PAGE = 200;
/** Message trace questions asked at once. */
const CONCURRENCY = 4;

export const GATEWAY_NOTE =
  'Message trace only sees mail that reached Exchange Online. An Autodesk email stopped at the IronPort gateway before Exchange never shows in message trace: for people with no finding, check the IronPort spam quarantine.';

export const TRACE_NOT_CONFIGURED = 'Message trace is not configured';

export interface StuckRegistrationDeps extends AppDeps {
  /** Exchange message trace; absent when Graph is not configured. */
  messageTrace?: MessageTrace | undefined;
}

/** The port's answer as the contract's view: only the fields its kind has. */
export function traceView(result: TraceResult): TraceView {
  switch (result.kind) {
    case 'found':
      return { kind: 'found', messages: result.messages };
    case 'none':
      return { kind: 'none' };
    case 'missing_permission':
      return { kind: 'missing_permission', permission: result.permission, message: result.message };
    case 'unavailable':
      return { kind: 'unavailable', message: result.message };
  }
}

/**
 * People in `account_created` past `policy.stuckAfterWorkingDays`, longest waiting first, each with what
 * message trace says about Autodesk mail to them in the last 10 days. Message trace failing (or missing
 * its permission) is said per person; the list is answered either way.
 */
export async function listStuckRegistrations(deps: StuckRegistrationDeps, caller: Caller): Promise<AppResult<ResponseOf<'stuckRegistrations'>>> {
  if (!seesEveryone(caller)) return failure('FORBIDDEN', 'Only account managers and IT can see stuck registrations.');
  const policy = await policyOf(deps, caller.tenant);
  const now = deps.clock.now();
  const nowIso = now.toISOString();

  const stuck: Member[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.listMembers(caller.tenant, { state: 'account_created' }, { cursor, limit: PAGE });
    stuck.push(...page.items.map((i) => i.member).filter((m) => isStuck(m, nowIso, policy)));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  stuck.sort((a, b) => a.registration.since.localeCompare(b.registration.since));

  const since = new Date(now.getTime() - TRACE_DAYS * DAY_MS);
  const traces: TraceView[] = [];
  let next = 0;
  const worker = async () => {
    while (next < stuck.length) {
      const i = next++;
      traces[i] = deps.messageTrace
        ? traceView(await deps.messageTrace.heldMessages(caller.tenant, stuck[i]!.email, since, policy.quarantine.autodeskSenders))
        : { kind: 'unavailable', message: TRACE_NOT_CONFIGURED };
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, stuck.length) }, worker));

  const items = stuck.map(
    (m, i): StuckRegistration => ({
      member: { id: m.id, email: m.email, displayName: m.displayName, office: m.office ?? null },
      since: m.registration.since,
      workingDaysWaited: workingDaysBetween(policy, m.registration.since, nowIso),
      trace: traces[i]!,
    }),
  );
  return success({ items, traceDays: TRACE_DAYS, note: GATEWAY_NOTE });
}
