// @vitest-environment jsdom
/**
 * No internal codes on screen (issue 19, item 8): errors in words with the code and request id behind IT's
 * "Details" only, fields named as the forms label them, lots named by where they came from, the Outlook
 * pane's reading of a mail as a sentence.
 */
import { FluentProvider, teamsLightTheme } from '@fluentui/react-components';
import { render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { MessagePane } from '../../src/addin/MessagePane.js';
import { PaneContext } from '../../src/addin/pane-context.js';
import { sampleMailbox } from '../../src/addin/dev/sample-mailbox.js';
import { SAMPLE_MESSAGES } from '../../src/addin/dev/samples.js';
import type { MeResponse } from '../../src/contract/schemas.js';
import { ApiError } from '../../src/platform/api-client.js';
import HistoryPage from '../../src/tab/history/index.js';
import { ProblemsTable } from '../../src/tab/imports/PreviewTable.js';
import PoolPage from '../../src/tab/pool/index.js';
import SettingsPage from '../../src/tab/settings/index.js';
import { formatDay } from '../../src/ui/format.js';
import { ShowsSupportDetails } from '../../src/ui/shows-support-details.js';
import { EMPLOYEE_ME, IT_ME, MANAGER_ME, POLICY, SETTINGS, fakeApi, renderWithApp } from './render.js';

const CODE_IN_BRACKETS = /\([A-Z][A-Z_]{3,}\)/;

/** A refusal whose message is written for the log: a state as stored, an id. */
const TECHNICAL_REFUSAL = new ApiError(409, 'INVALID_TRANSITION', 'A purchase in state "quote_requested" cannot take "ordered".', { from: 'quote_requested' }, 'req-7f3a');

function failingHistory(me: MeResponse) {
  const { api } = fakeApi({ listUsage: () => TECHNICAL_REFUSAL });
  renderWithApp(<HistoryPage />, { api, me });
}

describe('errors on screen', () => {
  it('an employee reads what went wrong in words: no code, no stored state, no Details', async () => {
    failingHistory(EMPLOYEE_ME);
    const bar = await screen.findByText('Your history could not be loaded');
    const text = bar.parentElement!.textContent;
    expect(text).toContain('Someone may have changed this meanwhile');
    expect(text).not.toMatch(CODE_IN_BRACKETS);
    expect(document.body.textContent).not.toContain('INVALID_TRANSITION');
    expect(document.body.textContent).not.toContain('quote_requested');
    expect(screen.queryByRole('button', { name: 'Details' })).toBeNull();
  });

  it('an account manager sees no Details either', async () => {
    failingHistory(MANAGER_ME);
    await screen.findByText('Your history could not be loaded');
    expect(screen.queryByRole('button', { name: 'Details' })).toBeNull();
    expect(document.body.textContent).not.toContain('req-7f3a');
  });

  it('IT finds the code and the request id under Details, closed until asked for', async () => {
    const user = userEvent.setup();
    failingHistory(IT_ME);
    await screen.findByText('Your history could not be loaded');
    expect(document.body.textContent).not.toContain('INVALID_TRANSITION');
    await user.click(screen.getByRole('button', { name: 'Details' }));
    await waitFor(() => expect(document.body.textContent).toContain('INVALID_TRANSITION'));
    expect(document.body.textContent).toContain('req-7f3a');
    expect(document.body.textContent).toContain('Request id');
  });

  it("a validation error names the field as the form labels it, not the API's property", async () => {
    const user = userEvent.setup();
    const { api } = fakeApi({
      getSettings: () => ({ ...structuredClone(SETTINGS), packExpiryMonths: 12 }),
      putSettings: () =>
        new ApiError(400, 'VALIDATION_FAILED', 'Flex token packs expire: set the months until a pack expires (12 on Autodesk Flex).', {
          fields: ['packExpiryMonths'],
          problems: [{ field: 'packExpiryMonths', message: 'Flex token packs expire: set the months until a pack expires (12 on Autodesk Flex).' }],
        }),
    });
    renderWithApp(<SettingsPage />, { api, me: IT_ME });
    const block = await screen.findByLabelText('Block size');
    await user.clear(block);
    await user.type(block, '200');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Not saved');
    // The rule across fields stands next to the field it names.
    const months = await screen.findByLabelText('Months until a pack expires');
    expect(months.getAttribute('aria-invalid')).toBe('true');
    expect(document.body.textContent).not.toContain('packExpiryMonths');
    expect(document.body.textContent).not.toMatch(CODE_IN_BRACKETS);
  });

  it('a schema issue the form cannot place is listed under the field name in words', async () => {
    const user = userEvent.setup();
    const { api } = fakeApi({
      getSettings: () => structuredClone(SETTINGS),
      putSettings: () => new ApiError(400, 'VALIDATION_FAILED', 'The body is not valid.', { issues: [{ path: 'packExpiryMonths', message: 'Must be at most 120' }] }),
    });
    renderWithApp(<SettingsPage />, { api, me: IT_ME });
    const block = await screen.findByLabelText('Block size');
    await user.clear(block);
    await user.type(block, '200');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Check this: Pack expiry (months): Must be at most 120.');
    expect(document.body.textContent).not.toContain('packExpiryMonths');
  });

  it("an import's row problems are named in words, not by their codes", () => {
    renderWithApp(<ProblemsTable problems={[{ line: 4, code: 'WRONG_COLUMN_COUNT', message: 'This line has 3 values but the header has 4 columns.' }]} />, { api: fakeApi({}).api, me: MANAGER_ME });
    const table = screen.getByRole('table', { name: 'Problems found' });
    within(table).getByText('Values do not fit the columns');
    expect(table.textContent).not.toContain('WRONG_COLUMN_COUNT');
  });
});

describe("the pool's lots", () => {
  const LOTS = [
    { id: 'opening', purchaseId: 'opening', source: 'opening_balance' as const, requestedAt: null, appliedAt: '2026-08-03T09:00:00.000Z', credits: 300, remaining: 0 },
    { id: 'lot-zd33y8', purchaseId: 'zd33y8kq1v', source: 'purchase' as const, requestedAt: '2026-11-03T09:00:00.000Z', appliedAt: '2026-11-12T10:00:00.000Z', credits: 500, remaining: 420 },
  ];
  const forecast = () => new ApiError(503, 'STORAGE_UNAVAILABLE', 'Storage is busy.');
  const pool = (lots: unknown[]) => ({ balance: 420, held: 0, lots, eligibleMembers: 3, recentDraws: [], overdraft: null });

  it('an account manager reads each lot by its purchase title and day, or as the opening balance; never an id', async () => {
    const priced = [LOTS[0], { ...LOTS[1], title: 'Q4 top-up\nfor the Denver rendering push', price: 2500, currency: 'USD' }];
    const { api } = fakeApi({ pool: () => pool(priced), poolForecast: forecast });
    renderWithApp(<PoolPage />, { api, me: MANAGER_ME });
    const table = await screen.findByRole('table', { name: 'Lots' });
    within(table).getByText(`Q4 top-up · ${formatDay('2026-11-03T09:00:00.000Z')}`);
    within(table).getByText(`Opening balance · ${formatDay('2026-08-03T09:00:00.000Z')}`);
    expect(table.textContent).not.toContain('zd33y8');
  });

  it('an employee, who reads no purchases, sees a purchase by its day only', async () => {
    const { api } = fakeApi({ pool: () => pool(LOTS), poolForecast: forecast });
    renderWithApp(<PoolPage />, { api, me: EMPLOYEE_ME });
    const table = await screen.findByRole('table', { name: 'Lots' });
    within(table).getByText(`Purchase · ${formatDay('2026-11-03T09:00:00.000Z')}`);
    expect(table.textContent).not.toContain('zd33y8');
  });
});

describe("the Outlook pane's reading of a mail", () => {
  const quote = SAMPLE_MESSAGES.find((s) => s.id === 'quote')!.message;

  function renderPane(me: MeResponse) {
    const { api } = fakeApi({ listPurchases: () => ({ items: [], nextCursor: null }) });
    render(
      <FluentProvider theme={teamsLightTheme}>
        <PaneContext.Provider value={{ api, me, settings: { ...POLICY, reseller: { name: 'ImaginiT', emailDomain: 'imaginit.com' } }, firmDomains: ['contoso.example'], tabLink: (page) => `#/${page}` }}>
          <ShowsSupportDetails.Provider value={me.roles.includes('ITAdmin')}>
            <MessagePane mailbox={sampleMailbox(quote, 'riley.account@contoso.example')} />
          </ShowsSupportDetails.Provider>
        </PaneContext.Provider>
      </FluentProvider>,
    );
  }

  it('tells a manager in one sentence what the mail looks like, without the scoring behind it', async () => {
    renderPane(MANAGER_ME);
    await screen.findByText('Looks like a quote from ImaginiT, the reseller.');
    expect(document.body.textContent).not.toContain('sender is at');
    expect(document.body.textContent).not.toContain('talks about a quote');
    expect(screen.queryByRole('button', { name: 'Details' })).toBeNull();
  });

  it('keeps the reasons for IT under Details', async () => {
    const user = userEvent.setup();
    renderPane(IT_ME);
    await screen.findByText('Looks like a quote from ImaginiT, the reseller.');
    // IT's details load only for IT, after the reading shows.
    await user.click(await screen.findByRole('button', { name: 'Details' }));
    const reasons = await screen.findByRole('list', { name: 'What the reading found' });
    expect(reasons.textContent).toContain('sender is at imaginit.com');
  });
});
