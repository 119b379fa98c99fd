import type { Member } from '../../src/core/ledger/index.js';
import { workingDaysBetween } from '../../src/core/policy/index.js';
import { isStuck } from '../../src/core/registration/index.js';
import { isFeatureOn } from '../../src/core/setup/index.js';
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
    case 'not_set_up':
      return { kind: 'not_set_up', permission: result.permission, message: result.fix };
    case 'unavailable':
      return { kind: 'unavailable', message: result.message };
  }
}

/**
 * People in `account_created` past `policy.stuckAfterWorkingDays`, longest waiting first, each with what
 * message trace says about Autodesk mail to them in the last 10 days. Message trace failing (or not set up
 * in the tenant yet) is said per person; the list is answered either way.
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
  // Switched off (the default): Graph is never asked, and each person's line says so.
  const traceOn = isFeatureOn(policy, 'messageTrace');
  // One question for everyone stuck (the trace caches per person): never one per person per page load.
  const traces = traceOn && deps.messageTrace && stuck.length > 0 ? await deps.messageTrace.heldMessages(caller.tenant, stuck.map((m) => m.email), since, policy.quarantine.autodeskSenders) : undefined;
  const traceOf = (m: Member): TraceView => {
    if (!traceOn) return { kind: 'off' };
    if (!deps.messageTrace) return { kind: 'unavailable', message: TRACE_NOT_CONFIGURED };
    return traceView(traces?.get(m.email.trim().toLowerCase()) ?? { kind: 'none' });
  };

  const items = stuck.map(
    (m): StuckRegistration => ({
      member: { id: m.id, email: m.email, displayName: m.displayName, office: m.office ?? null },
      since: m.registration.since,
      workingDaysWaited: workingDaysBetween(policy, m.registration.since, nowIso),
      trace: traceOf(m),
    }),
  );
  return success({ items, traceDays: TRACE_DAYS, note: GATEWAY_NOTE });
}
