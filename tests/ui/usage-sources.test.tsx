// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { UsageSourceStatus } from '../../src/contract/usage-sources.js';
import { pullProblemWords } from '../../src/core/usage-pull/index.js';
import { ImportsPage } from '../../src/tab/imports/ImportsPage.js';
import { IT_ME, MANAGER_ME, fakeApi, renderWithApp } from './render.js';

/** Issue 21 on the Imports page: a card per connected Autodesk usage API, with IT's "Pull now". */
function status(overrides: Partial<UsageSourceStatus> = {}): UsageSourceStatus {
  return {
    kind: 'token_flex',
    connection: 'connected',
    lastSuccessAt: '2026-11-19T04:02:00.000Z',
    covered: { from: '2026-08-21', to: '2026-11-18' },
    lastPull: { window: { from: '2026-11-15', to: '2026-11-18' }, rowsPosted: 120, alreadyImported: 36, settled: 2, unmatched: { people: 1, rows: 4 }, importId: 'imp-9' },
    nextRunAt: '2026-11-20T04:00:00.000Z',
    running: null,
    lastError: null,
    ...overrides,
  };
}

const page = (sources: UsageSourceStatus[], extra: Record<string, (input: any) => unknown> = {}) =>
  fakeApi({ listImports: () => ({ items: [], nextCursor: null }), usageSources: () => ({ sources }), ...extra });

describe('the usage sources on the Imports page', () => {
  it('shows IT each source with its last pull, days covered, rows posted and next run', async () => {
    const { api } = page([status()]);
    renderWithApp(<ImportsPage />, { api, me: IT_ME });
    const card = await screen.findByTestId('usage-source-token_flex');
    expect(within(card).getByRole('heading').textContent).toBe('Autodesk Token Flex usage');
    expect(card.textContent).toContain('Aug 21, 2026 to Nov 18, 2026');
    expect(card.textContent).toContain('120 for Nov 15, 2026 to Nov 18, 2026; 36 rows were already in the ledger; 2 logged entries settled');
    expect(card.textContent).toContain('4 rows of 1 person no member matches were not posted');
    expect(card.textContent).toContain('Connected');
    expect(within(card).getByRole('button', { name: 'Pull now' }).hasAttribute('disabled')).toBe(false);
  });

  it('"Pull now" starts a pull and shows where it is; a second answer says one is already running', async () => {
    const running = status({ running: { trigger: 'manual', startedAt: '2026-11-19T10:00:00.000Z', stage: 'processing', window: { from: '2026-11-15', to: '2026-11-18' }, polls: 3, rowsDone: null, rowsTotal: null } });
    const pulls = vi.fn(() => ({ started: false, source: running }));
    const { api, calls } = page([status()], { pullUsageSource: pulls });
    renderWithApp(<ImportsPage />, { api, me: IT_ME });
    const card = await screen.findByTestId('usage-source-token_flex');
    await userEvent.click(within(card).getByRole('button', { name: 'Pull now' }));
    await waitFor(() => expect(within(card).getByTestId('usage-source-progress').textContent).toContain('Autodesk is making the export (asked 3 times so far) for Nov 15, 2026 to Nov 18, 2026, started by IT'));
    expect(calls.find((c) => c.name === 'pullUsageSource')?.input).toMatchObject({ params: { kind: 'token_flex' } });
    expect(card.textContent).toContain('A pull is already running; it carries on.');
    expect(within(card).getByRole('button', { name: 'Pull now' }).hasAttribute('disabled')).toBe(true);
  });

  it('says the last problem in words with its fix, never its code', async () => {
    const message = pullProblemWords('throttled', 'token_flex', { retryAfterSeconds: 600 });
    const { api } = page([status({ lastError: { code: 'throttled', message, at: '2026-11-19T04:01:00.000Z' } })]);
    renderWithApp(<ImportsPage />, { api, me: IT_ME });
    const error = await screen.findByTestId('usage-source-error');
    expect(error.textContent).toContain('Autodesk asked Credit Desk to slow down for about 10 minutes');
    expect(error.textContent).toContain('the next scheduled pull tries again');
    expect(screen.getByTestId('usage-sources').textContent).not.toMatch(/throttled|token_flex/);
  });

  it('tells IT to connect a disconnected source again, and offers account managers no Pull now', async () => {
    const message = pullProblemWords('disconnected', 'token_flex');
    const disconnected = status({ connection: 'disconnected', nextRunAt: null, lastError: { code: 'disconnected', message, at: '2026-11-19T04:01:00.000Z' } });
    const navigate = vi.fn();
    const it = renderWithApp(<ImportsPage />, { api: page([disconnected]).api, me: IT_ME, navigate });
    const card = await screen.findByTestId('usage-source-token_flex');
    expect(card.textContent).toContain('Autodesk disconnected');
    await userEvent.click(within(card).getByRole('button', { name: 'Connect again in Settings' }));
    expect(navigate).toHaveBeenCalledWith('settings');
    it.unmount();

    renderWithApp(<ImportsPage />, { api: page([status()]).api, me: MANAGER_ME });
    const managerCard = await screen.findByTestId('usage-source-token_flex');
    expect(within(managerCard).queryByRole('button')).toBeNull();
  });

  it('with nothing connected, points to Settings', async () => {
    const navigate = vi.fn();
    renderWithApp(<ImportsPage />, { api: page([]).api, me: IT_ME, navigate });
    const line = await screen.findByTestId('usage-sources-none');
    expect(line.textContent).toContain("connect Autodesk's usage API in Settings");
    await userEvent.click(within(line).getByRole('button', { name: 'Open Settings' }));
    expect(navigate).toHaveBeenCalledWith('settings');
  });
});
