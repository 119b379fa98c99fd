// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MeResponse } from '../../src/contract/schemas.js';
import { ApiError } from '../../src/platform/api-client.js';
import RegistrationPage from '../../src/tab/registration/index.js';
import { EMPLOYEE_ME, SETTINGS, fakeApi, renderWithApp } from './render.js';

type State = MeResponse['registration']['state'];

const NOW = new Date().toISOString();
const meIn = (state: State, since = NOW, own = 0): MeResponse => ({
  ...EMPLOYEE_ME,
  registration: { state, since },
  credits: { own, pool: 250, held: 0, available: state === 'registered' ? own + 250 : 0 },
});

/** The step marked as current, and what its badge says. */
function currentStep(): HTMLElement {
  const steps = within(screen.getByRole('list', { name: 'Registration steps' })).getAllByRole('listitem');
  const current = steps.filter((s) => s.getAttribute('aria-current') === 'step');
  expect(current).toHaveLength(1);
  return current[0]!;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const memberAnswer = { member: { member: EMPLOYEE_ME.member } };

beforeEach(() => {
  location.hash = '#/registration';
});
afterEach(() => {
  location.hash = '';
});

describe('Registration: not requested yet', () => {
  it('shows the first step as theirs, the form pre-filled read-only, what happens next and whom to ask', () => {
    renderWithApp(<RegistrationPage />, { api: fakeApi({}).api, me: meIn('not_requested') });
    expect(currentStep().textContent).toMatch(/Requested.*Your turn/);
    const name = screen.getByLabelText('Name');
    const email = screen.getByLabelText('Work email');
    expect((name as HTMLInputElement).value).toBe('Avery Chen');
    expect((email as HTMLInputElement).value).toBe('avery.chen@contoso.example');
    expect(name.hasAttribute('readonly') && email.hasAttribute('readonly')).toBe(true);
    screen.getByRole('button', { name: 'Request my Autodesk account' });
    const next = screen.getByRole('list', { name: 'What happens next' });
    expect(next.textContent).toMatch(/checks the contract and adds you to it, usually within 1–2 working days/);
    expect(next.textContent).toMatch(/spam quarantine/);
    expect(screen.getByRole('link', { name: 'Riley Account' }).getAttribute('href')).toBe('mailto:riley.account@contoso.example');
  });

  it('says "your account managers" when none are listed', () => {
    renderWithApp(<RegistrationPage />, { api: fakeApi({}).api, me: meIn('not_requested'), settings: { ...SETTINGS, accountManagers: [] } });
    screen.getByText('Contact your account managers.');
    expect(screen.queryByRole('list', { name: 'Your account managers' })).toBeNull();
  });

  it('requests once on a double click, with one idempotency key, then refreshes', async () => {
    const user = userEvent.setup();
    const answer = deferred<unknown>();
    let refreshed = 0;
    const { api, calls } = fakeApi({ createRegistration: () => answer.promise });
    renderWithApp(<RegistrationPage />, { api, me: meIn('not_requested'), refreshMe: async () => void refreshed++ });
    const button = screen.getByRole('button', { name: 'Request my Autodesk account' });
    await user.dblClick(button);
    await user.click(button);
    expect(screen.getByRole('button', { name: 'Sending…' }).hasAttribute('disabled')).toBe(true);
    answer.resolve(memberAnswer);
    await waitFor(() => expect(refreshed).toBe(1));
    const posts = calls.filter((c) => c.name === 'createRegistration');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.input.body).toEqual({});
    expect(typeof posts[0]!.input.idempotencyKey).toBe('string');
  });

  it('shows a refusal in plain words, does not refresh, and sends the next attempt under a new key', async () => {
    const user = userEvent.setup();
    let refreshed = 0;
    const { api, calls } = fakeApi({ createRegistration: () => new ApiError(409, 'INVALID_TRANSITION', 'You have already asked.') });
    renderWithApp(<RegistrationPage />, { api, me: meIn('not_requested'), refreshMe: async () => void refreshed++ });
    await user.click(screen.getByRole('button', { name: 'Request my Autodesk account' }));
    expect((await screen.findByText(/You have already asked/)).textContent).not.toMatch(/INVALID_TRANSITION/);
    screen.getByText('Your request was not sent');
    expect(refreshed).toBe(0);
    await user.click(screen.getByRole('button', { name: 'Request my Autodesk account' }));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[0]!.input.idempotencyKey).not.toBe(calls[1]!.input.idempotencyKey);
  });

  it('retries a failed request under the same key', async () => {
    const user = userEvent.setup();
    let attempts = 0;
    const { api, calls } = fakeApi({
      createRegistration: () => (++attempts === 1 ? new ApiError(503, 'STORAGE_UNAVAILABLE', 'Storage is busy.') : memberAnswer),
    });
    renderWithApp(<RegistrationPage />, { api, me: meIn('not_requested') });
    await user.click(screen.getByRole('button', { name: 'Request my Autodesk account' }));
    await screen.findByText(/Storage is busy/);
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.queryByText(/Storage is busy/)).toBeNull());
    expect(calls).toHaveLength(2);
    expect(calls[0]!.input.idempotencyKey).toBe(calls[1]!.input.idempotencyKey);
  });
});

describe('Registration: declined', () => {
  it('marks the request as declined and lets them request again', async () => {
    const user = userEvent.setup();
    const { api, calls } = fakeApi({ createRegistration: () => memberAnswer });
    renderWithApp(<RegistrationPage />, { api, me: meIn('declined') });
    expect(currentStep().textContent).toMatch(/Requested.*Declined/);
    screen.getByText('Your last request was declined');
    await user.click(screen.getByRole('button', { name: 'Request my Autodesk account' }));
    await waitFor(() => expect(calls.map((c) => c.name)).toEqual(['createRegistration']));
  });
});

describe('Registration: requested', () => {
  it('shows the account managers at work and how long it usually takes, with nothing to click', () => {
    renderWithApp(<RegistrationPage />, { api: fakeApi({}).api, me: meIn('requested') });
    expect(currentStep().textContent).toMatch(/Account created.*In progress/);
    screen.getByRole('heading', { name: 'An account manager is adding you' });
    expect(screen.getAllByText(/usually within 1–2 working days/).length).toBeGreaterThan(0);
    expect(screen.queryByRole('button', { name: /Request my Autodesk account|completed registration/ })).toBeNull();
  });
});

describe('Registration: account created', () => {
  it('leads them to the Autodesk email in the quarantine', () => {
    renderWithApp(<RegistrationPage />, { api: fakeApi({}).api, me: meIn('account_created') });
    expect(currentStep().textContent).toMatch(/Check your email.*Your turn/);
    screen.getByText(/noreply@autodesk\.com, noreply@signin\.autodesk\.com or no-reply@autodeskcommunications\.com/);
    screen.getByText(/usually lands in the IronPort spam quarantine/);
    const how = screen.getByRole('list', { name: 'How to finish' });
    expect(how.textContent).toMatch(/spamquarantine@…/);
    expect(how.textContent).toMatch(/Spam Quarantine Notification/);
    expect(screen.queryByText(/Still waiting after/)).toBeNull();
  });

  it('says it is stuck after the configured working days', () => {
    renderWithApp(<RegistrationPage />, { api: fakeApi({}).api, me: meIn('account_created', '2020-01-06T09:00:00.000Z') });
    screen.getByText(/Still waiting after \d+ working days\?/);
  });

  it('records completion with type completed for their own record, once, and refreshes', async () => {
    const user = userEvent.setup();
    let refreshed = 0;
    const { api, calls } = fakeApi({ registrationEvent: () => memberAnswer });
    renderWithApp(<RegistrationPage />, { api, me: meIn('account_created'), refreshMe: async () => void refreshed++ });
    await user.click(screen.getByRole('button', { name: "I've completed registration" }));
    await waitFor(() => expect(refreshed).toBe(1));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.name).toBe('registrationEvent');
    expect(calls[0]!.input.params).toEqual({ memberId: 'emp-1' });
    expect(calls[0]!.input.body).toEqual({ type: 'completed' });
  });

  it('says why when completion is refused', async () => {
    const user = userEvent.setup();
    const { api } = fakeApi({ registrationEvent: () => new ApiError(403, 'FORBIDDEN', 'Only an account manager can record this step.') });
    renderWithApp(<RegistrationPage />, { api, me: meIn('account_created') });
    await user.click(screen.getByRole('button', { name: "I've completed registration" }));
    await screen.findByText(/Only an account manager can record this step/);
  });

  it('opens the quarantine helper at #/registration?helper and closes it again', async () => {
    const user = userEvent.setup();
    const visited: string[] = [];
    const navigate = (page: string) => {
      visited.push(page);
      location.hash = `#/${page}`;
    };
    renderWithApp(<RegistrationPage />, { api: fakeApi({}).api, me: meIn('account_created'), navigate });
    expect(screen.queryByRole('region', { name: 'Quarantine helper' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Open the quarantine helper' }));
    expect(visited).toEqual(['registration?helper']);
    const helper = await screen.findByRole('region', { name: 'Quarantine helper' });
    expect(helper.textContent).toMatch(/read and organise your mail \(your own mailbox only\)\. You are asked once\./);
    within(helper).getByRole('button', { name: 'Search my mailbox' });
    await user.click(within(helper).getByRole('button', { name: 'Close the helper' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Quarantine helper' })).toBeNull());
    expect(location.hash).toBe('#/registration');
  });

  it('opens the helper from a deep link', () => {
    location.hash = '#/registration?helper';
    renderWithApp(<RegistrationPage />, { api: fakeApi({}).api, me: meIn('account_created') });
    screen.getByRole('region', { name: 'Quarantine helper' });
  });
});

describe('Registration: registered', () => {
  it('marks every step done and lists the benefits', () => {
    renderWithApp(<RegistrationPage />, { api: fakeApi({}).api, me: meIn('registered', NOW, 40) });
    const steps = within(screen.getByRole('list', { name: 'Registration steps' })).getAllByRole('listitem');
    expect(steps.map((s) => s.textContent)).toEqual(['1. RequestedDone', '2. Account createdDone', '3. Check your emailDone', '4. RegisteredDone']);
    const benefits = screen.getByRole('list', { name: 'Your benefits' });
    expect(benefits.textContent).toMatch(/Your 100 Cloud Credits/);
    expect(benefits.textContent).toMatch(/40 are left/);
    expect(benefits.textContent).toMatch(/Autodesk email support/);
    expect(within(benefits).getByRole('link', { name: /home-use downloads/i }).getAttribute('href')).toBe(SETTINGS.homeUseKbUrl);
    expect(screen.queryByRole('button', { name: /Request my Autodesk account|completed registration/ })).toBeNull();
  });
});

describe('Registration: left', () => {
  it('shows their remaining own credits as stranded', () => {
    renderWithApp(<RegistrationPage />, { api: fakeApi({}).api, me: meIn('left', NOW, 37.5) });
    screen.getByRole('heading', { name: 'You have left the contract' });
    expect(screen.getByTestId('stranded').textContent).toBe('37.5');
    screen.getByText('Stranded');
    expect(screen.queryByRole('list', { name: 'Registration steps' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Request my Autodesk account' })).toBeNull();
  });
});
