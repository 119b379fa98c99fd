// @vitest-environment jsdom
import { act, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/platform/api-client.js';
import type { FeedDelivery, ParkedDelivery } from '../../src/tab/feed/delivery-status.js';
import { deliveryNotices, keyForEvent, waitingText } from '../../src/tab/feed/delivery-status.js';
import type { FeedEntry } from '../../src/tab/feed/index.js';
import FeedPage from '../../src/tab/feed/index.js';
import { EMPLOYEE_ME, IT_ME, MANAGER_ME, fakeApi, renderWithApp } from './render.js';


const KEY = /^[A-Za-z0-9-]{8,64}$/;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

function event(id: string, kind: FeedEntry['kind'], message: string): FeedEntry {
  return { id, kind, at: minutesAgo(90), message, credits: null, poolAfter: 120, memberId: null, memberName: null, office: null, service: null, purchaseId: null, actor: null };
}

const FEED: FeedEntry[] = [event('f1', 'pool_draw', 'Avery Chen drew 4 from the pool.')];

function delivery(extra: Partial<FeedDelivery> = {}): FeedDelivery {
  return {
    webhookConfigured: true,
    digest: 'off',
    pending: 0,
    pendingCountLimit: 1000,
    oldestPendingAt: null,
    stalled: false,
    waiting: [],
    lastError: null,
    lastErrorAt: null,
    lastDeliveredAt: minutesAgo(5),
    parked: [],
    ...extra,
  };
}

function parked(id: string, kind: FeedEntry['kind'], message: string, parkedMinutesAgo: number): ParkedDelivery {
  return { event: event(id, kind, message), attempts: 8, nextAttemptAt: null, lastError: 'Webhook answered 404 (HTTP 404)', parkedAt: minutesAgo(parkedMinutesAgo) };
}

const ORDER_NOW = parked('ev-order', 'alert_order_now', 'Order credits now: the pool runs out around 2026-12-01.', 10);
const STUCK = parked('ev-stuck', 'alert_registration_stuck', "Jordan Alvarez's registration is still not complete.", 20);

type Calls = { name: string; input: Record<string, any> }[];
const named = (calls: Calls, name: string) => calls.filter((c) => c.name === name);
const panel = () => screen.getByRole('region', { name: 'Teams channel' });
const parkedRows = () => within(screen.getByRole('list', { name: 'Events not delivered to the Teams channel' })).getAllByRole('listitem');
const isDisabled = (button: HTMLElement) => button.hasAttribute('disabled') || button.getAttribute('aria-disabled') === 'true';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A fake outbox: `requeueParkedEvent` takes the event out of `parked`, as the API does. */
function outbox(initial: FeedDelivery, requeue: (eventId: string) => unknown = () => undefined) {
  let state = initial;
  return {
    feed: () => ({ items: FEED, nextCursor: null }),
    feedDelivery: () => structuredClone(state),
    requeueParkedEvent: async (input: { params: { eventId: string } }) => {
      const answer = await requeue(input.params.eventId);
      if (answer instanceof ApiError) return answer;
      state = { ...state, parked: state.parked.filter((p) => p.event.id !== input.params.eventId), pending: state.pending + 1 };
      return { eventId: input.params.eventId, requeued: true };
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
  Reflect.deleteProperty(document, 'visibilityState');
});

describe('Feed delivery to the Teams channel (IT)', () => {
  it('shows IT a quiet status line when cards are getting through, with the digest mode', async () => {
    const { api, calls } = fakeApi(outbox(delivery({ pending: 3, digest: 'hourly' })));
    renderWithApp(<FeedPage />, { api, me: IT_ME });
    await within(panel()).findByText('Delivered to Teams · last card 5 minutes ago · 3 waiting · Pool draws: hourly digest');
    expect(within(panel()).queryAllByRole('alert')).toHaveLength(0);
    expect(document.querySelectorAll('.fui-MessageBar')).toHaveLength(0);
    expect(named(calls, 'feedDelivery')).toHaveLength(1);
  });

  it.each([
    ['an employee', EMPLOYEE_ME],
    ['an account manager', MANAGER_ME],
  ])('is not there for %s, and the delivery route is never called', async (_who, me) => {
    const { api, calls } = fakeApi(outbox(delivery()));
    renderWithApp(<FeedPage />, { api, me });
    await screen.findByText('Avery Chen drew 4 from the pool.');
    expect(screen.queryByRole('region', { name: 'Teams channel' })).toBeNull();
    expect(calls.map((c) => c.name)).toEqual(['feed']);
  });

  it('says when events are stuck and what the webhook said, pointing at Settings', async () => {
    const user = userEvent.setup();
    const navigate = vi.fn();
    const oldest = minutesAgo(40);
    const { api } = fakeApi(
      outbox(delivery({ stalled: true, pending: 3, oldestPendingAt: oldest, lastError: 'Webhook answered 404 (HTTP 404)', lastErrorAt: minutesAgo(1) })),
    );
    renderWithApp(<FeedPage />, { api, me: IT_ME, navigate });
    await within(panel()).findByText('Events are not reaching the Teams channel');
    const stalled = within(panel()).getByText(/^3 waiting since/);
    expect(stalled.textContent).toContain('Last error: Webhook answered 404 (HTTP 404) (1 minute ago).');
    // One bar for the stall and the error behind it, not a second one repeating the error.
    expect(document.querySelectorAll('.fui-MessageBar')).toHaveLength(1);
    expect(within(panel()).queryByText('The last card did not reach the channel')).toBeNull();
    expect(within(panel()).queryByText(/^Delivered to Teams/)).toBeNull();
    const link = within(panel()).getByRole('link', { name: 'Check the webhook URL in Settings.' });
    expect(link.getAttribute('href')).toBe('#/settings');
    await user.click(link);
    expect(navigate).toHaveBeenCalledWith('settings');
  });

  it('shows a refusal on its own when events are not (yet) stuck', async () => {
    const { api } = fakeApi(outbox(delivery({ pending: 1, lastError: 'Webhook answered 400: Bad payload (HTTP 400)', lastErrorAt: minutesAgo(2) })));
    renderWithApp(<FeedPage />, { api, me: IT_ME });
    await within(panel()).findByText('The last card did not reach the channel');
    within(panel()).getByText(/Webhook answered 400: Bad payload \(HTTP 400\) \(2 minutes ago\)\./);
    expect(within(panel()).queryByText('Events are not reaching the Teams channel')).toBeNull();
    within(panel()).getByRole('link', { name: 'Check the webhook URL in Settings.' });
  });

  it('says so when no channel is connected, with a way to connect one', async () => {
    const navigate = vi.fn();
    const { api } = fakeApi(outbox(delivery({ webhookConfigured: false, lastDeliveredAt: null, pending: 4 })));
    renderWithApp(<FeedPage />, { api, me: IT_ME, navigate });
    await within(panel()).findByText('No Teams channel connected');
    within(panel()).getByText(/The feed shows here only\./);
    const link = within(panel()).getByRole('link', { name: 'Connect one in Settings.' });
    await userEvent.setup().click(link);
    expect(navigate).toHaveBeenCalledWith('settings');
    expect(within(panel()).queryByText(/Delivered to Teams/)).toBeNull();
  });

  it('lists parked events, newest first, and sends one again with a key, then refreshes', async () => {
    const user = userEvent.setup();
    const { api, calls } = fakeApi(outbox(delivery({ parked: [STUCK, ORDER_NOW] })));
    renderWithApp(<FeedPage />, { api, me: IT_ME });
    await waitFor(() => expect(parkedRows()).toHaveLength(2));
    within(panel()).getByText('Not delivered (2)');
    const [first, second] = parkedRows();
    within(first!).getByText('Order now');
    within(first!).getByText(ORDER_NOW.event.message);
    within(first!).getByText('8 attempts');
    within(first!).getByText('Last error: Webhook answered 404 (HTTP 404)');
    within(first!).getByText('10 minutes ago');
    within(second!).getByText('Registration stuck');

    await user.click(within(second!).getByRole('button', { name: 'Send again' }));
    await waitFor(() => expect(parkedRows()).toHaveLength(1));
    const requeues = named(calls, 'requeueParkedEvent');
    expect(requeues).toHaveLength(1);
    expect(requeues[0]!.input.params).toEqual({ eventId: 'ev-stuck' });
    expect(requeues[0]!.input.idempotencyKey).toMatch(KEY);
    expect(named(calls, 'feedDelivery')).toHaveLength(2);
    expect(within(panel()).getByRole('status').textContent).toBe('The event is back in the queue for the Teams channel.');
    within(parkedRows()[0]!).getByText('Order now');
    // One left: no "Send all again".
    expect(within(panel()).queryByRole('button', { name: 'Send all again' })).toBeNull();
  });

  it('sends all parked events again once, even on a double click, each with its own key, showing progress', async () => {
    const user = userEvent.setup();
    const gate = deferred<undefined>();
    const { api, calls } = fakeApi(outbox(delivery({ parked: [ORDER_NOW, STUCK] }), (id) => (id === ORDER_NOW.event.id ? gate.promise : undefined)));
    renderWithApp(<FeedPage />, { api, me: IT_ME });
    await user.dblClick(await within(panel()).findByRole('button', { name: 'Send all again' }));
    const busy = within(panel()).getByRole('button', { name: 'Sending…' });
    expect(isDisabled(busy)).toBe(true);
    for (const row of parkedRows()) expect(isDisabled(within(row).getByRole('button', { name: 'Send again' }))).toBe(true);
    await act(async () => gate.resolve(undefined));
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Events not delivered to the Teams channel' })).toBeNull());
    const requeues = named(calls, 'requeueParkedEvent');
    expect(requeues.map((c) => c.input.params.eventId)).toEqual(['ev-order', 'ev-stuck']);
    for (const c of requeues) expect(c.input.idempotencyKey).toMatch(KEY);
    expect(new Set(requeues.map((c) => c.input.idempotencyKey)).size).toBe(2);
    expect(within(panel()).getByRole('status').textContent).toBe('2 events are back in the queue for the Teams channel.');
    expect(named(calls, 'feedDelivery')).toHaveLength(2);
  });

  it('shows why a send failed and tries again with the same key', async () => {
    const user = userEvent.setup();
    let failures = 1;
    const { api, calls } = fakeApi(
      outbox(delivery({ parked: [ORDER_NOW] }), () => (failures-- > 0 ? new ApiError(503, 'STORAGE_UNAVAILABLE', 'Storage is busy.') : undefined)),
    );
    renderWithApp(<FeedPage />, { api, me: IT_ME });
    await user.click(await within(panel()).findByRole('button', { name: 'Send again' }));
    const row = parkedRows()[0]!;
    await within(row).findByText('Not sent again');
    within(row).getByText(/Storage is busy/);
    expect(within(row).queryByText(/STORAGE_UNAVAILABLE/)).toBeNull();
    expect(named(calls, 'feedDelivery')).toHaveLength(1);
    await user.click(within(row).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Events not delivered to the Teams channel' })).toBeNull());
    const [firstTry, secondTry] = named(calls, 'requeueParkedEvent');
    expect(secondTry!.input.idempotencyKey).toBe(firstTry!.input.idempotencyKey);
  });

  it('shows a failure to load the status, with a retry', async () => {
    const user = userEvent.setup();
    let failures = 1;
    const { api } = fakeApi({ ...outbox(delivery()), feedDelivery: () => (failures-- > 0 ? new ApiError(0, 'NETWORK', 'Credit Desk could not be reached.') : delivery()) });
    renderWithApp(<FeedPage />, { api, me: IT_ME });
    await within(panel()).findByText('Could not check the Teams channel');
    await user.click(within(panel()).getByRole('button', { name: 'Try again' }));
    await within(panel()).findByText(/^Delivered to Teams/);
    expect(within(panel()).queryByText('Could not check the Teams channel')).toBeNull();
  });

  it('refreshes every 30 seconds while the page is visible, not while hidden, and on request', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let visibility: DocumentVisibilityState = 'visible';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
    const { api, calls } = fakeApi(outbox(delivery()));
    renderWithApp(<FeedPage />, { api, me: IT_ME });
    await within(panel()).findByText(/^Delivered to Teams/);
    const count = () => named(calls, 'feedDelivery').length;
    expect(count()).toBe(1);

    act(() => {
      vi.advanceTimersByTime(29_000);
    });
    expect(count()).toBe(1);
    act(() => {
      vi.advanceTimersByTime(1_000);
    });
    expect(count()).toBe(2);

    visibility = 'hidden';
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    act(() => {
      vi.advanceTimersByTime(120_000);
    });
    expect(count()).toBe(2);

    // Back in view: at once, then every 30 s again.
    visibility = 'visible';
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    expect(count()).toBe(3);
    act(() => {
      vi.advanceTimersByTime(30_000);
    });
    expect(count()).toBe(4);

    act(() => {
      within(panel()).getByRole('button', { name: 'Refresh' }).click();
    });
    expect(count()).toBe(5);
  });

  it('reads a fresh answer against its own arrival, not the page clock that ticks once a minute', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = new Date('2026-11-27T10:00:00.000Z');
    vi.setSystemTime(start);
    let lastDeliveredAt = '2026-11-27T09:59:00.000Z';
    const { api } = fakeApi({ ...outbox(delivery()), feedDelivery: () => delivery({ lastDeliveredAt }) });
    renderWithApp(<FeedPage />, { api, me: IT_ME });
    await within(panel()).findByText(/last card 1 minute ago/);
    // 50 s on (the page's clock has not ticked), a card went out 5 s ago.
    vi.setSystemTime(new Date(start.getTime() + 50_000));
    lastDeliveredAt = '2026-11-27T10:00:45.000Z';
    await userEvent.setup().click(within(panel()).getByRole('button', { name: 'Refresh' }));
    await within(panel()).findByText(/last card 5 seconds ago/);
  });
});

describe('delivery status wording', () => {
  it('counts waiting events, up to the limit the API counts to', () => {
    expect(waitingText({ pending: 0, pendingCountLimit: 1000 })).toBe('nothing waiting');
    expect(waitingText({ pending: 1, pendingCountLimit: 1000 })).toBe('1 waiting');
    expect(waitingText({ pending: 1000, pendingCountLimit: 1000 })).toBe('1,000+ waiting');
  });

  it('gives no notice when all is well, and ignores an old error once the channel is disconnected', () => {
    const now = new Date();
    expect(deliveryNotices(delivery({ pending: 5 }), now)).toEqual([]);
    expect(deliveryNotices(delivery({ webhookConfigured: false, lastError: 'old' }), now).map((n) => n.id)).toEqual(['unconnected']);
    const quietStall = deliveryNotices(delivery({ stalled: true, pending: 2, oldestPendingAt: minutesAgo(30) }), now);
    expect(quietStall.map((n) => n.id)).toEqual(['stalled']);
    expect(quietStall[0]!.text).toMatch(/^2 waiting since .+\. Nothing has been tried for a while/);
    expect(quietStall[0]!.settingsLink).toBeUndefined();
  });

  it('derives one valid key per event from an action key, the same each time', () => {
    const action = crypto.randomUUID();
    const a = keyForEvent(action, 'ev-order');
    expect(a).toMatch(KEY);
    expect(keyForEvent(action, 'ev-order')).toBe(a);
    expect(keyForEvent(action, 'ev-stuck')).not.toBe(a);
    expect(keyForEvent('x'.repeat(64), 'ev:1@tenant')).toMatch(KEY);
  });
});
