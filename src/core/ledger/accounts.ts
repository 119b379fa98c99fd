/**
 * Double-entry accounts. A transfer debits one and credits another; the balance of an account is
 * credits minus debits, so the sum over all accounts is always zero.
 */
export type AccountId = 'contract' | 'reseller' | 'pool' | 'usage' | 'expired' | `member:${string}` | `held:${string}`;

export const SYSTEM_ACCOUNTS = ['contract', 'reseller', 'pool', 'usage', 'expired'] as const;
export type SystemAccountId = (typeof SYSTEM_ACCOUNTS)[number];

export function memberAccount(memberId: string): AccountId {
  return `member:${memberId}`;
}

export function isMemberAccount(account: AccountId): account is `member:${string}` {
  return account.startsWith('member:');
}

export function memberIdOf(account: `member:${string}`): string {
  return account.slice('member:'.length);
}

/** What a member holds for planned jobs (DESIGN 3.5): own and pool credits reserved, never below zero. */
export function heldAccount(memberId: string): AccountId {
  return `held:${memberId}`;
}

export function isHeldAccount(account: AccountId): account is `held:${string}` {
  return account.startsWith('held:');
}

export function heldMemberIdOf(account: `held:${string}`): string {
  return account.slice('held:'.length);
}

/** Sources may go below zero; member, held accounts and the pool may not (except imported actuals). */
export function mayGoNegative(account: AccountId): boolean {
  return account === 'contract' || account === 'reseller' || account === 'usage' || account === 'expired';
}
