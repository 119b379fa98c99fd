// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/platform/api-client.js';
import type { FeedEntry } from '../../src/tab/feed/index.js';
import FeedPage from '../../src/tab/feed/index.js';
import { formatDateTime } from '../../src/ui/format.js';
import { EMPLOYEE_ME, IT_ME, fakeApi, renderWithApp } from './render.js';

// A first render of a Fluent page can take over a second on a busy machine.

const AT = '2026-11-02T09:30:00.000Z';

function entry(id: string, kind: FeedEntry['kind'], extra: Partial<FeedEntry> = {}): FeedEntry {
  return {
    id,
    kind,
    at: AT,
    message: `Message ${id}`,
    credits: null,
    poolAfter: 200,
    memberId: null,
    memberName: null,
    office: null,
    service: null,
    purchaseId: null,
    actor: null,
    ...extra,
  };
}

const EVERY_KIND: FeedEntry[] = [
  entry('e1', 'alert_pool_negative', { message: 'Imported usage took the pool to -3.', poolAfter: -3 }),
  entry('e2', 'alert_pool_low', { message: 'The pool is down to 12: time to order more.', poolAfter: 12 }),
  entry('e3', 'pool_draw', { message: 'Avery Chen drew 7.5 from the pool for simulation.', credits: 7.5, poolAfter: 12, memberName: 'Avery Chen', office: 'Boston', service: 'simulation' }),
  entry('e4', 'pool_joined', { message: 'Avery Chen has used up their own credits and now draws on the shared pool.', memberName: 'Avery Chen' }),
  entry('e5', 'purchase_step', { message: 'Purchase of 2 blocks applied.', credits: 200, poolAfter: 219.5, purchaseId: 'pur-1' }),
  entry('e6', 'reversal', { message: 'usage pool of 3 reversed: duplicate', credits: 3, poolAfter: 19.5 }),
];

/** IT sees the Teams channel panel as well: a quiet one here, so these tests are about the feed itself. */
const QUIET_DELIVERY = {
  webhookConfigured: true,
  digest: 'off',
  pending: 0,
  pendingCountLimit: 1000,
  oldestPendingAt: null,
  stalled: false,
  waiting: [],
  lastError: null,
  lastErrorAt: null,
  lastDeliveredAt: null,
  parked: [],
};
const feedApi = (handlers: Parameters<typeof fakeApi>[0]) => fakeApi({ feedDelivery: () => QUIET_DELIVERY, ...handlers });

const rows = () => within(screen.getByRole('list', { name: 'Pool changes and alerts' })).getAllByRole('listitem');
const feedCalls = (calls: { name: string; input: Record<string, any> }[]) => calls.filter((c) => c.name === 'feed');

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

afterEach(() => vi.unstubAllGlobals());

describe('Feed', () => {
  it('shows every kind with its label, message, amount, pool after and time, newest first', async () => {
    const { api, calls } = feedApi({ feed: () => ({ items: EVERY_KIND, nextCursor: null }) });
    renderWithApp(<FeedPage />, { api, me: IT_ME });
    await waitFor(() => expect(rows()).toHaveLength(6));
    const [negative, low, draw, joined, purchase, reversal] = rows();
    within(negative!).getByText('Pool below zero');
    within(negative!).getByText('Imported usage took the pool to -3.');
    within(low!).getByText('Pool low');
    within(draw!).getByText('Pool draw');
    within(draw!).getByText('7.5 credits');
    within(draw!).getByText('Simulation');
    within(draw!).getByText('Avery Chen, Boston');
    within(joined!).getByText('Joined the pool');
    within(purchase!).getByText('Purchase');
    within(purchase!).getByText('219.5 credits');
    within(reversal!).getByText('Correction');
    const time = negative!.querySelector('time')!;
    expect(time.getAttribute('dateTime')).toBe(AT);
    expect(time.getAttribute('title')).toBe(formatDateTime(AT));
    screen.getByText('That is everything in the feed.');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(feedCalls(calls)[0]!.input.query).toEqual({ cursor: undefined, limit: 30 });
  });

  it('labels the forecast and follow-up alerts, and the Alerts chip lets them through', async () => {
    const user = userEvent.setup();
    const alerts = [
      entry('n1', 'alert_order_now', { message: 'Order credits now: the pool runs out around 2026-12-01.' }),
      entry('n2', 'alert_purchase_slow', { message: 'Purchase of 2 blocks has been waiting for the quote for 6 working days (expected 3).', purchaseId: 'pur-2' }),
      entry('n3', 'alert_registration_stuck', { message: "Jordan Alvarez's registration is still not complete.", memberName: 'Jordan Alvarez' }),
    ];
    const { api } = feedApi({ feed: () => ({ items: [...alerts, ...EVERY_KIND.slice(2)], nextCursor: null }) });
    renderWithApp(<FeedPage />, { api, me: IT_ME });
    await waitFor(() => expect(rows()).toHaveLength(7));
    const [orderNow, slow, stuck] = rows();
    within(orderNow!).getByText('Order now');
    within(slow!).getByText('Purchase slow');
    within(stuck!).getByText('Registration stuck');
    await user.click(screen.getByRole('button', { name: 'Alerts' }));
    expect(rows().map((r) => r.querySelector('[data-kind]')!.getAttribute('data-kind'))).toEqual(['alert_order_now', 'alert_purchase_slow', 'alert_registration_stuck']);
  });

  it('labels what holds did to the pool, and the Holds chip lets them through (issue 19)', async () => {
    const user = userEvent.setup();
    const holds = [
      entry('h1', 'hold_placed', { message: 'Avery Chen reserved 30 for generative design, 30 of it from the pool, until the usage is recorded.', credits: 30, poolAfter: 22.59 }),
      entry('h2', 'hold_settled', { credits: 30 }),
      entry('h3', 'hold_voided', { credits: 5 }),
      entry('h4', 'hold_expired', { credits: 5 }),
    ];
    const { api } = feedApi({ feed: () => ({ items: [...holds, ...EVERY_KIND.slice(2, 4)], nextCursor: null }) });
    renderWithApp(<FeedPage />, { api, me: IT_ME });
    await waitFor(() => expect(rows()).toHaveLength(6));
    const [placed, settled, voided, lapsed] = rows();
    within(placed!).getByText('Reserved');
    within(settled!).getByText('Hold settled');
    within(voided!).getByText('Hold voided');
    within(lapsed!).getByText('Hold lapsed');
    await user.click(screen.getByRole('button', { name: 'Holds' }));
    expect(rows().map((r) => r.querySelector('[data-kind]')!.getAttribute('data-kind'))).toEqual(['hold_placed', 'hold_settled', 'hold_voided', 'hold_expired']);
  });

  it('works for an employee, whose entries come without names', async () => {
    const anonymous = entry('a1', 'pool_draw', { message: 'Someone drew 4 credits from the pool for Simulation.', credits: 4, service: 'simulation' });
    const { api } = feedApi({ feed: () => ({ items: [anonymous], nextCursor: null }) });
    renderWithApp(<FeedPage />, { api, me: EMPLOYEE_ME });
    await waitFor(() => expect(rows()).toHaveLength(1));
    within(rows()[0]!).getByText('Someone drew 4 credits from the pool for Simulation.');
    expect(within(rows()[0]!).queryByText('Who')).toBeNull();
  });

  it('says so when the feed is empty', async () => {
    const { api } = feedApi({ feed: () => ({ items: [], nextCursor: null }) });
    renderWithApp(<FeedPage />, { api, me: IT_ME });
    await screen.findByText(/Nothing has happened in the pool yet/);
  });

  it('loads the next page once per click, even on a double click, and stops at the end', async () => {
    const user = userEvent.setup();
    const second = deferred<{ items: FeedEntry[]; nextCursor: string | null }>();
    const { api, calls } = feedApi({
      feed: (input: { query: { cursor?: string } }) => (input.query.cursor === 'c2' ? second.promise : { items: EVERY_KIND.slice(0, 2), nextCursor: 'c2' }),
    });
    renderWithApp(<FeedPage />, { api, me: IT_ME });
    const more = await screen.findByRole('button', { name: 'Load more' });
    expect(rows()).toHaveLength(2);
    await user.dblClick(more);
    await user.click(screen.getByRole('button', { name: 'Loading…' }));
    expect(feedCalls(calls).map((c) => c.input.query.cursor)).toEqual([undefined, 'c2']);
    await act(async () => second.resolve({ items: EVERY_KIND.slice(2), nextCursor: null }));
    await waitFor(() => expect(rows()).toHaveLength(6));
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(feedCalls(calls)).toHaveLength(2);
  });

  it('filters by kind with chips, and shows everything again with All', async () => {
    const user = userEvent.setup();
    const { api } = feedApi({ feed: () => ({ items: EVERY_KIND, nextCursor: null }) });
    renderWithApp(<FeedPage />, { api, me: IT_ME });
    await waitFor(() => expect(rows()).toHaveLength(6));
    const alerts = screen.getByRole('button', { name: 'Alerts' });
    await user.click(alerts);
    expect(alerts.getAttribute('aria-pressed')).toBe('true');
    expect(rows().map((r) => r.querySelector('[data-kind]')!.getAttribute('data-kind'))).toEqual(['alert_pool_negative', 'alert_pool_low']);
    screen.getByText('Showing 2 of 6 loaded entries.');
    await user.click(screen.getByRole('button', { name: 'Corrections' }));
    expect(rows()).toHaveLength(3);
    await user.click(screen.getByRole('button', { name: 'All' }));
    expect(rows()).toHaveLength(6);
    expect(alerts.getAttribute('aria-pressed')).toBe('false');
  });

  it('keeps what was loaded when a later page fails, and tries again on request', async () => {
    const user = userEvent.setup();
    let failures = 1;
    const { api, calls } = feedApi({
      feed: (input: { query: { cursor?: string } }) => {
        if (input.query.cursor !== 'c2') return { items: EVERY_KIND.slice(0, 2), nextCursor: 'c2' };
        if (failures-- > 0) return new ApiError(503, 'STORAGE_UNAVAILABLE', 'Storage is busy.');
        return { items: EVERY_KIND.slice(2), nextCursor: null };
      },
    });
    renderWithApp(<FeedPage />, { api, me: IT_ME });
    await user.click(await screen.findByRole('button', { name: 'Load more' }));
    await screen.findByText('Could not load older entries');
    screen.getByText(/Storage is busy/);
    expect(rows()).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(rows()).toHaveLength(6));
    expect(screen.queryByText('Could not load older entries')).toBeNull();
    expect(feedCalls(calls).map((c) => c.input.query.cursor)).toEqual([undefined, 'c2', 'c2']);
  });

  it('offers a retry when the first page fails', async () => {
    const user = userEvent.setup();
    let failures = 1;
    const { api } = feedApi({ feed: () => (failures-- > 0 ? new ApiError(0, 'NETWORK', 'Credit Desk could not be reached.') : { items: EVERY_KIND, nextCursor: null }) });
    renderWithApp(<FeedPage />, { api, me: IT_ME });
    await screen.findByText('Could not load the feed');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(rows()).toHaveLength(6));
  });

  it('loads the next page when the end of the list scrolls into view, once even if the button is pressed too', async () => {
    const observers: { callback: IntersectionObserverCallback; targets: Element[] }[] = [];
    vi.stubGlobal(
      'IntersectionObserver',
      class {
        readonly record: { callback: IntersectionObserverCallback; targets: Element[] };
        constructor(callback: IntersectionObserverCallback) {
          this.record = { callback, targets: [] };
          observers.push(this.record);
        }
        observe(target: Element) {
          this.record.targets.push(target);
        }
        disconnect() {
          this.record.targets = [];
        }
        unobserve() {}
        takeRecords() {
          return [];
        }
      },
    );
    const second = deferred<{ items: FeedEntry[]; nextCursor: string | null }>();
    const { api, calls } = feedApi({
      feed: (input: { query: { cursor?: string } }) => (input.query.cursor === 'c2' ? second.promise : { items: EVERY_KIND.slice(0, 2), nextCursor: 'c2' }),
    });
    renderWithApp(<FeedPage />, { api, me: IT_ME });
    await waitFor(() => expect(rows()).toHaveLength(2));
    // The sentinel's observer is set up by an effect after the rows render: wait for it, not for the machine.
    await waitFor(() => expect(observers.filter((o) => o.targets.length > 0)).toHaveLength(1));
    const watching = observers.filter((o) => o.targets.length > 0);
    const { callback, targets } = watching[0]!;
    // The sentinel scrolls into view and, before the page re-renders, the button is pressed too: one load.
    act(() => {
      callback([{ isIntersecting: true, target: targets[0]! } as unknown as IntersectionObserverEntry], {} as IntersectionObserver);
      fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    });
    await act(async () => second.resolve({ items: EVERY_KIND.slice(2), nextCursor: null }));
    await waitFor(() => expect(rows()).toHaveLength(6));
    expect(feedCalls(calls).map((c) => c.input.query.cursor)).toEqual([undefined, 'c2']);
  });
});
