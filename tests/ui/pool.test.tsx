// @vitest-environment jsdom
import { configure, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/platform/api-client.js';
import PoolPage, { isPoolLow, poolSeries } from '../../src/tab/pool/index.js';
import { MANAGER_ME, fakeApi, renderWithApp } from './render.js';

configure({ asyncUtilTimeout: 5000 });

// jsdom lays nothing out, so it lacks the two SVG measuring calls the chart makes; answer them with zero
// size (as setup.ts does for matchMedia) so the real LineChart renders. Nothing of the chart is mocked.
const svg = SVGElement.prototype as SVGElement & { getComputedTextLength?: () => number; getBBox?: () => DOMRect };
svg.getComputedTextLength ??= () => 0;
svg.getBBox ??= () => ({ x: 0, y: 0, width: 0, height: 0 }) as DOMRect;

const LOTS = [
  { id: 'lot-1', purchaseId: 'purchase-1', appliedAt: '2026-09-01T10:00:00.000Z', credits: 500, remaining: 0, price: 2500, currency: 'USD' },
  { id: 'lot-2', purchaseId: 'purchase-2', appliedAt: '2026-10-01T10:00:00.000Z', credits: 1000, remaining: 250, price: 4800, currency: 'USD' },
];

const DRAWS = [
  { at: new Date(Date.now() - 2 * 3_600_000).toISOString(), credits: 12.5, count: 1, service: 'simulation', office: 'Seattle', memberId: 'blake', memberName: 'Blake Ortiz' },
  { at: new Date(Date.now() - 26 * 3_600_000).toISOString(), credits: 5, count: 1, service: 'cloud_rendering', office: 'Boston', memberId: 'avery', memberName: 'Avery Chen' },
];

function feedItem(id: string, at: string, poolAfter: number) {
  return { id, kind: 'pool_draw', at, message: '', credits: null, poolAfter, memberId: null, memberName: null, office: null, service: null, purchaseId: null, actor: null };
}

/** Newest first, as the API answers. */
const FEED = [
  feedItem('e4', '2026-10-03T09:00:00.000Z', 250),
  feedItem('e3', '2026-10-02T09:00:00.000Z', 262.5),
  feedItem('e2', '2026-10-01T10:00:00.000Z', 1000),
  feedItem('e1', '2026-09-01T10:00:00.000Z', 500),
];

describe('Pool dashboard', () => {
  it('builds the balance series oldest to newest from the feed', () => {
    const series = poolSeries(FEED);
    expect(series.map((p) => p.y)).toEqual([500, 1000, 262.5, 250]);
    expect(series.map((p) => p.x.toISOString())).toEqual(['2026-09-01T10:00:00.000Z', '2026-10-01T10:00:00.000Z', '2026-10-02T09:00:00.000Z', '2026-10-03T09:00:00.000Z']);
    // Two changes in the same instant keep the order they happened in (the feed lists the later one first).
    const same = poolSeries([feedItem('b', '2026-10-05T09:00:00.000Z', 90), feedItem('a', '2026-10-05T09:00:00.000Z', 100)]);
    expect(same.map((p) => p.y)).toEqual([100, 90]);
    // Out of order (e.g. pages put together): still oldest to newest.
    expect(poolSeries([FEED[2]!, FEED[0]!, FEED[3]!, FEED[1]!]).map((p) => p.y)).toEqual([500, 1000, 262.5, 250]);
    expect(poolSeries([])).toEqual([]);
  });

  it('shows the balance, members drawing, lots and named draws, and reads the last 200 changes', async () => {
    const { api, calls } = fakeApi({
      pool: () => ({ balance: 250, lots: LOTS, eligibleMembers: 3, recentDraws: DRAWS }),
      feed: () => ({ items: FEED, nextCursor: null }),
    });
    renderWithApp(<PoolPage />, { api, me: MANAGER_ME });
    expect((await screen.findByTestId('pool-balance')).textContent).toBe('250');
    expect(screen.getByTestId('eligible-members').textContent).toBe('3');
    expect(calls.find((c) => c.name === 'feed')!.input.query).toEqual({ limit: 200 });

    const lots = within(screen.getByRole('table', { name: 'Lots' })).getAllByRole('row').slice(1);
    expect(lots).toHaveLength(2);
    expect(within(lots[1]!).getByText('purchase-2')).toBeTruthy();
    expect(within(lots[1]!).getByText('1,000')).toBeTruthy();
    expect(within(lots[1]!).getByText('250 left')).toBeTruthy();
    expect(within(lots[1]!).getByText('$4,800.00')).toBeTruthy();
    expect(within(lots[1]!).getByText('$4.80 per credit')).toBeTruthy();

    const draws = within(screen.getByRole('table', { name: 'Recent draws' })).getAllByRole('row').slice(1);
    expect(within(draws[0]!).getByText('Blake Ortiz')).toBeTruthy();
    expect(within(draws[0]!).getByText('Simulation')).toBeTruthy();
    expect(within(draws[0]!).getByText('12.5')).toBeTruthy();
    expect(within(draws[0]!).getByText('2 hours ago')).toBeTruthy();
    expect(within(draws[1]!).getByText('Avery Chen')).toBeTruthy();

    // The chart draws the series oldest to newest, one point per pool change…
    const line = await screen.findByRole('region', { name: /Pool balance, line 1 of 1 with 4 data points/ });
    expect(within(line).getAllByRole('img').map((p) => p.getAttribute('aria-label')!.replace(/^.*Pool balance, /, ''))).toEqual(['500.', '1000.', '262.5.', '250.']);
    // …and says the same in words: first and last point, and the lowest.
    expect(screen.getByText(/From 500 on .* to 250 on .*; lowest 250\./)).toBeTruthy();
  });

  it('warns when the pool is under the share of the last purchase', async () => {
    expect(isPoolLow({ balance: 150, lots: LOTS }, 20)).toEqual({ low: true, threshold: 200 });
    expect(isPoolLow({ balance: 250, lots: LOTS }, 20).low).toBe(false);
    expect(isPoolLow({ balance: 0, lots: [] }, 20).low).toBe(false);

    const { api } = fakeApi({
      pool: () => ({ balance: 150, lots: LOTS, eligibleMembers: 0, recentDraws: [] }),
      feed: () => ({ items: [], nextCursor: null }),
    });
    renderWithApp(<PoolPage />, { api, me: MANAGER_ME });
    await screen.findByText('The pool is low');
    expect(screen.getByText(/No pool changes yet/)).toBeTruthy();
    expect(screen.getByText(/Nobody has drawn on the pool yet/)).toBeTruthy();
  });

  it('says how to fill an empty pool, and retries a failed load', async () => {
    const user = userEvent.setup();
    let fail = true;
    const navigated: string[] = [];
    const { api } = fakeApi({
      pool: () => (fail ? new ApiError(503, 'STORAGE_UNAVAILABLE', 'Storage is busy.') : { balance: 0, lots: [], eligibleMembers: 0, recentDraws: [] }),
      feed: () => ({ items: [], nextCursor: null }),
    });
    renderWithApp(<PoolPage />, { api, me: MANAGER_ME, navigate: (page) => navigated.push(page) });
    await screen.findByText(/STORAGE_UNAVAILABLE/);
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText(/No purchases applied yet/);
    await user.click(screen.getByText('Start a purchase'));
    expect(navigated).toEqual(['purchases']);
  });
});
