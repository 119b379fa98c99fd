import type { FeedEvent } from '../feed/feed-event.js';
import type { LedgerState, Posting, PostingContext } from '../ledger/ledger-state.js';
import { emptyPosting, eventId } from '../ledger/ledger-state.js';
import type { Units } from '../ledger/money.js';
import type { PoolOverdraft } from '../ledger/overdraft.js';
import { poolBalance } from '../ledger/pool.js';
import type { ProvisionalUsage } from './types.js';
import type { Words } from '../feed/wording.js';
import { wordsFor } from '../feed/wording.js';

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
  /** Who used what the pool did not have, and when (read from the ledger); the alert names them. */
  overdraft?: PoolOverdraft | null;
}

const NAMED = 5;

/**
 * The end of an import, after its last batch: no transfers, only what the feed must say. A summary; a
 * reconciliation alert when the pool is below zero (Autodesk charged pool use our pool cannot explain);
 * and, per member, the self-logged entries the export did not confirm.
 */
export function planImportCompletion(state: LedgerState, input: ImportCompletionInput, ctx: PostingContext): Posting {
  const posting = emptyPosting(ctx.postingId);
  const pool = poolBalance(state);
  const words = wordsFor(ctx.policy);
  const plural = (n: number, one: string, many: string) => `${words.number(n)} ${n === 1 ? one : many}`;
  const base = { postingId: ctx.postingId, at: ctx.now, actor: ctx.actor, poolAfter: pool };
  const events: Omit<FeedEvent, 'id'>[] = [];

  const settled = input.settled > 0 ? `; ${plural(input.settled, 'self-logged entry', 'self-logged entries')} confirmed` : '';
  const holds = input.holdsSettled ? `; ${plural(input.holdsSettled, 'hold', 'holds')} settled by this usage` : '';
  events.push({
    ...base,
    kind: 'import_committed',
    amount: input.amount,
    poolDelta: -input.fromPool,
    message:
      `Usage import ${input.fileName}: ${plural(input.rowsPosted, 'row', 'rows')}, ${words.amount(input.amount)} ` +
      `(${words.amount(input.fromPool)} from the pool)${settled}${holds}.`,
  });

  if (pool < 0) {
    events.push({
      ...base,
      kind: 'alert_reconciliation',
      amount: -pool,
      message: `The pool is overdrawn by ${words.amount(-pool)} after Autodesk's usage export ${input.fileName}: ${overdrawnBy(state, input.overdraft, words)}. ` + 'Record the missing purchase, or check usage outside Credit Desk.',
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
        `${name}: ${plural(entries.length, 'self-logged entry', 'self-logged entries')} (${dates.map((d) => words.day(d)).join('; ')}) not found in Autodesk's usage export ${input.fileName}. ` +
        'Check the usage was real and the service right, or correct the entry.',
    });
  }

  posting.events = events.map((e, i) => ({ ...e, id: eventId(ctx.postingId, i) }));
  return posting;
}

/** Who was charged what the pool did not have, for which days; names beyond a few are counted. */
function overdrawnBy(state: LedgerState, overdraft: PoolOverdraft | null | undefined, words: Words): string {
  if (!overdraft || overdraft.people.length === 0) return 'it charged more pool use than the pool held';
  const named = overdraft.people.slice(0, NAMED).map((p) => `${state.members[p.memberId]?.displayName ?? 'a former member'} ${words.amount(p.amount)}`);
  const others = overdraft.people.length - named.length;
  const who = others > 0 ? `${named.join(', ')} and ${words.number(others)} ${others === 1 ? 'other' : 'others'}` : named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named.at(-1)}` : named[0];
  const { usedFrom, usedTo } = overdraft;
  const when = usedFrom && usedTo ? (usedFrom === usedTo ? `, used on ${words.day(usedFrom)}` : `, used from ${words.day(usedFrom)} to ${words.day(usedTo)}`) : '';
  return `it charged ${who} more than the pool held${when}`;
}
