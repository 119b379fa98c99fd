import type { Units } from './money.js';

export const FEED_EVENT_KINDS = [
  'purchase_step',
  'pool_draw',
  'pool_joined',
  'reversal',
  'alert_pool_low',
  'alert_pool_negative',
  'alert_order_now',
  'alert_purchase_slow',
  'alert_registration_stuck',
] as const;
export type FeedEventKind = (typeof FEED_EVENT_KINDS)[number];

/** A pool change or alert, written in the same transaction as the change (an outbox for the Teams feed). */
export interface FeedEvent {
  id: string;
  postingId: string;
  kind: FeedEventKind;
  at: string;
  actor: string;
  /** The actor's display name, when the dispatcher has looked it up for the Teams card. */
  actorName?: string;
  memberId?: string;
  memberName?: string;
  office?: string;
  service?: string;
  amount?: Units;
  poolAfter: Units;
  purchaseId?: string;
  purchaseState?: string;
  message: string;
}
