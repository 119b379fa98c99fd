import type { FeedEvent, FeedEventKind } from './feed-event.js';
import type { Units } from './money.js';
import { unitsToCredits } from './money.js';

/**
 * What a person may see of a feed event when it is not theirs and they are not an account manager or IT:
 * no names, no ids, and none of the event's own message, which names people and carries free text
 * (reasons, file names).
 */
export interface AnonymousFeedEvent {
  message: string;
  amount: Units | null;
  service: string | null;
}

const credits = (e: FeedEvent) => unitsToCredits(e.amount ?? 0);
const figure = (e: FeedEvent): Units | null => e.amount ?? null;

/**
 * One anonymous form per kind, a whitelist: each is built from the event's figures alone, and a new kind
 * does not compile until it has one here.
 */
export const ANONYMOUS_FEED_FORMS: { readonly [K in FeedEventKind]: (e: FeedEvent) => AnonymousFeedEvent } = {
  purchase_step: (e) => ({
    message: e.purchaseState === 'applied' ? `A purchase added ${credits(e)} to the pool.` : `A purchase for the pool moved on${e.purchaseState ? `: ${e.purchaseState.replace(/_/g, ' ')}` : ''}.`,
    amount: figure(e),
    service: null,
  }),
  pool_draw: (e) => ({ message: `Someone drew ${credits(e)} from the pool${e.service ? ` for ${e.service}` : ''}.`, amount: figure(e), service: e.service ?? null }),
  pool_joined: () => ({ message: 'Someone used up their own allotment and now draws on the pool.', amount: null, service: null }),
  reversal: (e) => ({ message: `An entry of ${credits(e)} was corrected.`, amount: figure(e), service: null }),
  alert_pool_low: () => ({ message: 'The pool is running low: time to order more.', amount: null, service: null }),
  alert_pool_negative: () => ({ message: 'Imported usage took the pool below zero: a purchase or some usage is missing from Credit Desk.', amount: null, service: null }),
  alert_order_now: () => ({ message: 'The forecast says it is time to order more for the pool.', amount: null, service: null }),
  alert_purchase_slow: () => ({ message: 'A purchase for the pool is taking longer than expected.', amount: null, service: null }),
  alert_registration_stuck: () => ({ message: "Someone's Autodesk registration has been waiting longer than expected.", amount: null, service: null }),
  import_committed: (e) => ({ message: `A usage import from Autodesk was recorded: ${credits(e)} in all.`, amount: figure(e), service: null }),
  alert_reconciliation: (e) => ({ message: `The pool is overdrawn by ${credits(e)}: a usage import shows more pool use than the pool held.`, amount: figure(e), service: null }),
  // Whose usage, and how much of it, is the subject's and their managers' business alone.
  provisional_unconfirmed: () => ({ message: "A usage import did not confirm some of someone's self-logged usage.", amount: null, service: null }),
  pack_expired: (e) => ({ message: `A pack expired: ${credits(e)} left in it lapsed.`, amount: figure(e), service: null }),
  alert_pack_expiring: (e) => ({ message: `A pack expires soon: ${credits(e)} still in it will be lost unless used first.`, amount: figure(e), service: null }),
  hold_placed: (e) => ({ message: `Someone reserved ${credits(e)} of the pool for a planned job${e.service ? ` (${e.service})` : ''}.`, amount: figure(e), service: e.service ?? null }),
  hold_settled: (e) => ({ message: `A hold gave ${credits(e)} back to the pool: the usage it was for was recorded instead.`, amount: figure(e), service: e.service ?? null }),
  hold_voided: (e) => ({ message: `A hold was voided: ${credits(e)} went back to the pool.`, amount: figure(e), service: e.service ?? null }),
  hold_expired: (e) => ({ message: `A hold lapsed unused: ${credits(e)} went back to the pool.`, amount: figure(e), service: e.service ?? null }),
};

export function anonymousFeedEvent(e: FeedEvent): AnonymousFeedEvent {
  return ANONYMOUS_FEED_FORMS[e.kind](e);
}
