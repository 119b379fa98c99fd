// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { StuckRegistration, StuckRegistrationsResponse, TraceView } from '../../src/contract/schemas.js';
import { ApiError } from '../../src/platform/api-client.js';
import { StuckRegistrations } from '../../src/tab/registrations/StuckRegistrations.js';
import RegistrationsPage from '../../src/tab/registrations/index.js';
import { formatDay } from '../../src/ui/format.js';
import { IT_ME, MANAGER_ME, fakeApi, renderWithApp } from './render.js';


const DAY = 86_400_000;
const NOTE = 'An Autodesk email stopped at the IronPort gateway before Exchange never shows in message trace.';
const HELD_AT = '2026-11-20T10:00:00Z';

const stuck = (id: string, name: string, days: number, trace: TraceView): StuckRegistration => ({
  member: { id, email: `${id}@contoso.example`, displayName: name, office: 'Boston' },
  since: new Date(Date.now() - days * DAY).toISOString(),
  workingDaysWaited: days,
  trace,
});

const ANSWER: StuckRegistrationsResponse = {
  items: [
    stuck('jo', 'Jordan Alvarez', 6, { kind: 'found', messages: [{ receivedDateTime: HELD_AT, senderAddress: 'noreply@autodesk.com', subject: 'Welcome to Autodesk', status: 'quarantined' }] }),
    stuck('kim', 'Kim Nothing', 3, { kind: 'none' }),
    stuck('lu', 'Lu Refused', 1, { kind: 'not_set_up', permission: 'ExchangeMessageTrace.Read.All', message: 'IT: provision the message trace service principal.' }),
  ],
  traceDays: 10,
  note: NOTE,
};

const rowOf = (name: string) => screen.getByText(name).closest('tr') as HTMLElement;

describe('Stuck registrations', () => {
  it('shows each stuck person, how long, and the trace finding in plain words', async () => {
    const { api, calls } = fakeApi({ stuckRegistrations: () => ANSWER });
    renderWithApp(<StuckRegistrations />, { api, me: MANAGER_ME });
    await screen.findByText('Jordan Alvarez');
    expect(calls.map((c) => c.name)).toEqual(['stuckRegistrations']);
    within(rowOf('Jordan Alvarez')).getByText(`Exchange held an Autodesk message on ${formatDay(HELD_AT)} as spam (quarantined): release it in the Defender quarantine`);
    within(rowOf('Jordan Alvarez')).getByText(/^6 working days/);
    within(rowOf('Kim Nothing')).getByText('No Autodesk message reached Exchange: it may be held at the IronPort gateway — check its quarantine');
    within(rowOf('Lu Refused')).getByText('Message trace is not set up for Credit Desk yet: ask IT to set it up');
    // A manager reads no permission name, status or fix; IT finds them under Details.
    expect(rowOf('Lu Refused').textContent).not.toMatch(/ExchangeMessageTrace|permission|service principal|40[13]/i);
    within(rowOf('Lu Refused')).getByText(/^1 working day \(/);
    screen.getByText(NOTE);
  });

  it('gives IT what to do and the permission, under Details', async () => {
    const user = userEvent.setup();
    const { api } = fakeApi({ stuckRegistrations: () => ANSWER });
    renderWithApp(<StuckRegistrations />, { api, me: IT_ME });
    await screen.findByText('Lu Refused');
    await user.click(within(rowOf('Lu Refused')).getByRole('button', { name: 'Details' }));
    await within(rowOf('Lu Refused')).findByText('ExchangeMessageTrace.Read.All');
    within(rowOf('Lu Refused')).getByText('IT: provision the message trace service principal.');
  });

  it('says when message trace could not be asked', async () => {
    const { api } = fakeApi({ stuckRegistrations: () => ({ ...ANSWER, items: [stuck('ana', 'Ana Down', 2, { kind: 'unavailable', message: 'Message trace is not configured' })] }) });
    renderWithApp(<StuckRegistrations />, { api, me: IT_ME });
    await screen.findByText('Ana Down');
    within(rowOf('Ana Down')).getByText('Message trace could not be checked: Message trace is not configured');
  });

  it('shows loading, then an error with a retry that loads the list', async () => {
    const user = userEvent.setup();
    let fail = true;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { api, calls } = fakeApi({
      stuckRegistrations: async () => {
        await gate;
        return fail ? new ApiError(503, 'STORAGE_UNAVAILABLE', 'Storage is down.') : ANSWER;
      },
    });
    renderWithApp(<StuckRegistrations />, { api, me: MANAGER_ME });
    screen.getByLabelText('Loading stuck registrations');
    release();
    await screen.findByText('Stuck registrations did not load');
    expect(screen.queryByText('Jordan Alvarez')).toBeNull();
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText('Jordan Alvarez');
    expect(screen.queryByText('Stuck registrations did not load')).toBeNull();
    expect(calls).toHaveLength(2);
  });

  it('is a section of the Requests page', async () => {
    const { api } = fakeApi({ listRegistrations: () => ({ items: [], nextCursor: null }), stuckRegistrations: () => ANSWER });
    renderWithApp(<RegistrationsPage />, { api, me: MANAGER_ME });
    await screen.findByRole('heading', { name: 'Stuck registrations' });
    await screen.findByText('Kim Nothing');
  });
});
