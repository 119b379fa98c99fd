import { describe, expect, it } from 'vitest';
import type { PurchaseView } from '../../../src/contract/schemas.js';
import type { QuoteReading } from '../../../src/mail/quote-reading.js';
import { NEW_PURCHASE, awaitingQuote, checkDraft, draftFrom, parseTypedAmount, purchaseWithQuote } from '../../../src/addin/quote/quote-form.js';

const purchase = (id: string, blocks: number, state: PurchaseView['state'], quoteNumber: string | null = null): PurchaseView => ({
  id,
  blocks,
  credits: blocks * 100,
  state,
  reason: null,
  quoteNumber,
  price: null,
  currency: null,
  poNumber: null,
  requestedBy: 'riley',
  createdAt: '2026-11-20T10:00:00Z',
  updatedAt: '2026-11-20T10:00:00Z',
  steps: [],
});

const reading = (over: Partial<QuoteReading> = {}): QuoteReading => ({ quoteNumber: 'Q-1', amount: 1100, currency: 'USD', credits: 200, blocks: 2, missing: [], ...over });

const PURCHASES = [purchase('p-new', 1, 'requested'), purchase('p-two', 2, 'quote_requested'), purchase('p-done', 2, 'approved', 'Q-0')];

describe('the quote form', () => {
  it('offers only purchases still waiting for a quote, and finds a quote number already recorded', () => {
    expect(awaitingQuote(PURCHASES).map((p) => p.id)).toEqual(['p-new', 'p-two']);
    expect(purchaseWithQuote(PURCHASES, ' q-0 ')?.id).toBe('p-done');
    expect(purchaseWithQuote(PURCHASES, '')).toBeUndefined();
  });

  it('pre-selects the purchase actually waiting for the quote: asked of the reseller before only raised, then the one asked first', () => {
    const asked = (id: string, at: string): PurchaseView => ({ ...purchase(id, 2, 'quote_requested'), steps: [{ type: 'quote_requested', at, by: 'riley' }] });
    const raised = purchase('raised', 2, 'requested');
    const later = asked('asked-later', '2026-11-25T09:00:00Z');
    const earlier = asked('asked-earlier', '2026-11-22T09:00:00Z');
    expect(draftFrom(reading(), [raised, later, earlier]).target).toBe('asked-earlier');
    expect(draftFrom(reading(), [raised, later]).target).toBe('asked-later');
    expect(draftFrom(reading(), [raised]).target).toBe('raised');
  });

  it('starts on the open purchase of the quoted size, else a new purchase of that size', () => {
    expect(draftFrom(reading(), PURCHASES)).toEqual({ quoteNumber: 'Q-1', amount: '1100', currency: 'USD', target: 'p-two', blocks: '2' });
    expect(draftFrom(reading({ blocks: 5, credits: 500 }), PURCHASES).target).toBe(NEW_PURCHASE);
    // Size unknown: the purchase a quote was asked for, not one only raised; nothing open: a new one of one block.
    expect(draftFrom(reading({ blocks: null, credits: null }), PURCHASES).target).toBe('p-two');
    expect(draftFrom(reading({ blocks: null, credits: null, quoteNumber: null, amount: null, currency: null }), [])).toEqual({ quoteNumber: '', amount: '', currency: '', target: NEW_PURCHASE, blocks: '1' });
  });

  it('reads amounts as people type them', () => {
    expect(parseTypedAmount('12,500.00')).toBe(12500);
    expect(parseTypedAmount('12.500,50')).toBe(12500.5);
    expect(parseTypedAmount("1'250.00")).toBe(1250);
    expect(parseTypedAmount('1 250,5')).toBe(1250.5);
    expect(parseTypedAmount('550')).toBe(550);
    expect(parseTypedAmount('1.100.000')).toBe(1_100_000);
    for (const bad of ['', '0', '-5', 'abc', '1.2.3', '12,34,5', '1e5', '100000001', '5.123', '1.100']) expect(parseTypedAmount(bad), bad).toBeUndefined();
  });

  it('names every field to fix and writes nothing from a bad draft', () => {
    const checked = checkDraft({ quoteNumber: ' ', amount: 'ten', currency: 'dollars', target: 'p-done', blocks: '0' }, PURCHASES);
    expect(checked).toEqual({ ok: false, errors: { quoteNumber: expect.any(String), amount: expect.any(String), currency: expect.any(String), target: expect.any(String) } });
    const blocks = checkDraft({ quoteNumber: 'Q', amount: '5', currency: 'usd', target: NEW_PURCHASE, blocks: '1.5' }, PURCHASES);
    expect(blocks).toEqual({ ok: false, errors: { blocks: 'Whole blocks, 1 to 1000.' } });
  });

  it('gives the call its values: an existing purchase keeps its size, a new one takes the typed blocks', () => {
    expect(checkDraft({ quoteNumber: ' Q-7 ', amount: '1,100.00', currency: 'eur', target: 'p-two', blocks: '9' }, PURCHASES)).toEqual({
      ok: true,
      value: { quoteNumber: 'Q-7', price: 1100, currency: 'EUR', purchaseId: 'p-two', blocks: 2 },
    });
    expect(checkDraft({ quoteNumber: 'Q-8', amount: '550', currency: 'USD', target: NEW_PURCHASE, blocks: '3' }, PURCHASES)).toEqual({
      ok: true,
      value: { quoteNumber: 'Q-8', price: 550, currency: 'USD', purchaseId: undefined, blocks: 3 },
    });
  });
});
