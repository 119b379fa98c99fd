// @vitest-environment jsdom
import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import RegistrationsPage from '../../src/tab/registrations/index.js';
import { MANAGER_ME, fakeApi, renderWithApp } from './render.js';

const emptyQueue = () => ({ items: [], nextCursor: null });

/** The Requests page's filter tabs, once the page is up. */
async function filterTabs() {
  renderWithApp(<RegistrationsPage />, { api: fakeApi({ listRegistrations: emptyQueue }).api, me: MANAGER_ME });
  const list = await screen.findByRole('tablist', { name: 'Show' });
  return { list, tabs: screen.getAllByRole('tab') };
}

describe('Tab lists (the Requests filters)', () => {
  it('puts no aria-hidden, focusable sentinels around the tabs (axe: aria-hidden-focus)', async () => {
    const { list } = await filterTabs();
    // No arrow-key group (Tabster's mover), so nothing for Tabster to put sentinels around.
    expect(list.hasAttribute('data-tabster')).toBe(false);
    expect(document.querySelectorAll('[data-tabster-dummy]')).toHaveLength(0);
    expect(document.querySelectorAll('[aria-hidden="true"][tabindex="0"]')).toHaveLength(0);
  });

  it('is one tab stop, the selected tab; arrows, Home and End move between tabs, Enter selects', async () => {
    const user = userEvent.setup();
    const { tabs } = await filterTabs();
    expect(tabs.map((t) => t.getAttribute('tabindex'))).toEqual(['0', '-1', '-1', '-1', '-1', '-1', '-1']);
    tabs[0]!.focus();
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(tabs[1]);
    await user.keyboard('{ArrowLeft}{ArrowLeft}');
    expect(document.activeElement).toBe(tabs.at(-1));
    await user.keyboard('{Home}');
    expect(document.activeElement).toBe(tabs[0]);
    await user.keyboard('{End}{Enter}');
    await waitFor(() => expect(tabs.at(-1)!.getAttribute('aria-selected')).toBe('true'));
    expect(tabs.map((t) => t.getAttribute('tabindex'))).toEqual(['-1', '-1', '-1', '-1', '-1', '-1', '0']);
  });
});
