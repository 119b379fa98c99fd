// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/platform/api-client.js';
import PurchasesPage from '../../src/tab/purchases/index.js';
import type { PurchaseView } from '../../src/tab/purchases/board.js';
import { leadTime } from '../../src/tab/purchases/board.js';
import { MANAGER_ME, SETTINGS, fakeApi, renderWithApp } from './render.js';


const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

function purchase(id: string, state: PurchaseView['state'], blocks: number, extra: Partial<PurchaseView> = {}, createdDaysAgo = 1): PurchaseView {
  const createdAt = ago(createdDaysAgo);
  return {
    id,
    blocks,
    credits: blocks * 100,
    state,
    reason: null,
    quoteNumber: null,
    price: null,
    currency: null,
    poNumber: null,
    requestedBy: 'am-1',
    createdAt,
    updatedAt: createdAt,
    steps: [
      { type: 'requested', at: createdAt, by: 'am-1' },
      ...(state !== 'requested' ? [{ type: state, at: createdAt, by: 'am-1' }] : []),
    ],
    ...extra,
  };
}

const NEW = purchase('p-new', 'requested', 2);
const QUOTED = purchase('p-quoted', 'quote_received', 3, { quoteNumber: 'Q-778', price: 1250, currency: 'USD' });
const ORDERED = purchase('p-ordered', 'ordered', 5, { quoteNumber: 'Q-700', price: 2000, currency: 'USD', poNumber: 'PO-4411' }, 20);
const APPLIED = purchase('p-applied', 'applied', 4);
const CANCELLED = purchase('p-cancelled', 'cancelled', 7);

function boardApi(overrides: Record<string, (input: any) => unknown> = {}) {
  return fakeApi({
    listPurchases: () => ({ items: [NEW, QUOTED, ORDERED, APPLIED, CANCELLED], nextCursor: null }),
    purchaseEvent: ({ params, body }: any) => ({
      purchase: { ...[NEW, QUOTED, ORDERED].find((p) => p.id === params.id)!, state: body.type, quoteNumber: body.quoteNumber ?? null, price: body.price ?? null, currency: body.currency ?? null },
    }),
    ...overrides,
  });
}

const column = (name: string) => screen.getByRole('region', { name });
const cardIn = (columnName: string, title: string) => within(column(columnName)).getByRole('group', { name: title });
const buttonNames = (el: HTMLElement) => within(within(el).getByRole('group', { name: 'Move on' })).getAllByRole('button').map((b) => b.textContent);

describe('Purchases board', () => {
  it('shows one column per state, cards in their column, and cancelled ones folded away', async () => {
    const user = userEvent.setup();
    const { api } = boardApi();
    renderWithApp(<PurchasesPage />, { api, me: MANAGER_ME });
    await screen.findByRole('region', { name: 'Requested' });
    for (const name of ['Requested', 'Quote requested', 'Quote received', 'Approved', 'Ordered', 'Applied']) column(name);
    within(column('Quote requested')).getByText('None');
    const quoted = cardIn('Quote received', '3 blocks · 300 credits');
    within(quoted).getByText(/Quote Q-778 · \$1,250\.00/);
    within(cardIn('Ordered', '5 blocks · 500 credits')).getByText('PO PO-4411');

    expect(screen.queryByText('7 blocks · 700 credits')).toBeNull();
    const toggle = screen.getByRole('button', { name: 'Cancelled (1)' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await user.click(toggle);
    screen.getByText('7 blocks · 700 credits');
  });

  it('offers only the moves valid from each card’s state', async () => {
    const { api } = boardApi();
    renderWithApp(<PurchasesPage />, { api, me: MANAGER_ME });
    await screen.findByRole('region', { name: 'Requested' });
    expect(buttonNames(cardIn('Requested', '2 blocks · 200 credits'))).toEqual(['Quote requested…', 'Quote received…', 'Cancel…']);
    expect(buttonNames(cardIn('Quote received', '3 blocks · 300 credits'))).toEqual(['Approved…', 'Cancel…']);
    expect(buttonNames(cardIn('Ordered', '5 blocks · 500 credits'))).toEqual(['Credits applied…', 'Cancel…']);
    expect(within(cardIn('Applied', '4 blocks · 400 credits')).queryByRole('button')).toBeNull();
  });

  it('flags a purchase slower than the expected working days', async () => {
    const { api } = boardApi();
    renderWithApp(<PurchasesPage />, { api, me: MANAGER_ME });
    const ordered = await screen.findByRole('group', { name: '5 blocks · 500 credits' });
    within(ordered).getByText('Slow');
    // The reason, in the rule's words: which step, for how many working days, against what it allows.
    within(ordered).getByText(/^Waiting to land in the pool for \d+ working days \(expected 7\)\.$/);
    within(cardIn('Quote received', '3 blocks · 300 credits')).getByText(/^Waiting for approval for (under a|1) working day \(expected 2\)\.$/);
    expect(within(cardIn('Requested', '2 blocks · 200 credits')).queryByText('Slow')).toBeNull();
    screen.getByText('1 purchase is slower than expected');
    expect(leadTime(ORDERED, SETTINGS)).toMatchObject({ slow: true, slowness: { step: 'ordered', expectedWorkingDays: 7 } });
    expect(leadTime(NEW, SETTINGS)).toMatchObject({ open: true, slow: false });
  });

  it('records a received quote with its number, price and currency, once', async () => {
    const user = userEvent.setup();
    const { api, calls } = boardApi();
    renderWithApp(<PurchasesPage />, { api, me: MANAGER_ME });
    await screen.findByRole('region', { name: 'Requested' });
    await user.click(within(cardIn('Requested', '2 blocks · 200 credits')).getByRole('button', { name: 'Quote received…' }));
    const dialog = await screen.findByRole('dialog');
    const save = await within(dialog).findByRole('button', { name: 'Save' });
    expect(save.hasAttribute('disabled')).toBe(true);
    await user.type(within(dialog).getByLabelText(/Quote number/), 'Q-9001');
    await user.type(within(dialog).getByLabelText(/Price/), '1875.5');
    const currency = within(dialog).getByLabelText(/Currency/);
    await user.clear(currency);
    await user.type(currency, 'eur');
    await user.dblClick(save);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    const events = calls.filter((c) => c.name === 'purchaseEvent');
    expect(events).toHaveLength(1);
    expect(events[0]!.input).toMatchObject({ params: { id: 'p-new' }, body: { type: 'quote_received', quoteNumber: 'Q-9001', price: 1875.5, currency: 'EUR' } });
    // The board behind the dialog is hidden from assistive technology until the dialog has gone.
    await waitFor(() => within(column('Quote received')).getByText(/Q-9001/));
    within(column('Requested')).getByText('None');
  });

  function approvedBoard() {
    const approved = purchase('p-approved', 'approved', 1);
    return fakeApi({
      listPurchases: () => ({ items: [approved], nextCursor: null }),
      purchaseEvent: ({ body }: any) => ({ purchase: { ...approved, state: body.type, poNumber: body.poNumber ?? null } }),
    });
  }

  it('needs a reason to cancel', async () => {
    const user = userEvent.setup();
    const { api, calls } = approvedBoard();
    renderWithApp(<PurchasesPage />, { api, me: MANAGER_ME });
    const card = await screen.findByRole('group', { name: '1 block · 100 credits' });
    await user.click(within(card).getByRole('button', { name: 'Cancel…' }));
    const dialog = await screen.findByRole('dialog');
    expect((await within(dialog).findByRole('button', { name: 'Cancel purchase' })).hasAttribute('disabled')).toBe(true);
    await user.click(within(dialog).getByRole('button', { name: 'Keep it' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(calls.filter((c) => c.name === 'purchaseEvent')).toHaveLength(0);
  });

  it('needs a PO number to order', async () => {
    const user = userEvent.setup();
    const { api, calls } = approvedBoard();
    renderWithApp(<PurchasesPage />, { api, me: MANAGER_ME });
    const card = await screen.findByRole('group', { name: '1 block · 100 credits' });
    await user.click(within(card).getByRole('button', { name: 'Ordered…' }));
    const dialog = await screen.findByRole('dialog');
    expect((await within(dialog).findByRole('button', { name: 'Save' })).hasAttribute('disabled')).toBe(true);
    await user.type(within(dialog).getByLabelText(/PO number/), 'PO-1');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(calls.filter((c) => c.name === 'purchaseEvent').map((c) => c.input.body)).toEqual([{ type: 'ordered', poNumber: 'PO-1' }]);
  });

  it('starts a new purchase of whole blocks', async () => {
    const user = userEvent.setup();
    const { api, calls } = boardApi({ createPurchase: ({ body }: any) => ({ purchase: purchase('p-made', 'requested', body.blocks) }) });
    renderWithApp(<PurchasesPage />, { api, me: MANAGER_ME });
    await screen.findByRole('region', { name: 'Requested' });
    await user.click(screen.getByRole('button', { name: 'New purchase' }));
    const dialog = await screen.findByRole('dialog');
    const blocks = await within(dialog).findByLabelText(/Blocks/);
    await user.clear(blocks);
    await user.type(blocks, '1.5');
    expect(within(dialog).getByRole('button', { name: 'Start purchase' }).hasAttribute('disabled')).toBe(true);
    await user.clear(blocks);
    await user.type(blocks, '6');
    within(dialog).getByText('600 credits');
    await user.type(within(dialog).getByLabelText(/Why/), 'Pool runs out in three weeks');
    await user.dblClick(within(dialog).getByRole('button', { name: 'Start purchase' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const posts = calls.filter((c) => c.name === 'createPurchase');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.input.body).toEqual({ blocks: 6, reason: 'Pool runs out in three weeks' });
    await waitFor(() => within(column('Requested')).getByRole('group', { name: '6 blocks · 600 credits' }));
  });

  it('says what to do with no purchases, and retries a failed load', async () => {
    const user = userEvent.setup();
    let fail = true;
    const { api } = fakeApi({ listPurchases: () => (fail ? new ApiError(0, 'NETWORK', 'Credit Desk could not be reached.') : { items: [], nextCursor: null }) });
    renderWithApp(<PurchasesPage />, { api, me: MANAGER_ME });
    await screen.findByText(/could not be reached/);
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText(/No purchases yet/);
  });
});
