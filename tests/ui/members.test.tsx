// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { MemberRecord, TransferView } from '../../src/contract/schemas.js';
import { ApiError } from '../../src/platform/api-client.js';
import MembersPage from '../../src/tab/members/index.js';
import { IT_ME, MANAGER_ME, fakeApi, renderWithApp } from './render.js';


function member(id: string, name: string, office: string | null, state: MemberRecord['registration']['state'], own: number, held = 0): MemberRecord {
  return {
    member: { id, email: `${id}@contoso.example`, displayName: name, office },
    registration: { state, since: '2026-10-01T10:00:00.000Z', requestedBy: null, reason: null, stuck: false, history: [] },
    credits: { own, held, poolDrawn: own === 0 && state === 'registered' ? 12.5 : 0 },
    allotmentGrantedAt: state === 'registered' ? '2026-10-01T10:00:00.000Z' : null,
  };
}

const AVERY = member('avery', 'Avery Chen', 'Boston', 'registered', 40, 5);
const BLAKE = member('blake', 'Blake Ortiz', 'Seattle', 'registered', 0);
const CASEY = member('casey', 'Casey Lund', 'Boston', 'requested', 0);
const DREW = member('drew', 'Drew Park', 'Seattle', 'registered', 100);

function transfer(id: string, code: TransferView['code'], credits: number, debit: string, credit: string, extra: Partial<TransferView> = {}): TransferView {
  return {
    id,
    postingId: `post-${id}`,
    code,
    debit,
    credit,
    credits,
    memberId: 'avery',
    lotId: null,
    service: null,
    office: 'Boston',
    project: null,
    note: null,
    date: null,
    source: 'self',
    actor: 'avery',
    at: '2026-10-05T10:00:00.000Z',
    reverses: null,
    reason: null,
    ...extra,
  };
}

const GRANT = transfer('t-grant', 'allotment_granted', 100, 'contract', 'member:avery', { at: '2026-10-01T10:00:00.000Z', source: 'manager' });
const USE = transfer('t-use', 'usage_individual', 60, 'member:avery', 'usage', { service: 'cloud_rendering', date: '2026-10-04' });
const OLD_FIX = transfer('t-fix', 'reversal', 5, 'usage', 'member:avery', { reverses: 't-old', reason: 'Duplicate' });
const OLD = transfer('t-old', 'usage_individual', 5, 'member:avery', 'usage', { at: '2026-10-02T10:00:00.000Z' });

function membersApi(overrides: Record<string, (input: any) => unknown> = {}) {
  return fakeApi({
    listMembers: ({ query }: any) =>
      query?.cursor ? { items: [DREW], nextCursor: null } : { items: [AVERY, BLAKE, CASEY], nextCursor: 'page-2' },
    listUsage: () => ({ items: [OLD_FIX, USE, OLD, GRANT], nextCursor: null }),
    reverseTransfer: ({ params, body }: any) => ({
      postingId: 'post-rev',
      reversal: transfer('t-rev', 'reversal', 60, 'usage', 'member:avery', { reverses: params.id, reason: body.reason }),
    }),
    ...overrides,
  });
}

const memberRows = () => screen.getAllByRole('row').slice(1);
const names = () => memberRows().map((r) => within(r).getByRole('button').textContent);

describe('Members', () => {
  it('lists members with office, state and balances, and loads more', async () => {
    const user = userEvent.setup();
    const { api, calls } = membersApi();
    renderWithApp(<MembersPage />, { api, me: MANAGER_ME });
    await screen.findByRole('button', { name: 'Avery Chen' });
    const avery = memberRows()[0]!;
    within(avery).getByText('Boston');
    within(avery).getByText('Registered');
    within(avery).getByText('40');
    within(avery).getByText('5');
    // Blake has used up their own credits and drawn 12.5 from the pool.
    screen.getByRole('columnheader', { name: 'From the pool' });
    const blake = memberRows().find((r) => within(r).queryByRole('button', { name: 'Blake Ortiz' }))!;
    within(blake).getByText('12.5');
    await user.click(screen.getByRole('button', { name: 'Load more people' }));
    await screen.findByRole('button', { name: 'Drew Park' });
    expect(calls.filter((c) => c.name === 'listMembers').map((c) => (c.input.query as any).cursor)).toEqual([undefined, 'page-2']);
    expect(screen.queryByRole('button', { name: 'Load more people' })).toBeNull();
  });

  it('searches by name or email and filters by office and state', async () => {
    const user = userEvent.setup();
    const { api } = membersApi();
    renderWithApp(<MembersPage />, { api, me: MANAGER_ME });
    await screen.findByRole('button', { name: 'Avery Chen' });
    await user.type(screen.getByRole('searchbox'), 'blake@');
    expect(names()).toEqual(['Blake Ortiz']);
    await user.clear(screen.getByRole('searchbox'));

    await user.click(screen.getByRole('combobox', { name: 'Office' }));
    await user.click(screen.getByRole('option', { name: 'Boston' }));
    expect(names()).toEqual(['Avery Chen', 'Casey Lund']);
    await user.click(screen.getByRole('combobox', { name: 'State' }));
    await user.click(screen.getByRole('option', { name: 'Requested' }));
    expect(names()).toEqual(['Casey Lund']);
    screen.getByText(/1 of 3 loaded match/);

    await user.type(screen.getByRole('searchbox'), 'nobody');
    screen.getByText(/Nobody matches/);
  });

  it('shows the chosen member’s history, with Reverse only where it applies', async () => {
    const user = userEvent.setup();
    const { api, calls } = membersApi();
    renderWithApp(<MembersPage />, { api, me: MANAGER_ME });
    await user.click(await screen.findByRole('button', { name: 'Avery Chen' }));
    const history = await screen.findByRole('table', { name: 'History of Avery Chen' });
    expect(calls.find((c) => c.name === 'listUsage')!.input.query).toMatchObject({ memberId: 'avery' });
    const rows = within(history).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(4);
    // The reversal itself has no Reverse; the entry it reversed shows as reversed; the others offer it.
    expect(within(rows[0]!).queryByRole('button')).toBeNull();
    within(rows[1]!).getByText('−60');
    within(rows[1]!).getByRole('button', { name: /^Reverse Usage \(own credits\) of 60/ });
    within(rows[2]!).getByText('Reversed');
    expect(within(rows[2]!).queryByRole('button')).toBeNull();
    within(rows[3]!).getByText('+100');
    within(rows[3]!).getByRole('button', { name: /^Reverse Allotment granted/ });
  });

  it('an account manager records usage for the chosen person, once, and their balance and history are read again', async () => {
    const user = userEvent.setup();
    let recorded = false;
    const { api, calls } = membersApi({
      listMembers: () => ({ items: [recorded ? { ...AVERY, credits: { ...AVERY.credits, own: 37.5 } } : AVERY, BLAKE, CASEY], nextCursor: null }),
      postUsage: () => {
        recorded = true;
        return { postingId: 'post-u', fromOwn: 2.5, fromPool: 0, balanceAfter: 37.5 };
      },
    });
    renderWithApp(<MembersPage />, { api, me: MANAGER_ME });
    await user.click(await screen.findByRole('button', { name: 'Avery Chen' }));
    await user.click(await screen.findByRole('button', { name: 'Record usage for Avery Chen' }));
    const dialog = await screen.findByRole('dialog', { name: 'Record usage for Avery Chen' });
    await user.type(await within(dialog).findByLabelText(/Credits/), '2.5');
    await user.dblClick(within(dialog).getByRole('button', { name: 'Log usage' }));
    expect((await within(dialog).findByText(/from their own credits/)).textContent).toContain('Avery Chen has 37.5 of their own left.');
    const posts = calls.filter((c) => c.name === 'postUsage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.input.body).toMatchObject({ memberId: 'avery', credits: 2.5, service: 'cloud_rendering' });
    const historyReads = calls.filter((c) => c.name === 'listUsage').length;
    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(calls.filter((c) => c.name === 'listUsage').length).toBeGreaterThan(historyReads));
    const row = (await screen.findByRole('button', { name: 'Avery Chen' })).closest('tr')!;
    await waitFor(() => expect(row.textContent).toContain('37.5'));
  });

  it("says beforehand which of the person's open holds the usage recorded for them would settle", async () => {
    const user = userEvent.setup();
    const hold = {
      id: 'h-avery',
      memberId: 'avery',
      credits: 25,
      fromOwn: 25,
      fromPool: 0,
      service: 'cloud_rendering',
      note: null,
      placedAt: '2026-11-02T10:00:00.000Z',
      placedBy: 'avery',
      expiresAt: '2099-11-09T10:00:00.000Z',
      state: 'held',
      closedAt: null,
      closedBy: null,
      closedIn: null,
    };
    const { api, calls } = membersApi({ listHolds: ({ query }: any) => ({ items: query.memberId === 'avery' && query.state === 'held' ? [hold] : [], nextCursor: null }) });
    renderWithApp(<MembersPage />, { api, me: MANAGER_ME });
    await user.click(await screen.findByRole('button', { name: 'Avery Chen' }));
    await user.click(await screen.findByRole('button', { name: 'Record usage for Avery Chen' }));
    const dialog = await screen.findByRole('dialog', { name: 'Record usage for Avery Chen' });
    await user.type(await within(dialog).findByLabelText(/Credits/), '20');
    const settles = await within(dialog).findByText(/This settles their hold/);
    expect(settles.textContent).toContain('This settles their hold of 25 for cloud rendering (reserved Nov 2, 2026)');
    expect(calls.filter((c) => c.name === 'listHolds').map((c) => c.input.query)).toContainEqual({ memberId: 'avery', state: 'held', limit: 50 });
  });

  it('offers no recording to IT (the API takes usage for someone from account managers only) or for someone not registered', async () => {
    const user = userEvent.setup();
    const { api } = membersApi();
    const view = renderWithApp(<MembersPage />, { api, me: IT_ME });
    await user.click(await screen.findByRole('button', { name: 'Avery Chen' }));
    await screen.findByRole('table', { name: 'History of Avery Chen' });
    expect(screen.queryByRole('button', { name: /Record usage/ })).toBeNull();
    view.unmount();
    renderWithApp(<MembersPage />, { api, me: MANAGER_ME });
    await user.click(await screen.findByRole('button', { name: 'Casey Lund' }));
    await screen.findByRole('table', { name: 'History of Casey Lund' });
    expect(screen.queryByRole('button', { name: /Record usage/ })).toBeNull();
  });

  it('orders a member’s history by the day used, then when recorded, with an import’s rows named as such', async () => {
    const user = userEvent.setup();
    const imported = { source: 'import:imp-7xk', actor: 'riley', at: '2026-12-07T08:00:00.000Z', postingId: 'post-import' };
    const today = transfer('d7', 'usage_individual', 2, 'member:avery', 'usage', { date: '2026-12-07', at: '2026-12-07T09:00:00.000Z' });
    const replaced = transfer('i.00', 'reversal', 3, 'usage', 'member:avery', { ...imported, date: '2026-12-06', reverses: 'd6', reason: "Confirmed by Autodesk's usage export (import imp-7xk, line 4)" });
    const dec2 = transfer('i.01', 'usage_individual', 4, 'member:avery', 'usage', { ...imported, date: '2026-12-02' });
    const logged6 = transfer('d6', 'usage_individual', 3, 'member:avery', 'usage', { date: '2026-12-06', at: '2026-12-06T15:00:00.000Z' });
    const logged5 = transfer('d5', 'usage_individual', 1, 'member:avery', 'usage', { date: '2026-12-05', at: '2026-12-05T10:00:00.000Z' });
    const { api } = membersApi({ listUsage: () => ({ items: [today, replaced, dec2, logged6, logged5], nextCursor: null }) });
    renderWithApp(<MembersPage />, { api, me: MANAGER_ME });
    await user.click(await screen.findByRole('button', { name: 'Avery Chen' }));
    const history = await screen.findByRole('table', { name: 'History of Avery Chen' });
    expect(within(history).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Used on', 'What', 'Credits', 'Details', 'Recorded', 'Correct']);
    const rows = within(history).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]!.textContent)).toEqual(['Dec 7, 2026', 'Dec 6, 2026', 'Dec 6, 2026', 'Dec 5, 2026', 'Dec 2, 2026']);
    within(rows[1]!).getByText(/Replaced by the same usage in Autodesk's usage export/);
    within(rows[4]!).getByText(/from Autodesk's usage export/);
    expect(history.textContent).not.toMatch(/Confirmed by|imp-7xk/);
  });

  it('reverses an entry only with a reason, sends it once, and updates the balance', async () => {
    const user = userEvent.setup();
    const { api, calls } = membersApi();
    renderWithApp(<MembersPage />, { api, me: MANAGER_ME });
    await user.click(await screen.findByRole('button', { name: 'Avery Chen' }));
    const history = await screen.findByRole('table', { name: 'History of Avery Chen' });
    await user.click(within(history).getByRole('button', { name: /^Reverse Usage/ }));
    const dialog = await screen.findByRole('dialog');
    const reverse = await within(dialog).findByRole('button', { name: 'Reverse' });
    expect(reverse.hasAttribute('disabled')).toBe(true);
    const reason = await within(dialog).findByRole('textbox');
    await user.type(reason, '  ');
    expect(reverse.hasAttribute('disabled')).toBe(true);
    await user.type(reason, 'Logged twice');
    await user.dblClick(reverse);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    const posts = calls.filter((c) => c.name === 'reverseTransfer');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.input).toMatchObject({ params: { id: 't-use' }, body: { reason: 'Logged twice' } });
    expect(typeof posts[0]!.input.idempotencyKey).toBe('string');
    await screen.findByText(/Reversed: a correcting entry of 60 credits/);
    // Own credits went back up by the reversed usage: 40 + 60.
    await waitFor(() => within(memberRows().find((r) => within(r).queryByText('Avery Chen'))!).getByText('100'));
  });

  it('shows a refused reversal in plain words and keeps the dialog open', async () => {
    const user = userEvent.setup();
    const { api } = membersApi({ reverseTransfer: () => new ApiError(409, 'ALREADY_REVERSED', 'This entry was already reversed.') });
    renderWithApp(<MembersPage />, { api, me: MANAGER_ME });
    await user.click(await screen.findByRole('button', { name: 'Avery Chen' }));
    const history = await screen.findByRole('table', { name: 'History of Avery Chen' });
    await user.click(within(history).getByRole('button', { name: /^Reverse Allotment/ }));
    const dialog = await screen.findByRole('dialog');
    await user.type(await within(dialog).findByRole('textbox'), 'Wrong person');
    await user.click(within(dialog).getByRole('button', { name: 'Reverse' }));
    await within(dialog).findByText(/This entry has already been reversed/);
    expect(within(dialog).queryByText(/ALREADY_REVERSED/)).toBeNull();
  });

  it('says what to do when nobody is there yet', async () => {
    const user = userEvent.setup();
    let fail = true;
    const { api } = fakeApi({ listMembers: () => (fail ? new ApiError(503, 'STORAGE_UNAVAILABLE', 'Storage is busy.') : { items: [], nextCursor: null }) });
    renderWithApp(<MembersPage />, { api, me: MANAGER_ME });
    await screen.findByText(/Storage is busy/);
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText(/Nobody yet/);
  });
});
