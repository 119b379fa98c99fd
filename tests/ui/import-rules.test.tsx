// @vitest-environment jsdom
import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ImportView } from '../../src/contract/imports.js';
import { CommitPanel, commitSummary } from '../../src/tab/imports/CommitPanel.js';
import { DateOrderQuestion } from '../../src/tab/imports/DateOrderQuestion.js';
import { MANAGER_ME, fakeApi, renderWithApp } from './render.js';

/** Issue 18 on the Imports page: the date-order question, repeated rows held back, and an import that posted nothing. */
function view(overrides: Partial<ImportView> = {}): ImportView {
  return {
    id: 'imp-1',
    kind: 'usage',
    fileName: 'usage.csv',
    sizeBytes: 1200,
    uploadedAt: '2026-11-02T10:00:00.000Z',
    uploadedBy: 'am-1',
    state: 'ready',
    format: 'cloud_services',
    unit: 'credits',
    encoding: 'UTF-8',
    delimiter: 'comma',
    headers: ['Date', 'Email', 'Service', 'Cloud Credits Used'],
    mapping: { date: 'Date', email: 'Email', service: 'Service', amount: 'Cloud Credits Used' },
    unknownHeaders: [],
    missingFields: [],
    dateOrder: 'mdy',
    dateQuestion: null,
    postRepeated: false,
    mappingRemembered: false,
    dateRange: { from: '2026-10-01', to: '2026-10-31' },
    rows: { total: 4, valid: 3, refused: 0, unmatched: 0, skipped: 0, repeated: 0, zero: 0 },
    amount: 30,
    preview: [],
    problems: [],
    problemsTruncated: false,
    unmatched: [],
    progress: null,
    waitingFor: null,
    result: null,
    error: null,
    ...overrides,
  };
}

describe('the date-order question', () => {
  const asking = view({
    state: 'needs_date_order',
    dateOrder: null,
    dateRange: null,
    dateQuestion: [{ line: 2, value: '06/12/2026', monthFirst: '2026-06-12', dayFirst: '2026-12-06' }],
  });

  it('shows the file’s dates read both ways and saves the answer with the import', async () => {
    const { api, calls } = fakeApi({ mapImportColumns: () => view({ dateOrder: 'dmy', dateQuestion: asking.dateQuestion }) });
    const saved: ImportView[] = [];
    renderWithApp(<DateOrderQuestion view={asking} onSaved={(v) => saved.push(v)} />, { api, me: MANAGER_ME });
    screen.getByText('Which comes first, the month or the day?');
    expect(screen.getByRole('list', { name: 'Dates from the file' }).textContent).toBe('Line 2: 06/12/2026 is Jun 12, 2026 if the month comes first, or Dec 6, 2026 if the day does.');
    await userEvent.click(screen.getByRole('button', { name: 'Day first' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(calls).toEqual([{ name: 'mapImportColumns', input: { params: { id: 'imp-1' }, body: { mapping: {}, dateOrder: 'dmy' } } }]);
  });

  it('keeps the post button off until it is answered', () => {
    const { api } = fakeApi({});
    renderWithApp(<CommitPanel view={asking} unit="credits" onSaved={() => {}} pollError={undefined} />, { api, me: MANAGER_ME });
    expect(screen.getByRole('button', { name: 'Post to the ledger…' }).hasAttribute('disabled')).toBe(true);
    screen.getByText('Say above whether the file’s dates put the month or the day first.');
  });
});

describe('rows that post nothing', () => {
  it('repeated rows are left out unless the person ticks them in', async () => {
    const repeated = view({ rows: { total: 4, valid: 3, refused: 0, unmatched: 0, skipped: 0, repeated: 1, zero: 1 } });
    expect(commitSummary(repeated, 'credits')).toEqual(
      expect.arrayContaining(['1 row that repeats an earlier row exactly is left out.', '1 row has 0 used: nothing to post for it.']),
    );
    const { api, calls } = fakeApi({ mapImportColumns: () => view({ ...repeated, postRepeated: true }) });
    renderWithApp(<CommitPanel view={repeated} unit="credits" onSaved={() => {}} pollError={undefined} />, { api, me: MANAGER_ME });
    await userEvent.click(screen.getByRole('checkbox', { name: /Post it too/ }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toEqual({ name: 'mapImportColumns', input: { params: { id: 'imp-1' }, body: { mapping: {}, postRepeated: true } } });
  });

  it('an import that posted nothing says nothing new, and no alert', () => {
    const result = { posted: 0, alreadyImported: 3, skipped: 0, settled: 0, amount: 0, fromPool: 0, unconfirmedProvisional: 0, reconciliationAlert: false };
    const { api } = fakeApi({});
    renderWithApp(<CommitPanel view={view({ state: 'committed', result })} unit="credits" onSaved={() => {}} pollError={undefined} />, { api, me: MANAGER_ME });
    expect(screen.getByTestId('import-nothing-new').textContent).toMatch(/^Nothing newEvery row of this file was already in the ledger/);
    expect(screen.queryByText('Reconciliation alert')).toBeNull();
  });
});

describe('daily totals uploaded again', () => {
  const base = { skipped: 0, settled: 0, fromPool: 0, unconfirmedProvisional: 0, reconciliationAlert: false };

  it('says how much was added to days already imported, with no internal code', () => {
    const result = { ...base, posted: 1, alreadyImported: 1, amount: 3, daysGrown: 1, grownAmount: 3, daysLower: 0 };
    const { api } = fakeApi({});
    renderWithApp(<CommitPanel view={view({ state: 'committed', format: 'usage_report_2026', result })} unit="credits" onSaved={() => {}} pollError={undefined} />, { api, me: MANAGER_ME });
    const done = screen.getByText(/rows? posted/).textContent ?? '';
    expect(done).toContain('1 row posted, 3 credits in all. 3 credits added to a day already imported.');
  });

  it('says a lower day total was left as it was when nothing else was new', () => {
    const result = { ...base, posted: 0, alreadyImported: 1, amount: 0, daysGrown: 0, grownAmount: 0, daysLower: 2 };
    const { api } = fakeApi({});
    renderWithApp(<CommitPanel view={view({ state: 'committed', format: 'usage_report_2026', result })} unit="tokens" onSaved={() => {}} pollError={undefined} />, { api, me: MANAGER_ME });
    const text = screen.getByTestId('import-nothing-new').textContent ?? '';
    expect(text).toContain("2 days' totals are lower than already imported: left as they were (the report names the lines). Every other row was already in the ledger");
    expect(text).not.toMatch(/DAY_TOTAL_LOWER|daysLower/);
  });
});
