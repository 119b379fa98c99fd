import type { Units } from '../ledger/money.js';

export const PURCHASE_STATES = [
  'requested',
  'quote_requested',
  'quote_received',
  'approved',
  'ordered',
  'applied',
  'cancelled',
] as const;
export type PurchaseState = (typeof PURCHASE_STATES)[number];

/** A purchase on its way: credits will land in the pool unless it is cancelled. */
export const OPEN_PURCHASE_STATES = ['requested', 'quote_requested', 'quote_received', 'approved', 'ordered'] as const satisfies readonly PurchaseState[];

/** Each state in the words people read: the tab's board, IT's channel cards and the feed use these. */
export const PURCHASE_STATE_LABEL: Record<PurchaseState, string> = {
  requested: 'Requested',
  quote_requested: 'Quote requested',
  quote_received: 'Quote received',
  approved: 'Approved',
  ordered: 'Ordered',
  applied: 'Applied',
  cancelled: 'Cancelled',
};

export interface PurchaseStep {
  type: PurchaseState;
  at: string;
  by: string;
  quoteNumber?: string;
  price?: number;
  currency?: string;
  poNumber?: string;
  reason?: string;
}

export interface Purchase {
  id: string;
  blocks: number;
  /** Units the purchase brings into the pool: blocks × block size. */
  units: Units;
  state: PurchaseState;
  reason?: string;
  quoteNumber?: string;
  price?: number;
  currency?: string;
  poNumber?: string;
  requestedBy: string;
  createdAt: string;
  updatedAt: string;
  steps: PurchaseStep[];
}

/** One applied purchase in the pool, drawn oldest first so every draw knows who paid for it. */
export interface Lot {
  id: string;
  purchaseId: string;
  appliedAt: string;
  units: Units;
  remaining: Units;
  price?: number;
  currency?: string;
  /** Flex mode (DESIGN 3.1): when the pack expires, `packExpiryMonths` calendar months after it was applied. */
  expiresAt?: string;
  /** Set once, by the posting that expired the pack: after this nothing is drawn from it. */
  expiredAt?: string;
  /** Units the pack lost to expiry (what was left then, plus held units given back later). */
  expiredAmount?: Units;
}
