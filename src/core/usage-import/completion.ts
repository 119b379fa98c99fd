import type { FeedEvent } from '../feed-event.js';
import type { LedgerState, Posting, PostingContext } from '../ledger-state.js';
import { emptyPosting, eventId } from '../ledger-state.js';
import type { Units } from '../money.js';
import { unitsToCredits } from '../money.js';
import { poolBalance } from '../pool.js';
import type { ProvisionalUsage } from './types.js';
import { policyUnit } from './unit.js';

export interface ImportCompletionInput {
  importId: string;
  fileName: string;
  rowsPosted: number;
  amount: Units;
  fromPool: Units;
  /** Provisional entries the import settled. */
  settled: number;
  /** Open holds the import's rows settled: said in the summary, so an import never settles a hold silently. */
  holdsSettled?: number;
  /** Provisional entries in the file's dates that no row settled (see unconfirmedProvisional). */
  unconfirmed: ProvisionalUsage[];
}

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const plural = (n: number, one: string, many: string) => `${count.format(n)} ${n === 1 ? one : many}`;

/**
 * The end of an import, after its last batch: no transfers, only what the feed must say. A summary; a
 * reconciliation alert when the pool is below zero (Autodesk charged pool use our pool cannot explain);
 * and, per member, the self-logged entries the export did not confirm.
 */
export function planImportCompletion(state: LedgerState, input: ImportCompletionInput, ctx: PostingContext): Posting {
  const posting = emptyPosting(ctx.postingId);
  const pool = poolBalance(state);
  const unit = policyUnit(ctx.policy);
  const base = { postingId: ctx.postingId, at: ctx.now, actor: ctx.actor, poolAfter: pool };
  const events: Omit<FeedEvent, 'id'>[] = [];

  const settled = input.settled > 0 ? `; ${plural(input.settled, 'self-logged entry', 'self-logged entries')} confirmed` : '';
  const holds = input.holdsSettled ? `; ${plural(input.holdsSettled, 'hold', 'holds')} settled by this usage` : '';
  events.push({
    ...base,
    kind: 'import_committed',
    amount: input.amount,
    message:
      `Usage import ${input.fileName}: ${plural(input.rowsPosted, 'row', 'rows')}, ${plural(unitsToCredits(input.amount), unit.slice(0, -1), unit)} ` +
      `(${count.format(unitsToCredits(input.fromPool))} from the pool)${settled}${holds}.`,
  });

  if (pool < 0) {
    events.push({
      ...base,
      kind: 'alert_reconciliation',
      amount: -pool,
      message:
        `Autodesk's usage export (${input.fileName}) shows ${plural(unitsToCredits(-pool), unit.slice(0, -1), unit)} more pool use than Credit Desk's pool can explain: ` +
        'a purchase was not recorded, or credits were used outside Credit Desk. Record the missing purchase, or find the usage.',
    });
  }

  const byMember = new Map<string, ProvisionalUsage[]>();
  for (const p of input.unconfirmed) byMember.set(p.memberId, [...(byMember.get(p.memberId) ?? []), p]);
  for (const [memberId, entries] of [...byMember].sort(([a], [b]) => a.localeCompare(b))) {
    const member = state.members[memberId];
    const name = member?.displayName ?? memberId;
    const dates = [...new Set(entries.map((e) => e.date))].sort();
    const amount = entries.reduce((sum, e) => sum + e.transfers.reduce((s, t) => s + t.amount, 0), 0);
    events.push({
      ...base,
      kind: 'provisional_unconfirmed',
      memberId,
      memberName: name,
      ...(member?.office ? { office: member.office } : {}),
      amount,
      message:
        `${name}: ${plural(entries.length, 'self-logged entry', 'self-logged entries')} (${dates.join(', ')}) not found in Autodesk's usage export ${input.fileName}. ` +
        'Check the usage was real and the service right, or correct the entry.',
    });
  }

  posting.events = events.map((e, i) => ({ ...e, id: eventId(ctx.postingId, i) }));
  return posting;
}
