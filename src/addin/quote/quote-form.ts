import type { PurchaseView } from '../../contract/schemas.js';
import type { QuoteReading } from '../../mail/quote-reading.js';
import { parseNumber } from '../../core/number-text.js';
import { MAX_BLOCKS_PER_PURCHASE } from '../../core/purchases/purchase-rules.js';


/** What the manager confirms or corrects before the quote is recorded; text as typed. */
export interface QuoteDraft {
  quoteNumber: string;
  amount: string;
  currency: string;
  /** A purchase id, or NEW_PURCHASE. */
  target: string;
  /** Blocks of a new purchase. */
  blocks: string;
}

export const NEW_PURCHASE = 'new';

/** Currencies offered in the form; one read from the email is added when it is not here. */
export const COMMON_CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'CHF', 'SEK', 'NOK', 'DKK', 'JPY', 'INR'] as const;

/** Purchases a quote can still be recorded on: before their quote arrived. */
export function awaitingQuote(purchases: readonly PurchaseView[]): PurchaseView[] {
  return purchases.filter((p) => p.state === 'requested' || p.state === 'quote_requested');
}

/** A purchase that already carries this quote number: recording it again would double it. */
export function purchaseWithQuote(purchases: readonly PurchaseView[], quoteNumber: string): PurchaseView | undefined {
  const wanted = quoteNumber.trim().toLowerCase();
  return wanted ? purchases.find((p) => p.quoteNumber?.trim().toLowerCase() === wanted) : undefined;
}

/** When a purchase went to the reseller for a quote (or was raised, if it has not yet). */
const askedAt = (p: PurchaseView): string => p.steps.findLast((s) => s.type === 'quote_requested')?.at ?? p.createdAt;

/**
 * The purchases a reseller's quote most likely answers, first first: those a quote was asked for
 * (`quote_requested`) before those only raised, and among them the one waiting longest.
 */
function likeliestFirst(open: readonly PurchaseView[]): PurchaseView[] {
  const asked = (p: PurchaseView) => (p.state === 'quote_requested' ? 0 : 1);
  return [...open].sort((a, b) => asked(a) - asked(b) || askedAt(a).localeCompare(askedAt(b)) || a.id.localeCompare(b.id));
}

/**
 * The form as the email reads: the open purchase of the quoted size that is waiting for a quote if there is
 * one (likeliestFirst), else a new purchase of that size; with no size read, the likeliest open purchase.
 */
export function draftFrom(reading: QuoteReading, purchases: readonly PurchaseView[]): QuoteDraft {
  const open = likeliestFirst(awaitingQuote(purchases));
  const sameSize = reading.blocks ? open.find((p) => p.blocks === reading.blocks) : undefined;
  const target = sameSize ?? (reading.blocks ? undefined : open[0]);
  return {
    quoteNumber: reading.quoteNumber ?? '',
    amount: reading.amount === null ? '' : String(reading.amount),
    currency: reading.currency ?? '',
    target: target?.id ?? NEW_PURCHASE,
    blocks: String(reading.blocks ?? 1),
  };
}

/**
 * An amount as a person types it ("12,500.00", "12.500,50", "1'250.00"), read by the same rules as amounts
 * in quotes, except that "1.100" (either way round) is refused, as is anything not a positive amount with at
 * most two decimals.
 */
export function parseTypedAmount(text: string): number | undefined {
  if (/^\s*\d{1,3}\.\d{3}\s*$/.test(text)) return undefined;
  const value = parseNumber(text);
  const cents = value === null ? NaN : value * 100;
  return value !== null && value > 0 && value <= 100_000_000 && Math.abs(cents - Math.round(cents)) < 1e-6 ? value : undefined;
}

export type QuoteField = keyof QuoteDraft;

export interface CheckedQuote {
  quoteNumber: string;
  price: number;
  currency: string;
  /** Record on this purchase, or create one of `blocks` blocks. */
  purchaseId: string | undefined;
  blocks: number;
}

/** The draft checked field by field; every problem is named so the form can say which field to fix. */
export function checkDraft(draft: QuoteDraft, purchases: readonly PurchaseView[]): { ok: true; value: CheckedQuote } | { ok: false; errors: Partial<Record<QuoteField, string>> } {
  const errors: Partial<Record<QuoteField, string>> = {};
  const quoteNumber = draft.quoteNumber.trim();
  if (!quoteNumber) errors.quoteNumber = 'Type the quote number from the quote.';
  else if (quoteNumber.length > 200) errors.quoteNumber = 'At most 200 characters.';
  const price = parseTypedAmount(draft.amount);
  if (price === undefined) errors.amount = 'Type the quote total, e.g. 550.00.';
  const currency = draft.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) errors.currency = 'Pick the currency of the quote.';
  const target = draft.target === NEW_PURCHASE ? undefined : awaitingQuote(purchases).find((p) => p.id === draft.target);
  if (draft.target !== NEW_PURCHASE && !target) errors.target = 'That purchase no longer waits for a quote: pick another, or a new purchase.';
  const blocks = Number(draft.blocks);
  if (draft.target === NEW_PURCHASE && !(Number.isInteger(blocks) && blocks >= 1 && blocks <= MAX_BLOCKS_PER_PURCHASE)) errors.blocks = `Whole blocks, 1 to ${MAX_BLOCKS_PER_PURCHASE}.`;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { quoteNumber, price: price!, currency, purchaseId: target?.id, blocks: target?.blocks ?? blocks } };
}
