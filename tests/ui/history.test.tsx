// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TransferView } from '../../src/contract/schemas.js';
import { ApiError } from '../../src/platform/api-client.js';
import HistoryPage from '../../src/tab/history/index.js';
import { perspective } from '../../src/tab/history/rows.js';
import { csvCell, toCsv } from '../../src/ui/csv.js';
import { fakeApi, renderWithApp } from './render.js';

const ME = 'member:emp-1';

function transfer(id: string, fields: Partial<TransferView>): TransferView {
  return {
    id,
    postingId: `p-${id}`,
    code: 'usage_individual',
    debit: ME,
    credit: 'usage',
    credits: 1,
    memberId: 'emp-1',
    lotId: null,
    service: null,
    office: 'Boston',
    project: null,
    note: null,
    date: null,
    source: 'self',
    actor: 'emp-1',
    at: '2026-10-01T10:00:00.000Z',
    reverses: null,
    reason: null,
    ...fields,
  };
}

const REVERSAL = transfer('t5', { code: 'reversal', debit: 'usage', credit: ME, credits: 5, service: 'cloud_rendering', date: '2026-10-20', reverses: 't4', reason: 'Logged twice', source: 'manager', at: '2026-10-21T09:00:00.000Z' });
const POOL_DRAW = transfer('t4', { code: 'usage_pool', debit: 'pool', credit: 'usage', credits: 10, service: 'simulation', project: 'Harbour Bridge', note: 'wind study', date: '2026-10-15', lotId: 'lot-1' });
const OWN_USE = transfer('t3', { code: 'usage_individual', credits: 5, service: 'cloud_rendering', project: 'Tower A', note: '=HYPERLINK("http://evil","x")', date: '2026-10-10' });
const ALLOTMENT = transfer('t2', { code: 'allotment_granted', debit: 'contract', credit: ME, credits: 100, source: 'system', at: '2026-10-01T10:00:00.000Z' });

function pages(...answers: { items: TransferView[]; nextCursor: string | null }[]) {
  return fakeApi({ listUsage: ({ query }: { query: { cursor?: string } }) => answers[query.cursor ? Number(query.cursor) : 0] });
}

/** jsdom's Blob has no text(); its FileReader reads one. */
function readBlob(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsText(blob);
  });
}

const table = () => screen.getByRole('table', { name: 'Your history' });
const bodyRows = () => within(table()).getAllByRole('row').slice(1);
const entryTexts = () => bodyRows().map((r) => within(r).getAllByRole('cell')[1]!.textContent);

describe('CSV serializer', () => {
  it('quotes commas, quotes and line breaks, and doubles inner quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded ')).toBe('" padded "');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(12.5)).toBe('12.5');
  });

  it('defuses text that a spreadsheet would run as a formula', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+44 20')).toBe("'+44 20");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvCell('a=b')).toBe('a=b');
    // Our own numbers stay numbers, negative or not.
    expect(csvCell(-5)).toBe('-5');
  });

  it('writes a header and rows separated by CRLF', () => {
    expect(toCsv(['A', 'B'], [[1, 'x,y'], [null, '@me']])).toBe('A,B\r\n1,"x,y"\r\n,\'@me\r\n');
  });
});

describe('History amounts from the person’s point of view', () => {
  it('counts credits to them as +, debits as −, and pool draws on the pool', () => {
    expect(perspective(ALLOTMENT, 'emp-1')).toEqual({ amount: 100, side: 'own' });
    expect(perspective(OWN_USE, 'emp-1')).toEqual({ amount: -5, side: 'own' });
    expect(perspective(POOL_DRAW, 'emp-1')).toEqual({ amount: -10, side: 'pool' });
    expect(perspective(REVERSAL, 'emp-1')).toEqual({ amount: 5, side: 'own' });
    expect(perspective({ debit: 'usage', credit: 'pool:pack-1', credits: 3 }, 'emp-1')).toEqual({ amount: 3, side: 'pool' });
  });
});

describe('History page', () => {
  let created: Blob[];
  let downloads: string[];

  beforeEach(() => {
    created = [];
    downloads = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      created.push(blob as Blob);
      return 'blob:history';
    });
    URL.revokeObjectURL ??= () => {};
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('shows a skeleton while the first page loads', () => {
    const { api } = fakeApi({ listUsage: () => new Promise(() => {}) });
    renderWithApp(<HistoryPage />, { api });
    screen.getByLabelText('Loading your history');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('lists entries newest first with signed amounts, pool draws from the pool', async () => {
    const { api, calls } = pages({ items: [REVERSAL, POOL_DRAW, OWN_USE, ALLOTMENT], nextCursor: null });
    renderWithApp(<HistoryPage />, { api });
    await screen.findByRole('table', { name: 'Your history' });
    expect(calls[0]!.input.query).toEqual({ limit: 50 });
    const rows = bodyRows();
    expect(rows).toHaveLength(4);
    const amounts = rows.map((r) => within(r).getAllByRole('cell')[2]!.textContent);
    expect(amounts).toEqual(['+5', '−10from the pool', '−5', '+100']);
    expect(entryTexts()).toEqual(['Reversalundoes an earlier entry', 'Usage', 'Usage', 'Allotment']);
    within(rows[1]!).getByText('Simulation');
    within(rows[1]!).getByText('Harbour Bridge');
    within(rows[0]!).getByText('Logged twice');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('filters by kind, by service and by a search over project and note', async () => {
    const user = userEvent.setup();
    renderWithApp(<HistoryPage />, { api: pages({ items: [REVERSAL, POOL_DRAW, OWN_USE, ALLOTMENT], nextCursor: null }).api });
    await screen.findByRole('table', { name: 'Your history' });

    await user.selectOptions(screen.getByLabelText('Kind'), 'usage');
    expect(entryTexts()).toEqual(['Usage', 'Usage']);
    await user.selectOptions(screen.getByLabelText('Kind'), 'allotment');
    expect(entryTexts()).toEqual(['Allotment']);
    await user.selectOptions(screen.getByLabelText('Kind'), 'reversals');
    expect(entryTexts()).toEqual(['Reversalundoes an earlier entry']);

    await user.selectOptions(screen.getByLabelText('Kind'), 'all');
    await user.selectOptions(screen.getByLabelText('Service'), 'cloud_rendering');
    expect(bodyRows()).toHaveLength(2);

    await user.selectOptions(screen.getByLabelText('Service'), '');
    await user.type(screen.getByLabelText('Search project or note'), 'WIND');
    expect(bodyRows()).toHaveLength(1);
    within(bodyRows()[0]!).getByText('Harbour Bridge');
    screen.getByText(/1 of 4 loaded entries shown/);

    await user.clear(screen.getByLabelText('Search project or note'));
    await user.type(screen.getByLabelText('Search project or note'), 'nothing like this');
    expect(screen.queryByRole('table')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(bodyRows()).toHaveLength(4);
  });

  it('loads more pages while there is a next cursor', async () => {
    const user = userEvent.setup();
    const { api, calls } = pages({ items: [REVERSAL, POOL_DRAW], nextCursor: '1' }, { items: [OWN_USE, ALLOTMENT], nextCursor: null });
    renderWithApp(<HistoryPage />, { api });
    await screen.findByRole('table', { name: 'Your history' });
    expect(bodyRows()).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(bodyRows()).toHaveLength(4));
    expect(calls.map((c) => c.input.query)).toEqual([{ limit: 50 }, { cursor: '1', limit: 50 }]);
    expect(entryTexts().slice(2)).toEqual(['Usage', 'Allotment']);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('keeps the loaded entries when an older page fails, says so beside them and tries that page again', async () => {
    const user = userEvent.setup();
    let olderAttempts = 0;
    const { api, calls } = fakeApi({
      listUsage: ({ query }: { query: { cursor?: string } }) =>
        !query.cursor
          ? { items: [REVERSAL, POOL_DRAW], nextCursor: '1' }
          : ++olderAttempts === 1
            ? new ApiError(503, 'STORAGE_UNAVAILABLE', 'Storage is busy.')
            : { items: [OWN_USE, ALLOTMENT], nextCursor: null },
    });
    renderWithApp(<HistoryPage />, { api });
    await screen.findByRole('table', { name: 'Your history' });
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText('Older entries could not be loaded');
    expect(bodyRows()).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(bodyRows()).toHaveLength(4));
    expect(screen.queryByText('Older entries could not be loaded')).toBeNull();
    expect(calls.map((c) => c.input.query)).toEqual([{ limit: 50 }, { cursor: '1', limit: 50 }, { cursor: '1', limit: 50 }]);
  });

  it('shows an entry once when the page boundary moved between two pages', async () => {
    const user = userEvent.setup();
    const { api } = pages({ items: [REVERSAL, POOL_DRAW], nextCursor: '1' }, { items: [POOL_DRAW, OWN_USE, ALLOTMENT], nextCursor: null });
    renderWithApp(<HistoryPage />, { api });
    await screen.findByRole('table', { name: 'Your history' });
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull());
    expect(entryTexts()).toEqual(['Reversalundoes an earlier entry', 'Usage', 'Usage', 'Allotment']);
    screen.getByText(/^4 entries/);
  });

  it('exports the filtered rows as CSV, with formula text defused', async () => {
    const user = userEvent.setup();
    renderWithApp(<HistoryPage />, { api: pages({ items: [REVERSAL, POOL_DRAW, OWN_USE, ALLOTMENT], nextCursor: null }).api });
    await screen.findByRole('table', { name: 'Your history' });
    await user.selectOptions(screen.getByLabelText('Kind'), 'usage');
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(created).toHaveLength(1);
    expect(downloads).toHaveLength(1);
    expect(downloads[0]).toMatch(/^credit-history-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await readBlob(created[0]!);
    const lines = text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines).toEqual([
      'Used on,Recorded at,Entry,Code,Service,Project,Note,Amount,From,Reverses',
      '2026-10-15,2026-10-01T10:00:00.000Z,Usage,usage_pool,Simulation,Harbour Bridge,wind study,-10,Shared pool,',
      '2026-10-10,2026-10-01T10:00:00.000Z,Usage,usage_individual,Cloud rendering,Tower A,"\'=HYPERLINK(""http://evil"",""x"")",-5,Your credits,',
      '',
    ]);
  });

  // After an import, the server's pages are in recording order: today's entry, the import's batch (its
  // rows by usage day, the self-logged entry it replaced undone first), then the older self-logged ones.
  const IMPORTED_AT = '2026-12-07T08:00:00.000Z';
  const fromImport = (id: string, fields: Partial<TransferView>) => transfer(id, { source: 'import:imp-9zq', actor: 'mgr-1', at: IMPORTED_AT, postingId: 'p-import', ...fields });
  const TODAY = transfer('d7', { date: '2026-12-07', credits: 2, service: 'cloud_rendering', at: '2026-12-07T09:00:00.000Z' });
  const REPLACED = fromImport('i.00', { code: 'reversal', debit: 'usage', credit: ME, credits: 3, date: '2026-12-06', reverses: 'd6', reason: "Confirmed by Autodesk's usage export (import imp-9zq, line 4)" });
  const IMPORTED_2 = fromImport('i.01', { date: '2026-12-02', credits: 4, service: 'simulation', note: 'Job simulation-1950' });
  const IMPORTED_1 = fromImport('i.02', { date: '2026-12-01', credits: 5, service: 'simulation' });
  const LOGGED_6 = transfer('d6', { date: '2026-12-06', credits: 3, service: 'generative_design', at: '2026-12-06T15:00:00.000Z' });
  const LOGGED_5 = transfer('d5', { date: '2026-12-05', credits: 1, service: 'cloud_rendering', at: '2026-12-05T10:00:00.000Z' });
  const usedOn = () => bodyRows().map((r) => within(r).getAllByRole('cell')[0]!.textContent);

  it('orders the history by the day the credits were used, then by when recorded, and says which is which', async () => {
    renderWithApp(<HistoryPage />, { api: pages({ items: [TODAY, REPLACED, IMPORTED_2, IMPORTED_1, LOGGED_6, LOGGED_5], nextCursor: null }).api });
    await screen.findByRole('table', { name: 'Your history' });
    const headings = within(table()).getAllByRole('columnheader').map((h) => h.textContent);
    expect(headings).toEqual(['Used on', 'Entry', 'Amount', 'Service', 'Project', 'Note', 'Recorded']);
    expect(usedOn()).toEqual(['Dec 7, 2026', 'Dec 6, 2026', 'Dec 6, 2026', 'Dec 5, 2026', 'Dec 2, 2026', 'Dec 1, 2026']);
    // The same usage day: the reversal recorded by the import comes before the entry it undoes.
    expect(bodyRows().map((r) => within(r).getAllByRole('cell')[1]!.textContent)).toEqual([
      'Usage',
      'Reversalundoes an earlier entry',
      'Usage',
      'Usage',
      "Usagefrom Autodesk's usage export",
      "Usagefrom Autodesk's usage export",
    ]);
    screen.getByText(/by the day the credits were used, then by when they were recorded/);
  });

  it('says an entry an import replaced was undone, not confirmed, and shows no import ids', async () => {
    renderWithApp(<HistoryPage />, { api: pages({ items: [TODAY, REPLACED, IMPORTED_2, IMPORTED_1, LOGGED_6, LOGGED_5], nextCursor: null }).api });
    await screen.findByRole('table', { name: 'Your history' });
    const reversal = bodyRows()[1]!;
    const note = within(reversal).getAllByRole('cell')[5]!.textContent;
    expect(note).toMatch(/Replaced by the same usage in Autodesk's usage export/);
    expect(table().textContent).not.toMatch(/Confirmed by/);
    expect(table().textContent).not.toContain('imp-9zq');
    within(bodyRows()[4]!).getByText('Job simulation-1950');
  });

  it('puts a later page’s entries in their place and says which days may still grow', async () => {
    const user = userEvent.setup();
    const { api } = pages({ items: [TODAY, REPLACED, IMPORTED_2, IMPORTED_1], nextCursor: '1' }, { items: [LOGGED_6, LOGGED_5], nextCursor: null });
    renderWithApp(<HistoryPage />, { api });
    await screen.findByRole('table', { name: 'Your history' });
    // Everything not loaded was recorded before Dec 7, 08:00 UTC: only days up to Dec 8 can still gain entries.
    screen.getByText(/entries used on or before Dec 8, 2026 may not all be loaded yet/);
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(bodyRows()).toHaveLength(6));
    expect(usedOn()).toEqual(['Dec 7, 2026', 'Dec 6, 2026', 'Dec 6, 2026', 'Dec 5, 2026', 'Dec 2, 2026', 'Dec 1, 2026']);
    expect(screen.queryByText(/may not all be loaded yet/)).toBeNull();
  });

  it('names each value of an entry, so a narrow screen can stack entries as blocks, and leaves out what an entry lacks', async () => {
    renderWithApp(<HistoryPage />, { api: pages({ items: [POOL_DRAW, ALLOTMENT], nextCursor: null }).api });
    await screen.findByText('Harbour Bridge');
    const labels = (row: HTMLElement) => within(row).getAllByRole('cell').map((c) => c.getAttribute('data-label'));
    expect(labels(bodyRows()[0]!)).toEqual(['Used on', null, null, 'Service', 'Project', 'Note', 'Recorded']);
    const [draw, allotment] = bodyRows().map((r) => within(r).getAllByRole('cell'));
    // The allotment has no service, project or note: those cells are marked to drop out when stacked.
    const blank = (cell: HTMLElement, of: HTMLElement) => cell.className !== of.className;
    expect(blank(allotment![4]!, draw![4]!)).toBe(true);
    expect(blank(allotment![6]!, draw![6]!)).toBe(false);
  });

  it('says what to do when there is nothing yet', async () => {
    const user = userEvent.setup();
    const visited: string[] = [];
    renderWithApp(<HistoryPage />, { api: pages({ items: [], nextCursor: null }).api, navigate: (page) => void visited.push(page) });
    await screen.findByText('Nothing yet: log usage from My credits.');
    expect(screen.getByRole('button', { name: 'Export CSV' }).hasAttribute('disabled')).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Go to My credits' }));
    expect(visited).toEqual(['my-credits']);
  });

  it('shows a failure in plain words and tries again', async () => {
    const user = userEvent.setup();
    let attempts = 0;
    const { api } = fakeApi({
      listUsage: () => (++attempts === 1 ? new ApiError(503, 'STORAGE_UNAVAILABLE', 'Storage is busy.') : { items: [ALLOTMENT], nextCursor: null }),
    });
    renderWithApp(<HistoryPage />, { api });
    await screen.findByText(/Storage is busy/);
    expect(screen.queryByText(/STORAGE_UNAVAILABLE/)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByRole('table', { name: 'Your history' });
    expect(bodyRows()).toHaveLength(1);
  });
});
