// @vitest-environment jsdom
import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AppShell } from '../../src/tab/AppShell.js';
import { EMPLOYEE_ME, MANAGER_ME, fakeApi, renderWithApp } from './render.js';

const noHolds = () => ({ items: [], nextCursor: null });
const shell = () => <AppShell devAuth={undefined} onSwitchUser={() => {}} onThemeChange={undefined} />;

afterEach(() => {
  location.hash = '';
});

describe('The tab shell', () => {
  it('says so when an employee follows a link to the purchases, instead of bouncing them silently', async () => {
    location.hash = '#/purchases';
    renderWithApp(shell(), { api: fakeApi({ listHolds: noHolds }).api, me: EMPLOYEE_ME });
    await waitFor(() => expect(location.hash).toBe('#/my-credits'));
    const notice = await screen.findByTestId('page-not-yours');
    expect(notice.textContent).toContain('Purchases is a page for the account managers and IT');
    expect(notice.textContent).toContain('The account managers order more when the pool runs low.');
    expect(notice.textContent).toContain('You are on My credits instead.');
  });

  it('drops the notice once the person moves on, and shows none for a page of theirs', async () => {
    location.hash = '#/settings';
    renderWithApp(shell(), { api: fakeApi({ listHolds: noHolds, listUsage: () => ({ items: [], nextCursor: null }) }).api, me: MANAGER_ME });
    expect((await screen.findByTestId('page-not-yours')).textContent).toContain('Settings is a page for IT');
    location.hash = '#/history';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await waitFor(() => expect(screen.queryByTestId('page-not-yours')).toBeNull());
  });
});
