export const REGISTRATION_STATES = [
  'not_requested',
  'requested',
  'account_created',
  'registered',
  'declined',
  'left',
] as const;
export type RegistrationState = (typeof REGISTRATION_STATES)[number];

export interface RegistrationStep {
  /** What happened: `requested`, `account_created`, `already_registered`, `declined`, `completed`, `left`. */
  event: string;
  state: RegistrationState;
  at: string;
  by: string;
  reason?: string;
}

export interface Member {
  id: string;
  email: string;
  displayName: string;
  office?: string;
  /** From the directory (filled when the person is first seen or requests an account, refreshed daily). */
  department?: string;
  jobTitle?: string;
  registration: {
    state: RegistrationState;
    since: string;
    /** Set when an account manager raised the request for the person. */
    requestedBy?: string;
    reason?: string;
    history: RegistrationStep[];
    /** When the person told the account managers they cannot find the Autodesk email (this step only: the next step drops it). */
    helpAskedAt?: string;
  };
  /** When the individual allotment was granted (at most once under the default policy). */
  allotmentGrantedAt?: string;
  /** Credits currently held for planned jobs (holds arrive with the import issue). */
  held: number;
  /** Units this person has drawn from the shared pool, net of reversals: what chargeback needs per person. */
  poolDrawn?: number;
  /** Set when IT loaded this person's opening balance at go-live (DESIGN 3.4): at most once per member. */
  openingBalance?: { importId: string; at: string; used: number };
  createdAt: string;
}

export function newMember(input: { id: string; email: string; displayName: string; now: string } & MemberProfile): Member {
  return {
    id: input.id,
    email: input.email.toLowerCase(),
    displayName: input.displayName,
    ...(input.office ? { office: input.office } : {}),
    ...(input.department ? { department: input.department } : {}),
    ...(input.jobTitle ? { jobTitle: input.jobTitle } : {}),
    registration: { state: 'not_requested', since: input.now, history: [] },
    held: 0,
    createdAt: input.now,
  };
}

export function isRegistered(member: Member): boolean {
  return member.registration.state === 'registered';
}

/** The directory's fields of a member: what reports group by. */
export interface MemberProfile {
  office?: string | undefined;
  department?: string | undefined;
  jobTitle?: string | undefined;
}

export const PROFILE_FIELDS = ['office', 'department', 'jobTitle'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/**
 * The member with the directory's office, department and job title, and which of them changed. The
 * directory is the source: a field it no longer has is removed (blank counts as none).
 */
export function withProfile(member: Member, profile: MemberProfile): { member: Member; changed: ProfileField[] } {
  const next: Member = { ...member };
  const changed: ProfileField[] = [];
  for (const field of PROFILE_FIELDS) {
    const value = profile[field]?.trim() || undefined;
    if (value === member[field]) continue;
    changed.push(field);
    if (value === undefined) delete next[field];
    else next[field] = value;
  }
  return { member: changed.length > 0 ? next : member, changed };
}
