import type { RegistrationState } from '../../core/ledger/member.js';
import type { TransferCode } from '../../core/ledger/transfer.js';
import type { MemberRecord, TransferView } from '../../contract/schemas.js';

export interface MemberFilter {
  search: string;
  /** '' for every office. */
  office: string;
  state: RegistrationState | '';
}

/** The label for people without an office in the directory. */
export const NO_OFFICE = 'No office';

export function filterMembers(items: readonly MemberRecord[], filter: MemberFilter): MemberRecord[] {
  const words = filter.search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return items.filter((r) => {
    if (filter.office && (r.member.office ?? NO_OFFICE) !== filter.office) return false;
    if (filter.state && r.registration.state !== filter.state) return false;
    const haystack = `${r.member.displayName} ${r.member.email}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

export function officesOf(items: readonly MemberRecord[]): string[] {
  return [...new Set(items.map((r) => r.member.office ?? NO_OFFICE))].sort((a, b) => a.localeCompare(b));
}

export const TRANSFER_LABEL: Record<TransferCode, string> = {
  allotment_granted: 'Allotment granted',
  purchase_applied: 'Purchase applied',
  usage_individual: 'Usage (own credits)',
  usage_pool: 'Usage (from the pool)',
  hold_placed: 'Hold placed',
  hold_released: 'Hold released',
  pack_expired: 'Pack expired',
  opening_balance: 'Opening balance',
  reversal: 'Reversal',
};

/** How a transfer changed the member's own credits: positive in, negative out, 0 when only the pool moved. */
export function ownChange(t: Pick<TransferView, 'debit' | 'credit' | 'credits'>, memberId: string): number {
  const account = `member:${memberId}`;
  if (t.credit === account) return t.credits;
  if (t.debit === account) return -t.credits;
  return 0;
}

/** A transfer can be reversed once, and a reversal never. */
export function reversible(t: TransferView, loaded: readonly TransferView[]): boolean {
  return t.code !== 'reversal' && !loaded.some((x) => x.reverses === t.id);
}
