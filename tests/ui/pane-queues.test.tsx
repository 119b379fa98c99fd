// @vitest-environment jsdom
import { FluentProvider, teamsLightTheme } from '@fluentui/react-components';
import { render, screen, within } from '@testing-library/react';
import { describe, it } from 'vitest';
import type { PurchaseView } from '../../src/contract/schemas.js';
import { PaneContext } from '../../src/addin/pane-context.js';
import { QueuesView } from '../../src/addin/queues/QueuesView.js';
import { MANAGER_ME, POLICY, fakeApi } from './render.js';

const DAY = 86_400_000;
/** A working day `n` working days before now, at the same time (Monday to Friday, as the default policy). */
function workingDaysAgo(n: number): string {
  let t = Date.now();
  for (let left = n; left > 0; ) {
    t -= DAY;
    const weekday = new Date(t).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return new Date(t).toISOString();
}

function purchase(id: string, state: PurchaseView['state'], blocks: number, since: string): PurchaseView {
  return { id, blocks, credits: blocks * 100, state, reason: null, quoteNumber: null, price: null, currency: null, poNumber: null, requestedBy: 'am-1', createdAt: since, updatedAt: since, steps: [{ type: state, at: since, by: 'am-1' }] };
}

describe('Outlook pane: the queues at a glance', () => {
  it('judges purchases slow by the board’s and the alert’s rule, and says why', async () => {
    // Ordered ten working days ago (seven allowed): slow. A quote asked for one working day ago (two allowed): not.
    const items = [purchase('p-late', 'ordered', 5, workingDaysAgo(10)), purchase('p-quote', 'quote_requested', 2, workingDaysAgo(1))];
    const { api } = fakeApi({
      listRegistrations: () => ({ items: [], nextCursor: null }),
      listPurchases: () => ({ items, nextCursor: null }),
      pool: () => ({ balance: 22.59, held: 0, lots: [], eligibleMembers: 0, recentDraws: [] }),
      poolForecast: () => ({ orderByDate: null, orderNow: false, recommendedBlocks: 0, horizonDays: 60 }),
    });
    render(
      <FluentProvider theme={teamsLightTheme}>
        <PaneContext.Provider value={{ api, me: MANAGER_ME, settings: POLICY, firmDomains: ['contoso.example'], tabLink: (page) => `#/${page}` }}>
          <QueuesView />
        </PaneContext.Provider>
      </FluentProvider>,
    );
    const queues = await screen.findByRole('region', { name: 'Queues at a glance' });
    within(queues).getByText('5 blocks, slow: waiting to land in the pool for 10 working days (expected 7)');
    within(queues).getByText('2 blocks, waiting for the reseller’s quote for 1 working day (expected 2)');
  });
});
