// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { MemberRecord } from '../../src/contract/schemas.js';
import { ApiError } from '../../src/platform/api-client.js';
import RegistrationsPage from '../../src/tab/registrations/index.js';
import { queueOrder } from '../../src/tab/registrations/queue.js';
import { formatDateTime } from '../../src/ui/format.js';
import { MANAGER_ME, fakeApi, renderWithApp } from './render.js';

// The machine is shared: give async queries room before calling something missing.

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

function record(id: string, name: string, state: MemberRecord['registration']['state'], opts: { stuck?: boolean; since?: string } = {}): MemberRecord {
  return {
    member: { id, email: `${id}@contoso.example`, displayName: name, office: 'Boston' },
    registration: { state, since: opts.since ?? ago(1), requestedBy: null, reason: null, stuck: opts.stuck ?? false, history: [] },
    credits: { own: 0, held: 0, poolDrawn: 0 },
    allotmentGrantedAt: null,
  };
}

const JO = record('jo', 'Jo Requested', 'requested', { since: ago(3) });
const SAM = record('sam', 'Sam Created', 'account_created', { since: ago(6), stuck: true });
const LEE = record('lee', 'Lee Requested', 'requested', { since: ago(1) });
const REG = record('reg', 'Rae Registered', 'registered');

/** A fake queue by state, and registrationEvent answering with the member moved on. */
function queueApi(overrides: Record<string, (input: any) => unknown> = {}) {
  const all = [JO, SAM, LEE, REG];
  const next = { account_created: 'account_created', already_registered: 'registered', declined: 'declined', left: 'left' } as const;
  return fakeApi({
    listRegistrations: ({ query }: any) => ({ items: all.filter((r) => !query?.state || r.registration.state === query.state), nextCursor: null }),
    registrationEvent: ({ params, body }: any) => {
      const r = all.find((x) => x.member.id === params.memberId)!;
      return { member: { ...r, registration: { ...r.registration, state: next[body.type as keyof typeof next], stuck: false, reason: body.reason ?? null } } };
    },
    ...overrides,
  });
}

const rowOf = (name: string) => screen.getByText(name).closest('tr') as HTMLElement;

describe('Registration requests', () => {
  it('shows the open requests by default, stuck first, and filters by state', async () => {
    const user = userEvent.setup();
    const { api, calls } = queueApi();
    renderWithApp(<RegistrationsPage />, { api, me: MANAGER_ME });
    await screen.findByText('Jo Requested');
    const states = calls.filter((c) => c.name === 'listRegistrations').map((c) => (c.input.query as any).state);
    expect(states.sort()).toEqual(['account_created', 'requested']);
    expect(screen.queryByText('Rae Registered')).toBeNull();
    const names = screen.getAllByRole('row').slice(1).map((row) => within(row).getAllByText(/Requested$|Created$/)[0]!.textContent);
    expect(names).toEqual(['Sam Created', 'Jo Requested', 'Lee Requested']);
    within(rowOf('Sam Created')).getByText('Stuck');
    expect(within(rowOf('Jo Requested')).queryByText('Stuck')).toBeNull();
    within(rowOf('Jo Requested')).getByText(/waiting since 3 days ago/);

    await user.click(screen.getByRole('tab', { name: 'Registered' }));
    await screen.findByText('Rae Registered');
    expect(calls.at(-1)!.input.query).toMatchObject({ state: 'registered' });
    expect(screen.queryByText('Jo Requested')).toBeNull();
  });

  it("shows on the row of the person who asked for help that they told the account managers, and when", async () => {
    const askedAt = ago(0.5);
    const kim = { ...record('kim', 'Kim Created', 'account_created', { since: ago(1) }), registration: { ...record('kim', 'Kim Created', 'account_created', { since: ago(1) }).registration, helpAskedAt: askedAt } };
    const { api } = fakeApi({ listRegistrations: ({ query }: any) => ({ items: [JO, kim, SAM].filter((r) => r.registration.state === query.state), nextCursor: null }) });
    renderWithApp(<RegistrationsPage />, { api, me: MANAGER_ME });
    await screen.findByText('Kim Created');
    const row = rowOf('Kim Created');
    within(row).getByText('Asked for help');
    expect(within(row).getByTestId('help-asked').textContent).toBe(`Could not find the Autodesk email and told the account managers on ${formatDateTime(askedAt)}.`);
    expect(within(rowOf('Sam Created')).queryByText('Asked for help')).toBeNull();
    expect(within(rowOf('Jo Requested')).queryByText('Asked for help')).toBeNull();
    // Someone waiting for help comes first with the stuck ones, whoever waited longer.
    expect(queueOrder([JO, SAM, kim]).map((r) => r.member.id)).toEqual(['sam', 'kim', 'jo']);
  });

  it('offers only the steps that fit the state and sends the row action once', async () => {
    const user = userEvent.setup();
    const { api, calls } = queueApi();
    renderWithApp(<RegistrationsPage />, { api, me: MANAGER_ME });
    await user.click(await screen.findByRole('button', { name: 'Actions for Sam Created' }));
    const offered = screen.getAllByRole('menuitem').map((m) => m.textContent);
    expect(offered).toEqual(['Already registered', 'Decline…', 'Left the firm…']);
    await user.keyboard('{Escape}');

    await user.click(screen.getByRole('button', { name: 'Actions for Jo Requested' }));
    await user.click(screen.getByRole('menuitem', { name: 'Mark account created' }));
    await within(rowOf('Jo Requested')).findByText(/They will get an email from Autodesk/);
    const events = calls.filter((c) => c.name === 'registrationEvent');
    expect(events).toHaveLength(1);
    expect(events[0]!.input).toMatchObject({ params: { memberId: 'jo' }, body: { type: 'account_created' } });
    expect(typeof events[0]!.input.idempotencyKey).toBe('string');
    within(rowOf('Jo Requested')).getByText('Account created');
  });

  it('will not decline without a reason, then sends the reason', async () => {
    const user = userEvent.setup();
    const { api, calls } = queueApi();
    renderWithApp(<RegistrationsPage />, { api, me: MANAGER_ME });
    await user.click(await screen.findByRole('button', { name: 'Actions for Lee Requested' }));
    await user.click(screen.getByRole('menuitem', { name: 'Decline…' }));
    const dialog = await screen.findByRole('dialog');
    const confirm = await within(dialog).findByRole('button', { name: 'Decline' });
    expect(confirm.hasAttribute('disabled')).toBe(true);
    await user.type(await within(dialog).findByRole('textbox'), '   ');
    expect(confirm.hasAttribute('disabled')).toBe(true);
    expect(calls.filter((c) => c.name === 'registrationEvent')).toHaveLength(0);

    await user.type(within(dialog).getByRole('textbox'), 'Not on the engineering contract');
    await user.dblClick(confirm);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const events = calls.filter((c) => c.name === 'registrationEvent');
    expect(events).toHaveLength(1);
    expect(events[0]!.input).toMatchObject({ params: { memberId: 'lee' }, body: { type: 'declined', reason: 'Not on the engineering contract' } });
  });

  it('applies a bulk step to every selected person, one key each, and shows each result', async () => {
    const user = userEvent.setup();
    const { api, calls } = queueApi({
      registrationEvent: ({ params }: any) =>
        params.memberId === 'lee'
          ? new ApiError(409, 'INVALID_TRANSITION', 'A registration in state "registered" cannot take "already_registered".')
          : { member: { ...JO, registration: { ...JO.registration, state: 'registered' } } },
    });
    renderWithApp(<RegistrationsPage />, { api, me: MANAGER_ME });
    await user.click(await screen.findByRole('checkbox', { name: 'Select Jo Requested' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select Lee Requested' }));
    await user.click(screen.getByRole('button', { name: 'Already registered (2)' }));
    await screen.findByText(/1 done, 1 failed/);

    const events = calls.filter((c) => c.name === 'registrationEvent');
    expect(events.map((e) => (e.input.params as any).memberId).sort()).toEqual(['jo', 'lee']);
    expect(events.every((e) => (e.input.body as any).type === 'already_registered')).toBe(true);
    expect(new Set(events.map((e) => e.input.idempotencyKey)).size).toBe(2);
    within(rowOf('Jo Requested')).getByText(/their credits are granted/);
    within(rowOf('Lee Requested')).getByText(/Not saved: Someone may have changed this meanwhile/);
    // The failure stays selected so it can be tried again; the success does not.
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Select Lee Requested' }).checked).toBe(true);
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Select Jo Requested' }).checked).toBe(false);
  });

  it('sends one request per member when the bulk button is double-clicked while busy', async () => {
    const user = userEvent.setup();
    let answer: () => void = () => {};
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const { api, calls } = queueApi({
      registrationEvent: async ({ params }: any) => {
        await answered;
        return { member: { ...[JO, LEE].find((r) => r.member.id === params.memberId)!, registration: { ...JO.registration, state: 'account_created' } } };
      },
    });
    renderWithApp(<RegistrationsPage />, { api, me: MANAGER_ME });
    await user.click(await screen.findByRole('checkbox', { name: 'Select Jo Requested' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select Lee Requested' }));
    const bulk = screen.getByRole('button', { name: 'Mark account created (2)' });
    await user.dblClick(bulk);
    expect(bulk.hasAttribute('disabled')).toBe(true);
    answer();
    await screen.findByText(/2 done\./);
    expect(calls.filter((c) => c.name === 'registrationEvent')).toHaveLength(2);
  });

  it('skips selected people the bulk step does not fit', async () => {
    const user = userEvent.setup();
    const { api, calls } = queueApi();
    renderWithApp(<RegistrationsPage />, { api, me: MANAGER_ME });
    await user.click(await screen.findByRole('checkbox', { name: 'Select everyone shown' }));
    await user.click(screen.getByRole('button', { name: 'Mark account created (2)' }));
    await screen.findByText(/2 done, 1 skipped/);
    const ids = calls.filter((c) => c.name === 'registrationEvent').map((e) => (e.input.params as any).memberId);
    expect(ids.sort()).toEqual(['jo', 'lee']);
    within(rowOf('Sam Created')).getByText(/Skipped/);
  });

  it('raises a request by email and explains an unknown address', async () => {
    const user = userEvent.setup();
    const { api, calls } = queueApi({
      createRegistration: ({ body }: any) =>
        body.email === 'nobody@contoso.example'
          ? new ApiError(404, 'NOT_FOUND', 'Nobody with the address nobody@contoso.example is in the directory.')
          : { member: record('new', 'Nia New', 'requested') },
    });
    renderWithApp(<RegistrationsPage />, { api, me: MANAGER_ME });
    await screen.findByText('Jo Requested');
    const raise = screen.getByRole('button', { name: 'Raise request' });
    expect(raise.hasAttribute('disabled')).toBe(true);
    await user.type(screen.getByLabelText(/Work email/), 'nobody@contoso.example');
    await user.click(raise);
    await screen.findByText('Nobody with that address');
    screen.getByText(/is not in the firm's directory/);

    await user.clear(screen.getByLabelText(/Work email/));
    await user.type(screen.getByLabelText(/Work email/), 'nia@contoso.example');
    await user.type(screen.getByLabelText(/Name/), 'Nia New');
    await user.click(raise);
    await screen.findByText(/is now in the queue/);
    const posts = calls.filter((c) => c.name === 'createRegistration');
    expect(posts.at(-1)!.input.body).toEqual({ email: 'nia@contoso.example', displayName: 'Nia New' });
    expect(posts[0]!.input.idempotencyKey).not.toBe(posts[1]!.input.idempotencyKey);
    expect(rowOf('Nia New')).toBeTruthy();
  });

  it('orders stuck people first, then the longest waiting', () => {
    expect(queueOrder([REG, LEE, JO, SAM]).map((r) => r.member.id)).toEqual(['sam', 'jo', 'lee', 'reg']);
  });

  it('says what to do when nobody is waiting, and offers a retry when the queue fails', async () => {
    let fail = true;
    const user = userEvent.setup();
    const { api } = fakeApi({
      listRegistrations: () => (fail ? new ApiError(503, 'STORAGE_UNAVAILABLE', 'Storage is busy.') : { items: [], nextCursor: null }),
    });
    renderWithApp(<RegistrationsPage />, { api, me: MANAGER_ME });
    await screen.findByText(/Storage is busy/);
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText(/Nobody is waiting on an account manager/);
  });
});
