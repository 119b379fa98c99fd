import type { Role } from '../../src/contract/index.js';

/** The authenticated person behind a request. */
export interface Caller {
  tenant: string;
  /** Entra object id: the member id. */
  id: string;
  email: string;
  displayName: string;
  roles: readonly Role[];
}

export const isAccountManager = (caller: Caller) => caller.roles.includes('AccountManager');
export const isItAdmin = (caller: Caller) => caller.roles.includes('ITAdmin');
/** Account managers and IT see everyone's records; employees only their own. */
export const seesEveryone = (caller: Caller) => isAccountManager(caller) || isItAdmin(caller);
