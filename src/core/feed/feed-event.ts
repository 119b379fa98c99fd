import type { Units } from '../ledger/money.js';

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
  /** A usage import finished: its rows, amount and pool share. */
  'import_committed',
  /** An import showed more pool use than the pool can explain (DESIGN 3.4). */
  'alert_reconciliation',
  /** A member's self-logged usage that an import of those days did not confirm. */
  'provisional_unconfirmed',
  /** Flex mode: a pack expired with something left in it (the amount lost). */
  'pack_expired',
  /** Flex mode: a pack expires within 90 or 30 days with something left in it (the amount at risk). */
  'alert_pack_expiring',
  /** A hold took credits out of the pool for a planned job (holds of own credits only are not in the feed). */
  'hold_placed',
  /** A hold's pool part went back: settled by the usage it was for (drawn in the same change), voided, or lapsed. */
  'hold_settled',
  'hold_voided',
  'hold_expired',
  /** Autodesk no longer accepts a usage connection (consent revoked, a spent token): no usage is pulled until IT connects again. */
  'alert_autodesk_disconnected',
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
  /** How people name the purchase ("Purchase of 2 blocks (Q4 top-up)"), for the card; never its id. */
  purchaseTitle?: string;
  purchaseState?: string;
  /** How much the pool moved (negative: it went down), where the kind alone does not say (reversals, imports). */
  poolDelta?: Units;
  message: string;
}

/** Pool-level alerts: the card shows the pool as it stands, though the alert itself moved nothing. */
const POOL_ALERTS: readonly string[] = ['alert_pool_low', 'alert_pool_negative', 'alert_order_now', 'alert_reconciliation'];

/**
 * How the pool figure belongs on a card: "after" the event when the event moved the pool, "now" for an
 * alert about the pool's level, none when the pool did not change (a purchase asked for, someone joining).
 */
export function poolFigure(e: FeedEvent): 'after' | 'now' | null {
  switch (e.kind) {
    case 'pool_draw':
    case 'hold_placed':
    case 'hold_settled':
    case 'hold_voided':
    case 'hold_expired':
    case 'pack_expired':
      return 'after';
    case 'purchase_step':
      return e.purchaseState === 'applied' ? 'after' : null;
    case 'reversal':
    case 'import_committed':
      return e.poolDelta ? 'after' : null;
    default:
      return POOL_ALERTS.includes(e.kind) ? 'now' : null;
  }
}
