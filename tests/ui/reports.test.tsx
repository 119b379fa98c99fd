// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChargebackResponse } from '../../src/contract/schemas.js';
import { ApiError } from '../../src/platform/api-client.js';
import ReportsPage, { chargebackCsv } from '../../src/tab/reports/index.js';
import { localToday } from '../../src/ui/format.js';
import { MANAGER_ME, fakeApi, renderWithApp } from './render.js';

// jsdom lays nothing out; the real bar chart measures text with these (as in pool.test.tsx). Nothing is mocked.
const svg = SVGElement.prototype as SVGElement & { getComputedTextLength?: () => number; getBBox?: () => DOMRect };
svg.getComputedTextLength ??= () => 0;
svg.getBBox ??= () => ({ x: 0, y: 0, width: 0, height: 0 }) as DOMRect;

const zero = { own: 0, pool: 0, total: 0, people: 0, poolCost: [], unpriced: 0 };

function answer(groupBy: ChargebackResponse['groupBy'], query: { from: string; to: string }): ChargebackResponse {
  if (groupBy === 'project') {
    return {
      ...query,
      groupBy,
      groups: [
        { key: '=HYPERLINK("http://evil","x")', label: '=HYPERLINK("http://evil","x")', own: 10, pool: 5, total: 15, people: 1, poolCost: [{ currency: 'USD', amount: 25 }], unpriced: 0 },
        { key: '(none)', label: '(none)', own: 3, pool: 0, total: 3, people: 1, poolCost: [], unpriced: 0 },
      ],
      totals: { own: 13, pool: 5, total: 18, people: 2, poolCost: [{ currency: 'USD', amount: 25 }], unpriced: 0 },
    };
  }
  return {
    ...query,
    groupBy,
    groups: [
      { key: 'Boston', label: 'Boston', own: 200, pool: 110, total: 310, people: 2, poolCost: [{ currency: 'USD', amount: 580 }], unpriced: 0 },
      { key: 'Chicago', label: 'Chicago', own: 10, pool: 4, total: 14, people: 1, poolCost: [], unpriced: 4 },
    ],
    totals: { own: 210, pool: 114, total: 324, people: 3, poolCost: [{ currency: 'USD', amount: 580 }], unpriced: 4 },
  };
}

type Query = { from: string; to: string; groupBy: ChargebackResponse['groupBy'] };
const reportApi = () => fakeApi({ chargebackReport: ({ query }: { query: Query }) => answer(query.groupBy, query) });
const rows = () => within(screen.getByRole('table')).getAllByRole('row').slice(1);
const cells = (row: HTMLElement) => within(row).getAllByRole('cell').map((c) => c.textContent);

function readBlob(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsText(blob);
  });
}

describe('Reports page', () => {
  let created: Blob[];
  let downloads: string[];
  beforeEach(() => {
    created = [];
    downloads = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      created.push(blob as Blob);
      return 'blob:report';
    });
    URL.revokeObjectURL ??= () => {};
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('shows a skeleton while the report loads', () => {
    const { api } = fakeApi({ chargebackReport: () => new Promise(() => {}) });
    renderWithApp(<ReportsPage />, { api, me: MANAGER_ME });
    screen.getByLabelText('Loading the report');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('asks for the current month so far by office, and lists the groups and a totals row', async () => {
    const { api, calls } = reportApi();
    renderWithApp(<ReportsPage />, { api, me: MANAGER_ME });
    await screen.findByRole('table', { name: 'Usage by office' });
    const today = localToday();
    expect(calls[0]!.input.query).toEqual({ from: `${today.slice(0, 8)}01`, to: today, groupBy: 'office' });
    const [boston, chicago, total] = rows();
    expect(cells(boston!)).toEqual(['Boston', '200', '110', '310', '2', '$580.00']);
    expect(cells(chicago!)[0]).toBe('Chicago');
    expect(cells(chicago!)[5]).toBe('— (+ 4 credits without a price)');
    expect(cells(total!).slice(0, 5)).toEqual(['Total', '210', '114', '324', '3']);
  });

  it('asks again with the new grouping when the group-by changes', async () => {
    const user = userEvent.setup();
    const { api, calls } = reportApi();
    renderWithApp(<ReportsPage />, { api, me: MANAGER_ME });
    await screen.findByRole('table', { name: 'Usage by office' });
    await user.click(screen.getByRole('combobox', { name: 'Group by' }));
    await user.click(screen.getByRole('option', { name: 'Project' }));
    await screen.findByRole('table', { name: 'Usage by project' });
    expect((calls.at(-1)!.input.query as Query).groupBy).toBe('project');
    expect(cells(rows()[1]!)[0]).toBe('(none)');
  });

  it('asks again when a date changes', async () => {
    const user = userEvent.setup();
    const { api, calls } = reportApi();
    renderWithApp(<ReportsPage />, { api, me: MANAGER_ME });
    await screen.findByRole('table');
    const from = screen.getByLabelText('From');
    await user.clear(from);
    await user.type(from, '2026-01-01');
    await waitFor(() => expect((calls.at(-1)!.input.query as Query).from).toBe('2026-01-01'));
  });

  it('downloads the report as CSV, a formula-looking project name defused', async () => {
    const user = userEvent.setup();
    const { api } = reportApi();
    renderWithApp(<ReportsPage />, { api, me: MANAGER_ME });
    await screen.findByRole('table');
    await user.click(screen.getByRole('combobox', { name: 'Group by' }));
    await user.click(screen.getByRole('option', { name: 'Project' }));
    await screen.findByRole('table', { name: 'Usage by project' });
    await user.click(screen.getByRole('button', { name: 'Download CSV' }));
    expect(downloads).toHaveLength(1);
    expect(downloads[0]).toMatch(/^chargeback-project-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = (await readBlob(created[0]!)).replace(/^\uFEFF/, '');
    expect(text.split('\r\n')).toEqual([
      'Project,Own credits,Pool credits,Total credits,People,Pool cost (USD),Pool credits without a price',
      `"'=HYPERLINK(""http://evil"",""x"")",10,5,15,1,25,0`,
      '(none),3,0,3,1,0,0',
      'Total,13,5,18,2,25,0',
      '',
    ]);
  });

  it('writes a pool-cost column per currency', () => {
    const report: ChargebackResponse = {
      from: '2026-10-01',
      to: '2026-10-31',
      groupBy: 'person',
      groups: [{ key: 'a', label: '@Ann', own: 1, pool: 2, total: 3, people: 1, poolCost: [{ currency: 'EUR', amount: 8 }, { currency: 'USD', amount: 10 }], unpriced: 0 }],
      totals: { own: 1, pool: 2, total: 3, people: 1, poolCost: [{ currency: 'EUR', amount: 8 }, { currency: 'USD', amount: 10 }], unpriced: 0 },
    };
    expect(chargebackCsv(report, 'credits').split('\r\n').slice(0, 2)).toEqual([
      'Person,Own credits,Pool credits,Total credits,People,Pool cost (EUR),Pool cost (USD),Pool credits without a price',
      "'@Ann,1,2,3,1,8,10,0",
    ]);
  });

  it('says so when the range has no usage, and shows a coded error', async () => {
    const empty = fakeApi({ chargebackReport: ({ query }: { query: Query }) => ({ ...query, groups: [], totals: zero }) });
    const view = renderWithApp(<ReportsPage />, { api: empty.api, me: MANAGER_ME });
    await screen.findByText('No usage in this range.');
    expect(screen.getByRole('button', { name: 'Download CSV' }).hasAttribute('disabled')).toBe(true);
    view.unmount();

    const failing = fakeApi({ chargebackReport: () => new ApiError(400, 'RANGE_TOO_LONG', 'A report covers at most 366 days; this range has 400.') });
    renderWithApp(<ReportsPage />, { api: failing.api, me: MANAGER_ME });
    await screen.findByText('The report could not be made');
    screen.getByText(/A report covers at most 366 days/);
    expect(screen.queryByRole('table')).toBeNull();
  });
});
