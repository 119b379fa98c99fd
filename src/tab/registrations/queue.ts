import type { RegistrationState } from '../../core/ledger/member.js';
import type { RegistrationEvent } from '../../core/registration/registration-rules.js';
import { allowedRegistrationEvents } from '../../core/registration/registration-rules.js';
import type { MemberRecord } from '../../contract/schemas.js';
import type { ApiClient } from '../../platform/api-client.js';
import type { Page } from '../../ui/usePaged.js';

/** What the queue shows: the open requests (the default), one state, or everyone. */
export type QueueFilter = 'open' | RegistrationState | 'all';

export const FILTERS: { value: QueueFilter; label: string }[] = [
  { value: 'open', label: 'Waiting on us' },
  { value: 'requested', label: 'Requested' },
  { value: 'account_created', label: 'Account created' },
  { value: 'registered', label: 'Registered' },
  { value: 'declined', label: 'Declined' },
  { value: 'left', label: 'Left' },
  { value: 'all', label: 'Everyone' },
];

/** The states a manager acts on; they come first and are what "Waiting on us" shows. */
export const OPEN_STATES = ['requested', 'account_created'] as const satisfies readonly RegistrationState[];

/** The steps an account manager takes from the queue (the person completes registration themself). */
export type QueueAction = Extract<RegistrationEvent, 'account_created' | 'already_registered' | 'declined' | 'left'>;

export const ACTION_LABEL: Record<QueueAction, string> = {
  account_created: 'Mark account created',
  already_registered: 'Already registered',
  declined: 'Decline…',
  left: 'Left the firm…',
};

/** What each action did, for the row's status line. */
export const ACTION_DONE: Record<QueueAction, string> = {
  account_created: 'Account created. They will get an email from Autodesk.',
  already_registered: 'Registered; their credits are granted.',
  declined: 'Declined.',
  left: 'Marked as left.',
};

/** The steps that can be taken for many people at once (the others ask for a reason each). */
export type BulkAction = Extract<QueueAction, 'account_created' | 'already_registered'>;

export const BULK_ACTIONS: { action: BulkAction; label: string }[] = [
  { action: 'account_created', label: 'Mark account created' },
  { action: 'already_registered', label: 'Already registered' },
];

const QUEUE_ACTIONS: readonly QueueAction[] = ['account_created', 'already_registered', 'declined', 'left'];

export function actionsFor(state: RegistrationState): QueueAction[] {
  const allowed = allowedRegistrationEvents(state);
  return QUEUE_ACTIONS.filter((a) => allowed.includes(a));
}

/** Whether the queue shown with `filter` lists this person (a request raised from the page joins it only then). */
export function matchesFilter(filter: QueueFilter, record: MemberRecord): boolean {
  if (filter === 'all') return true;
  if (filter === 'open') return (OPEN_STATES as readonly string[]).includes(record.registration.state);
  return record.registration.state === filter;
}

/** Open requests first, stuck ones and those who asked for help at the very top, then the longest waiting. */
export function queueOrder(items: readonly MemberRecord[]): MemberRecord[] {
  const rank = (r: MemberRecord) => (r.registration.stuck || r.registration.helpAskedAt ? 0 : (OPEN_STATES as readonly string[]).includes(r.registration.state) ? 1 : 2);
  return [...items].sort((a, b) => rank(a) - rank(b) || a.registration.since.localeCompare(b.registration.since));
}

/**
 * Loads one page of the queue. "Waiting on us" reads two states, so its cursor carries one cursor per
 * state (a state whose pages are done is left out).
 */
export async function loadQueuePage(api: ApiClient, filter: QueueFilter, cursor: string | undefined, signal: AbortSignal, limit = 50): Promise<Page<MemberRecord>> {
  if (filter !== 'open') {
    const state = filter === 'all' ? undefined : filter;
    return api('listRegistrations', { query: { ...(state ? { state } : {}), ...(cursor ? { cursor } : {}), limit }, signal });
  }
  const cursors: Partial<Record<RegistrationState, string | null>> = cursor ? (JSON.parse(cursor) as Record<string, string>) : { requested: null, account_created: null };
  const states = OPEN_STATES.filter((s) => s in cursors);
  const pages = await Promise.all(
    states.map((state) => {
      const next = cursors[state];
      return api('listRegistrations', { query: { state, ...(next ? { cursor: next } : {}), limit }, signal });
    }),
  );
  const remaining: Partial<Record<RegistrationState, string>> = {};
  states.forEach((state, i) => {
    const next = pages[i]?.nextCursor;
    if (next) remaining[state] = next;
  });
  return { items: pages.flatMap((p) => p.items), nextCursor: Object.keys(remaining).length ? JSON.stringify(remaining) : null };
}
