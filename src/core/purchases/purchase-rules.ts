import type { FeedEvent } from '../feed/feed-event.js';
import type { LedgerState, Posting, PostingContext } from '../ledger/ledger-state.js';
import { emptyPosting, eventId, transferId } from '../ledger/ledger-state.js';
import { creditsToUnits } from '../ledger/money.js';
import { packExpiry } from '../ledger/packs.js';
import { poolBalance } from '../ledger/pool.js';
import type { Lot, Purchase, PurchaseState, PurchaseStep } from './purchase-types.js';
import type { Result } from '../result.js';
import { wordsFor } from '../feed/wording.js';
import { fail, ok } from '../result.js';

export const PURCHASE_EVENTS = ['quote_requested', 'quote_received', 'approved', 'ordered', 'applied', 'cancelled'] as const;
export type PurchaseEvent = (typeof PURCHASE_EVENTS)[number];

const PREDECESSORS: Record<PurchaseEvent, readonly PurchaseState[]> = {
  quote_requested: ['requested'],
  quote_received: ['requested', 'quote_requested'],
  approved: ['quote_received'],
  ordered: ['approved'],
  applied: ['ordered'],
  cancelled: ['requested', 'quote_requested', 'quote_received', 'approved', 'ordered'],
};

export const MAX_BLOCKS_PER_PURCHASE = 1000;

const STEP_WORDS: Record<PurchaseEvent, string> = {
  quote_requested: 'quote requested from the reseller',
  quote_received: 'quote received',
  approved: 'approved',
  ordered: 'ordered',
  applied: 'applied',
  cancelled: 'cancelled',
};

function requestedMessage(purchase: Purchase, ctx: PostingContext): string {
  const words = wordsFor(ctx.policy);
  return `${words.purchase(purchase)} requested: ${words.amount(purchase.units)} for the pool.`;
}

export function allowedPurchaseEvents(state: PurchaseState): PurchaseEvent[] {
  return PURCHASE_EVENTS.filter((e) => PREDECESSORS[e].includes(state));
}

function purchaseEvent(ctx: PostingContext, purchase: Purchase, index: number, poolAfter: number, message: string): FeedEvent {
  return {
    id: eventId(ctx.postingId, index),
    postingId: ctx.postingId,
    kind: 'purchase_step',
    at: ctx.now,
    actor: ctx.actor,
    purchaseId: purchase.id,
    purchaseTitle: wordsFor(ctx.policy).purchase(purchase),
    purchaseState: purchase.state,
    // Only an applied purchase moves the pool; earlier steps carry no amount.
    ...(purchase.state === 'applied' ? { amount: purchase.units } : {}),
    poolAfter,
    message,
  };
}

export function createPurchase(
  state: LedgerState,
  input: { purchaseId: string; blocks: number; reason?: string },
  ctx: PostingContext,
): Result<{ posting: Posting; purchase: Purchase }> {
  if (!Number.isInteger(input.blocks) || input.blocks < 1 || input.blocks > MAX_BLOCKS_PER_PURCHASE) {
    return fail('VALIDATION_FAILED', `A purchase is 1 to ${MAX_BLOCKS_PER_PURCHASE} whole blocks.`, { field: 'blocks' });
  }
  if (state.purchases[input.purchaseId]) return fail('INVALID_TRANSITION', `Purchase ${input.purchaseId} already exists.`);
  const purchase: Purchase = {
    id: input.purchaseId,
    blocks: input.blocks,
    units: input.blocks * creditsToUnits(ctx.policy.blockSize),
    state: 'requested',
    ...(input.reason ? { reason: input.reason } : {}),
    requestedBy: ctx.actor,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    steps: [{ type: 'requested', at: ctx.now, by: ctx.actor, ...(input.reason ? { reason: input.reason } : {}) }],
  };
  const posting = emptyPosting(ctx.postingId);
  posting.purchases.push(purchase);
  posting.events.push(
    purchaseEvent(ctx, purchase, 0, poolBalance(state), requestedMessage(purchase, ctx)),
  );
  return ok({ posting, purchase });
}

export interface PurchaseEventInput {
  purchaseId: string;
  type: PurchaseEvent;
  quoteNumber?: string;
  price?: number;
  currency?: string;
  poNumber?: string;
  reason?: string;
}

/** Moves a purchase one step; `applied` brings its credits into the pool as a new lot, exactly once. */
export function applyPurchaseEvent(
  state: LedgerState,
  input: PurchaseEventInput,
  ctx: PostingContext,
): Result<{ posting: Posting; purchase: Purchase }> {
  const purchase = state.purchases[input.purchaseId];
  if (!purchase) return fail('NOT_FOUND', `No purchase ${input.purchaseId}.`);
  if (!PREDECESSORS[input.type].includes(purchase.state)) {
    return fail('INVALID_TRANSITION', `A purchase in state "${purchase.state}" cannot take "${input.type}".`, {
      from: purchase.state,
      event: input.type,
      allowed: allowedPurchaseEvents(purchase.state),
    });
  }
  if (input.type === 'quote_received' && (!input.quoteNumber || input.price === undefined || !input.currency)) {
    return fail('VALIDATION_FAILED', 'A received quote needs its quote number, price and currency.', { fields: ['quoteNumber', 'price', 'currency'] });
  }
  if (input.type === 'ordered' && !input.poNumber) {
    return fail('VALIDATION_FAILED', 'An order needs its PO number.', { field: 'poNumber' });
  }

  const step: PurchaseStep = {
    type: input.type,
    at: ctx.now,
    by: ctx.actor,
    ...(input.quoteNumber ? { quoteNumber: input.quoteNumber } : {}),
    ...(input.price !== undefined ? { price: input.price } : {}),
    ...(input.currency ? { currency: input.currency } : {}),
    ...(input.poNumber ? { poNumber: input.poNumber } : {}),
    ...(input.reason ? { reason: input.reason } : {}),
  };
  const next: Purchase = {
    ...purchase,
    state: input.type,
    updatedAt: ctx.now,
    steps: [...purchase.steps, step],
    ...(input.quoteNumber ? { quoteNumber: input.quoteNumber } : {}),
    ...(input.price !== undefined ? { price: input.price } : {}),
    ...(input.currency ? { currency: input.currency } : {}),
    ...(input.poNumber ? { poNumber: input.poNumber } : {}),
  };

  const posting = emptyPosting(ctx.postingId);
  posting.purchases.push(next);
  let poolAfter = poolBalance(state);
  const words = wordsFor(ctx.policy);
  let message = `${words.purchase(purchase)}: ${STEP_WORDS[input.type]}.`;
  if (input.type === 'applied') {
    const lot: Lot = {
      id: purchase.id,
      purchaseId: purchase.id,
      appliedAt: ctx.now,
      units: purchase.units,
      remaining: purchase.units,
      ...(next.price !== undefined ? { price: next.price } : {}),
      ...(next.currency ? { currency: next.currency } : {}),
    };
    const expiresAt = packExpiry(ctx.policy, ctx.now);
    if (expiresAt) lot.expiresAt = expiresAt;
    posting.lots.push(lot);
    posting.transfers.push({
      id: transferId(ctx.postingId, 0),
      postingId: ctx.postingId,
      debit: 'reseller',
      credit: 'pool',
      amount: purchase.units,
      code: 'purchase_applied',
      lotId: lot.id,
      source: 'manager',
      actor: ctx.actor,
      at: ctx.now,
    });
    poolAfter += purchase.units;
    message = `${words.purchase(purchase)} applied: ${words.amount(purchase.units)} added to the pool.`;
  }
  posting.events.push(purchaseEvent(ctx, next, 0, poolAfter, message));
  return ok({ posting, purchase: next });
}
