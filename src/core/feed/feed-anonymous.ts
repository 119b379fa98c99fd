import type { FeedEvent, FeedEventKind } from './feed-event.js';
import type { Units } from '../ledger/money.js';
import type { Words } from './wording.js';

/**
 * What a person may see of a feed event when it is not theirs and they are not an account manager or IT:
 * no names, no ids, and none of the event's own message, which names people and carries free text
 * (reasons, file names). In the firm's words like every other feed text: amounts with their unit, services by
 * their display name.
 */
export interface AnonymousFeedEvent {
  message: string;
  amount: Units | null;
  service: string | null;
}

type Form = (e: FeedEvent, w: Words) => AnonymousFeedEvent;

const credits = (e: FeedEvent, w: Words) => w.amount(e.amount ?? 0);
const figure = (e: FeedEvent): Units | null => e.amount ?? null;

/**
 * One anonymous form per kind, a whitelist: each is built from the event's figures alone, and a new kind
 * does not compile until it has one here.
 */
export const ANONYMOUS_FEED_FORMS: { readonly [K in FeedEventKind]: Form } = {
  purchase_step: (e, w) => ({
    message: e.purchaseState === 'applied' ? `A purchase added ${credits(e, w)} to the pool.` : `A purchase for the pool moved on${e.purchaseState ? `: ${w.purchaseState(e.purchaseState).toLowerCase()}` : ''}.`,
    amount: figure(e),
    service: null,
  }),
  pool_draw: (e, w) => ({ message: `Someone drew ${credits(e, w)} from the pool${e.service ? ` for ${w.service(e.service)}` : ''}.`, amount: figure(e), service: e.service ?? null }),
  pool_joined: () => ({ message: 'Someone used up their own allotment and now draws on the pool.', amount: null, service: null }),
  reversal: (e, w) => ({ message: `An entry of ${credits(e, w)} was corrected.`, amount: figure(e), service: null }),
  alert_pool_low: () => ({ message: 'The pool is running low: time to order more.', amount: null, service: null }),
  alert_pool_negative: () => ({ message: 'Imported usage took the pool below zero: a purchase or some usage is missing from Credit Desk.', amount: null, service: null }),
  alert_order_now: () => ({ message: 'The forecast says it is time to order more for the pool.', amount: null, service: null }),
  alert_purchase_slow: () => ({ message: 'A purchase for the pool is taking longer than expected.', amount: null, service: null }),
  alert_registration_stuck: () => ({ message: "Someone's Autodesk registration has been waiting longer than expected.", amount: null, service: null }),
  import_committed: (e, w) => ({ message: `A usage import from Autodesk was recorded: ${credits(e, w)} in all.`, amount: figure(e), service: null }),
  alert_reconciliation: (e, w) => ({ message: `The pool is overdrawn by ${credits(e, w)}: a usage import shows more pool use than the pool held.`, amount: figure(e), service: null }),
  // Whose usage, and how much of it, is the subject's and their managers' business alone.
  provisional_unconfirmed: () => ({ message: "A usage import did not confirm some of someone's self-logged usage.", amount: null, service: null }),
  pack_expired: (e, w) => ({ message: `A pack expired: ${credits(e, w)} left in it lapsed.`, amount: figure(e), service: null }),
  alert_pack_expiring: (e, w) => ({ message: `A pack expires soon: ${credits(e, w)} still in it will be lost unless used first.`, amount: figure(e), service: null }),
  hold_placed: (e, w) => ({ message: `Someone reserved ${credits(e, w)} of the pool for a planned job${e.service ? ` (${w.service(e.service)})` : ''}.`, amount: figure(e), service: e.service ?? null }),
  hold_settled: (e, w) => ({ message: `A hold gave ${credits(e, w)} back to the pool: the usage it was for was recorded instead.`, amount: figure(e), service: e.service ?? null }),
  hold_voided: (e, w) => ({ message: `A hold was voided: ${credits(e, w)} went back to the pool.`, amount: figure(e), service: e.service ?? null }),
  hold_expired: (e, w) => ({ message: `A hold lapsed unused: ${credits(e, w)} went back to the pool.`, amount: figure(e), service: e.service ?? null }),
  alert_autodesk_disconnected: () => ({ message: 'Usage from Autodesk is not coming in until IT connects Autodesk again.', amount: null, service: null }),
};

export function anonymousFeedEvent(e: FeedEvent, words: Words): AnonymousFeedEvent {
  return ANONYMOUS_FEED_FORMS[e.kind](e, words);
}
