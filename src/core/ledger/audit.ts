/**
 * The audit trail (who changed what): one entry per committed posting, written in the same transaction as
 * the change, so the trail can neither miss a change nor show one that did not happen.
 */
import type { Posting, PostingContext } from './ledger-state.js';
import type { RegistrationState } from './member.js';
import type { PurchaseState } from '../purchases/purchase-types.js';
import type { TransferCode } from './transfer.js';
import { unitsToCredits } from './money.js';

export type AuditChange =
  | { kind: 'transfer'; transferId: string; code: TransferCode; credits: number; memberId: string | null; reverses: string | null }
  /**
   * `registration`: the posting moved their registration (to `registrationState`); `help`: they asked the
   * account managers for help with the Autodesk email; `details`: their record otherwise (office, name).
   */
  | { kind: 'member'; memberId: string; name: string; registrationState: RegistrationState; what: 'registration' | 'help' | 'details' }
  | { kind: 'purchase'; purchaseId: string; blocks: number; state: PurchaseState }
  | { kind: 'settings' };

export interface AuditEntry {
  /** The posting's id: newest-first, so a range read lists recent changes first. */
  id: string;
  at: string;
  /** Who: a member id, or `system:…` for timers. */
  actor: string;
  changes: AuditChange[];
}

/** What a posting changed, in the words of the audit trail; undefined when it changed nothing worth a line. */
export function auditEntryOf(posting: Posting, ctx: Pick<PostingContext, 'now' | 'actor'>): AuditEntry | undefined {
  const movedBalanceOf = new Set(posting.transfers.flatMap((t) => (t.memberId ? [t.memberId] : [])));
  const changes: AuditChange[] = [
    ...posting.transfers.map(
      (t): AuditChange => ({ kind: 'transfer', transferId: t.id, code: t.code, credits: unitsToCredits(t.amount), memberId: t.memberId ?? null, reverses: t.reverses ?? null }),
    ),
    ...posting.members.flatMap((m): AuditChange[] => {
      // A registration step stamps `since` with the posting's time; a member row that only carries a
      // transfer's balance is not a change of its own.
      const what =
        m.registration.since === ctx.now ? 'registration' : m.registration.helpAskedAt === ctx.now ? 'help' : movedBalanceOf.has(m.id) ? undefined : 'details';
      return what ? [{ kind: 'member', memberId: m.id, name: m.displayName, registrationState: m.registration.state, what }] : [];
    }),
    ...posting.purchases.map((p): AuditChange => ({ kind: 'purchase', purchaseId: p.id, blocks: p.blocks, state: p.state })),
    ...(posting.policy ? [{ kind: 'settings' } as const] : []),
  ];
  return changes.length > 0 ? { id: posting.id, at: ctx.now, actor: ctx.actor, changes } : undefined;
}
