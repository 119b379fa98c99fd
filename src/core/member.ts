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
  registration: {
    state: RegistrationState;
    since: string;
    /** Set when an account manager raised the request for the person. */
    requestedBy?: string;
    reason?: string;
    history: RegistrationStep[];
  };
  /** When the individual allotment was granted (at most once under the default policy). */
  allotmentGrantedAt?: string;
  /** Credits currently held for planned jobs (holds arrive with the import issue). */
  held: number;
  /** Units this person has drawn from the shared pool, net of reversals: what chargeback needs per person. */
  poolDrawn?: number;
  createdAt: string;
}

export function newMember(input: { id: string; email: string; displayName: string; office?: string; now: string }): Member {
  return {
    id: input.id,
    email: input.email.toLowerCase(),
    displayName: input.displayName,
    ...(input.office ? { office: input.office } : {}),
    registration: { state: 'not_requested', since: input.now, history: [] },
    held: 0,
    createdAt: input.now,
  };
}

export function isRegistered(member: Member): boolean {
  return member.registration.state === 'registered';
}
