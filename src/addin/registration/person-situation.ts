import type { MemberLookupResponse, MemberRecord } from '../../contract/schemas.js';
import type { RegistrationEvent } from '../../core/registration/registration-rules.js';
import { allowedRegistrationEvents } from '../../core/registration/registration-rules.js';

/** The steps an account manager records from the pane; `completed` is the person's own, `left` belongs in the tab. */
export const PANE_EVENTS = ['account_created', 'already_registered', 'declined'] as const satisfies readonly RegistrationEvent[];
export type PaneEvent = (typeof PANE_EVENTS)[number];

/** How the pane names a person. */
export interface PersonDetails {
  name: string;
  email: string;
  /** Job title and office, as the directory has them. */
  detail: string | undefined;
}

export type PersonSituation =
  /** Known to Credit Desk: the steps that fit their state, and whether a request can be raised for them. */
  | { kind: 'member'; record: MemberRecord; events: PaneEvent[]; mayRequest: boolean; inDirectory: boolean | null }
  /** Only the directory knows them: a request can be raised, which makes them a member. */
  | { kind: 'directory_only'; person: NonNullable<MemberLookupResponse['directory']['person']> }
  /** Neither Credit Desk nor the directory: a wrong or outside address. */
  | { kind: 'unknown' }
  /** Not a member, and the directory cannot answer now: nothing can be decided yet. */
  | { kind: 'directory_down' };

/** What the pane can do for the person an email names, from what the look-up found. */
export function situationOf(lookup: MemberLookupResponse): PersonSituation {
  const { member, directory } = lookup;
  if (member) {
    const allowed = allowedRegistrationEvents(member.registration.state);
    return {
      kind: 'member',
      record: member,
      events: PANE_EVENTS.filter((e) => allowed.includes(e)),
      mayRequest: allowed.includes('requested'),
      inDirectory: directory.status === 'unavailable' ? null : directory.status === 'found',
    };
  }
  if (directory.status === 'found' && directory.person) return { kind: 'directory_only', person: directory.person };
  return directory.status === 'unavailable' ? { kind: 'directory_down' } : { kind: 'unknown' };
}
