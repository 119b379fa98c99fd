// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReadinessResponse } from '../../src/contract/setup.js';
import { DEFAULT_POLICY } from '../../src/core/policy/index.js';
import { featureOf, featureReadiness } from '../../src/core/setup/index.js';
import { ApiError } from '../../src/platform/api-client.js';
import { SettingsForm } from '../../src/tab/settings/SettingsForm.js';
import { quietSetup, useFirstRunSetup } from '../../src/tab/setup/first-run.js';
import SetupPage from '../../src/tab/setup/index.js';
import { EMPLOYEE_ME, IT_ME, MANAGER_ME, fakeApi, renderWithApp } from './render.js';

const trace = featureOf('messageTrace');
const READINESS: ReadinessResponse = {
  checkedAt: new Date(Date.now() - 60_000).toISOString(),
  needsAttention: true,
  items: [
    { id: 'api', title: 'Credit Desk API', status: 'ready', detail: 'The API answered and its storage is up.', fix: null, command: null },
    featureReadiness(featureOf('directory'), true, { kind: 'probe', result: 'granted' }),
    featureReadiness(trace, true, { kind: 'probe', result: 'refused', status: 403, message: 'Authorization_RequestDenied: Insufficient privileges to complete the operation.' }),
    featureReadiness(featureOf('mailboxHelper'), false, { kind: 'not_observable' }),
    featureReadiness(featureOf('mailNotifications'), true, { kind: 'roles', roles: [] }),
  ],
};

const card = (name: RegExp) => screen.getByRole('group', { name });

afterEach(() => {
  localStorage.clear();
});

describe('the Setup page', () => {
  it('shows each check with its status in words, and the fix and command of a red one', async () => {
    renderWithApp(<SetupPage />, { api: fakeApi({ setupReadiness: () => READINESS }).api, me: IT_ME });
    await screen.findByText('1 thing to set up');
    expect(screen.getAllByRole('listitem').map((li) => li.textContent?.slice(0, 40))).toHaveLength(5);
    expect(within(card(/^Credit Desk API: Ready$/)).queryByText(/To do/)).toBeNull();
    const red = card(/^Message trace for stuck registrations: Not set up$/);
    within(red).getByText(/Graph refused \(403\)/);
    within(red).getByText(/Grant Credit Desk's backend ExchangeMessageTrace\.Read\.All \(application\)/);
    expect(within(red).getByText(/appRoleAssignments/).textContent).toBe(trace.grant);
    // Off: what it would add, and the command that switching it on takes; the mail by Exchange RBAC for Applications, checked by hand.
    within(card(/^Mailbox helper: Off$/)).getByText(/Switched off in Settings/);
    within(card(/^Notifications by mail: Check by hand$/)).getByText(/New-ManagementRoleAssignment/);
  });

  it('copies a command, checks again on demand, and can be told not to open by itself', async () => {
    const user = userEvent.setup();
    const fake = fakeApi({ setupReadiness: () => READINESS });
    renderWithApp(<SetupPage />, { api: fake.api, me: IT_ME });
    await screen.findByText('1 thing to set up');
    await user.click(within(card(/^Message trace for stuck registrations/)).getByRole('button', { name: 'Copy the command' }));
    await waitFor(async () => expect(await navigator.clipboard.readText()).toBe(trace.grant));
    await user.click(screen.getByRole('button', { name: 'Check again' }));
    await waitFor(() => expect(fake.calls.filter((c) => c.name === 'setupReadiness')).toHaveLength(2));
    await user.click(screen.getByRole('button', { name: "Don't open this page by itself" }));
    expect(localStorage.getItem('creditDesk.setupQuiet')).toBe('1');
  });

  it('says when everything switched on is set up, and shows a failed check with a retry', async () => {
    let fail = true;
    const ok: ReadinessResponse = { ...READINESS, needsAttention: false, items: READINESS.items.filter((i) => i.status !== 'not_set_up') };
    renderWithApp(<SetupPage />, { api: fakeApi({ setupReadiness: () => (fail ? new ApiError(503, 'STORAGE_UNAVAILABLE', 'Storage is not answering.') : ok) }).api, me: IT_ME });
    await screen.findByText('The checks did not run');
    fail = false;
    await userEvent.setup().click(screen.getByRole('button', { name: /Try again|Retry/ }));
    await screen.findByText('Everything switched on is set up');
  });

  it('is for IT only: nobody else asks the API', () => {
    for (const me of [EMPLOYEE_ME, MANAGER_ME]) {
      const fake = fakeApi({ setupReadiness: () => READINESS });
      const { unmount } = renderWithApp(<SetupPage />, { api: fake.api, me });
      screen.getByText("The setup checks are IT's.");
      expect(fake.calls).toEqual([]);
      unmount();
    }
  });
});

describe('Settings: the Graph features', () => {
  it('lists every opt-in feature with its permission, switches message trace and the mailbox helper, and links to Setup', async () => {
    const user = userEvent.setup();
    let draft = structuredClone(DEFAULT_POLICY);
    const pages: string[] = [];
    renderWithApp(<SettingsForm draft={draft} onChange={(next) => (draft = next)} issues={{ at: () => undefined, unplaced: [] } as never} savedSlugs={[]} />, {
      api: fakeApi({}).api,
      me: IT_ME,
      navigate: (page) => pages.push(page),
    });
    const section = screen.getByRole('region', { name: 'Microsoft Graph features' });
    const traceSwitch = within(section).getByRole<HTMLInputElement>('switch', { name: 'Message trace for stuck registrations' });
    expect(traceSwitch.checked).toBe(false);
    within(section).getByText(/Needs ExchangeMessageTrace\.Read\.All \(application\)/);
    within(section).getByText(/Needs Mail\.ReadWrite \(delegated\)/);
    await user.click(traceSwitch);
    expect(draft.features).toEqual({ messageTrace: true, mailboxHelper: false });
    await user.click(within(section).getByText('Open the Setup page'));
    expect(pages).toEqual(['setup']);
  });
});

describe("IT's first visit", () => {
  function Landing({ api, me }: { api: ReturnType<typeof fakeApi>['api']; me: typeof IT_ME }) {
    useFirstRunSetup(api, me, 'my-credits');
    return null;
  }

  afterEach(() => {
    sessionStorage.clear();
    location.hash = '';
  });

  it('opens the Setup page once per session while something is red, and never once told not to', async () => {
    const fake = fakeApi({ setupReadiness: () => READINESS });
    const first = renderWithApp(<Landing api={fake.api} me={IT_ME} />, { api: fake.api, me: IT_ME });
    await waitFor(() => expect(location.hash).toBe('#/setup'));
    first.unmount();
    location.hash = '';
    renderWithApp(<Landing api={fake.api} me={IT_ME} />, { api: fake.api, me: IT_ME }).unmount();
    expect(fake.calls).toHaveLength(1);

    sessionStorage.clear();
    quietSetup();
    renderWithApp(<Landing api={fake.api} me={IT_ME} />, { api: fake.api, me: IT_ME }).unmount();
    expect(fake.calls).toHaveLength(1);
  });

  it('stays on the landing page when nothing is red, and never asks for anyone but IT', async () => {
    const fake = fakeApi({ setupReadiness: () => ({ ...READINESS, needsAttention: false }) });
    // The answer the hook got, to wait on it rather than on time.
    let answered: Promise<unknown> | undefined;
    const api = ((name: never, input: never) => (answered = fake.api(name, input))) as unknown as typeof fake.api;
    renderWithApp(<Landing api={api} me={MANAGER_ME} />, { api, me: MANAGER_ME }).unmount();
    expect(fake.calls).toEqual([]);
    // A deep link is kept: IT opening a notification's link is not taken elsewhere.
    location.hash = '#/pool';
    renderWithApp(<Landing api={api} me={IT_ME} />, { api, me: IT_ME }).unmount();
    expect(fake.calls).toEqual([]);
    location.hash = '';
    renderWithApp(<Landing api={api} me={IT_ME} />, { api, me: IT_ME });
    await waitFor(() => expect(answered).toBeDefined());
    await answered!.then(() => undefined);
    await Promise.resolve();
    expect(location.hash).toBe('');
  });
});
