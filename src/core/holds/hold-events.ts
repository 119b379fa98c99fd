/**
 * Feed events for holds that move the pool (DESIGN 3.5, 4.5): a hold's pool part leaves the pool when it is
 * placed and comes back when it is settled, voided or lapses, and IT's feed says so. A hold of own credits
 * only does not change the pool: its owner sees it in their holds, the feed does not.
 */
import type { FeedEvent } from '../feed/feed-event.js';
import type { Hold } from './hold-types.js';
import type { Member } from '../ledger/member.js';
import type { Units } from '../ledger/money.js';
import type { Policy } from '../policy/policy.js';
import { unitWord } from '../policy/policy.js';
import { wordsFor } from '../feed/wording.js';

export type HoldClosing = 'settled' | 'voided' | 'expired';

const KIND = { settled: 'hold_settled', voided: 'hold_voided', expired: 'hold_expired' } as const;

/** What the feed event needs besides the hold: the member, the posting, and the pool balance after the move. */
export interface HoldEventContext {
  member: Member;
  postingId: string;
  at: string;
  actor: string;
  poolAfter: Units;
  policy: Policy;
}

function base(hold: Hold, c: HoldEventContext) {
  return {
    postingId: c.postingId,
    at: c.at,
    actor: c.actor,
    memberId: c.member.id,
    memberName: c.member.displayName,
    ...(c.member.office ? { office: c.member.office } : {}),
    service: hold.service,
    amount: hold.fromPool,
    poolAfter: c.poolAfter,
  };
}

/** The hold took its pool part out of the pool; none when it holds own credits only. */
export function holdPlacedEvent(hold: Hold, c: HoldEventContext): Omit<FeedEvent, 'id'>[] {
  if (hold.fromPool <= 0) return [];
  const name = c.member.displayName;
  const w = wordsFor(c.policy);
  return [
    {
      ...base(hold, c),
      kind: 'hold_placed',
      message: `${name} reserved ${w.amount(hold.amount)} for ${w.service(hold.service)}, ${w.amount(hold.fromPool)} of it from the pool, until the usage is recorded.`,
    },
  ];
}

/**
 * Own credits the hold locked went to a usage (own credits first) and the pool took their place in it: the
 * pool drops by `rebacked` with no pool draw to explain it, so this says so.
 */
export function holdRebackedEvent(hold: Hold, rebacked: Units, usageService: string, c: HoldEventContext): Omit<FeedEvent, 'id'> {
  const w = wordsFor(c.policy);
  return {
    ...base(hold, c),
    amount: rebacked,
    kind: 'hold_placed',
    message: `${c.member.displayName}'s hold of ${w.amount(hold.amount)} for ${w.service(hold.service)} now takes ${w.amount(rebacked)} more from the pool: the own ${unitWord(c.policy)} it held went to their usage of ${w.service(usageService)} first.`,
  };
}

/** The hold gave its pool part back; none when it held own credits only. */
export function holdClosedEvent(hold: Hold, closing: HoldClosing, c: HoldEventContext): Omit<FeedEvent, 'id'>[] {
  if (hold.fromPool <= 0) return [];
  const w = wordsFor(c.policy);
  const back = `${w.amount(hold.fromPool)} went back to the pool`;
  const what = `${c.member.displayName}'s hold of ${w.amount(hold.amount)} for ${w.service(hold.service)}`;
  const by = hold.settledBy;
  const message =
    closing === 'settled'
      ? `${what} was settled by ${w.amount(by?.amount ?? 0)} of ${w.service(by?.service ?? hold.service)}${by?.date ? ` used on ${w.day(by.date)}` : ''}${by?.source.startsWith('import:') ? ", from Autodesk's usage export" : ''}: ${back} and the usage was drawn instead.`
      : closing === 'voided'
        ? `${what} was voided: ${back}.`
        : `${what} lapsed unused: ${back}.`;
  return [{ ...base(hold, c), kind: KIND[closing], message }];
}
