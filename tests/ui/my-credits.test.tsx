// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/platform/api-client.js';
import { MyCreditsPage } from '../../src/tab/my-credits/index.js';
import { EMPLOYEE_ME, POLICY, SETTINGS, fakeApi, renderWithApp } from './render.js';

const HOLD = {
  id: 'h1',
  memberId: 'emp-1',
  credits: 25,
  fromOwn: 25,
  fromPool: 0,
  service: 'simulation',
  note: 'Tower wind study',
  placedAt: '2026-11-02T10:00:00.000Z',
  placedBy: 'emp-1',
  expiresAt: '2026-11-09T10:00:00.000Z',
  state: 'held' as const,
  closedAt: null,
  closedBy: null,
  closedIn: null,
};
const noHolds = () => ({ items: [], nextCursor: null });
/** The open holds from `open`; none settled (the page also asks for the recently settled ones). */
const openHolds = (open: () => { items: unknown[]; nextCursor: null }) => (input: { query: { state: string } }) => (input.query.state === 'held' ? open() : noHolds());

describe('My credits', () => {
  it('shows own credits left of the allotment and why the pool is not theirs yet', () => {
    renderWithApp(<MyCreditsPage />, { api: fakeApi({ listHolds: noHolds }).api });
    expect(screen.getByTestId('own-balance').textContent).toBe('40');
    screen.getByText(/of 100 credits left/);
    expect(screen.getAllByText(/draws on the shared pool only once they are used up/).length).toBeGreaterThan(0);
  });

  it('tells someone who is not registered to register, and disables logging', async () => {
    const me = { ...EMPLOYEE_ME, registration: { state: 'requested' as const, since: EMPLOYEE_ME.registration.since }, credits: { own: 0, pool: 250, held: 0, available: 0 } };
    renderWithApp(<MyCreditsPage />, { api: fakeApi({ listHolds: noHolds }).api, me });
    expect(screen.getByRole('button', { name: 'Log usage' }).hasAttribute('disabled')).toBe(true);
    // The notice loads only for those it is for.
    await screen.findByText('Go to registration');
  });

  it('tells someone who has left their situation, not to register', async () => {
    const me = { ...EMPLOYEE_ME, registration: { state: 'left' as const, since: EMPLOYEE_ME.registration.since }, credits: { own: 12, pool: 250, held: 0, available: 0 } };
    renderWithApp(<MyCreditsPage />, { api: fakeApi({ listHolds: noHolds }).api, me });
    const statement = await screen.findByTestId('left-contract');
    expect(screen.queryByText('Go to registration')).toBeNull();
    expect(screen.queryByText(/need a registered Autodesk account/)).toBeNull();
    expect(screen.queryByText(/registration is complete/)).toBeNull();
    expect(statement.textContent).toContain("You have left the firm's Autodesk contract");
    expect(statement.textContent).toContain('Your 12 own credits stay with your Autodesk account');
    expect(screen.getByRole('button', { name: 'Log usage' }).hasAttribute('disabled')).toBe(true);
    expect(screen.getByRole('button', { name: /Reserve/ }).hasAttribute('disabled')).toBe(true);
  });

  it('logs usage once, even when submit is clicked twice, and says where the credits came from', async () => {
    const user = userEvent.setup();
    let refreshed = 0;
    const { api, calls } = fakeApi({ listHolds: noHolds, postUsage: () => ({ postingId: 'p1', fromOwn: 40, fromPool: 10, balanceAfter: 0 }) });
    renderWithApp(<MyCreditsPage />, { api, refreshMe: async () => void refreshed++ });
    await user.click(screen.getByRole('button', { name: 'Log usage' }));
    const refreshedOnOpen = refreshed;
    await user.type(await screen.findByLabelText(/Credits/), '50');
    const submit = screen.getAllByRole('button', { name: 'Log usage' }).at(-1)!;
    await user.dblClick(submit);
    await screen.findByText(/from the shared pool/);
    const posts = calls.filter((c) => c.name === 'postUsage');
    expect(new Set(posts.map((c) => c.input.idempotencyKey)).size).toBe(1);
    expect(posts[0]!.input.body).toMatchObject({ service: 'cloud_rendering', credits: 50 });
    expect(refreshedOnOpen).toBe(1); // the page refreshes the balances when shown
    expect(refreshed - refreshedOnOpen).toBe(1);
  });

  it("words the log usage dialog's cost guide in the tenant's unit", async () => {
    const user = userEvent.setup();
    const flex = { ...SETTINGS, unitName: 'Flex tokens' as const, individualAllotment: 0 };
    renderWithApp(<MyCreditsPage />, { api: fakeApi({ listHolds: noHolds }).api, settings: flex });
    await user.click(screen.getByRole('button', { name: 'Log usage' }));
    const guide = await screen.findByRole('table', { name: 'Cost guide' });
    expect(within(guide).getAllByText(/^about [\d.,]+ tokens?$/).length).toBe(flex.services.length);
    expect(within(guide).queryByText(/credit/)).toBeNull();
  });

  it('explains a refusal when the pool is short', async () => {
    const user = userEvent.setup();
    const { api } = fakeApi({ listHolds: noHolds, postUsage: () => new ApiError(422, 'POOL_INSUFFICIENT', 'The shared pool has 5 left.', { poolBalance: 5, openPurchases: [] }) });
    renderWithApp(<MyCreditsPage />, { api });
    await user.click(screen.getByRole('button', { name: 'Log usage' }));
    await user.type(await screen.findByLabelText(/Credits/), '500');
    await user.click(screen.getAllByRole('button', { name: 'Log usage' }).at(-1)!);
    await screen.findByText(/The shared pool has 5 left/);
    screen.getByText(/Ask an account manager to order more credits/);
  });

  it('refuses three decimals before sending anything', async () => {
    const user = userEvent.setup();
    const { api, calls } = fakeApi({ listHolds: noHolds });
    renderWithApp(<MyCreditsPage />, { api });
    await user.click(screen.getByRole('button', { name: 'Log usage' }));
    await user.type(await screen.findByLabelText(/Credits/), '1.234');
    expect(screen.getAllByRole('button', { name: 'Log usage' }).at(-1)!.hasAttribute('disabled')).toBe(true);
    screen.getByText(/at most two decimals/);
    expect(calls.filter((c) => c.name !== 'listHolds')).toHaveLength(0);
  });
});

describe('My credits: holds', () => {
  const withHold = { ...EMPLOYEE_ME, credits: { own: 15, pool: 250, held: 25, available: 265 } };

  it('lists open holds with when they lapse, and voids one once, even when clicked twice', async () => {
    const user = userEvent.setup();
    let listed = 0;
    let refreshed = 0;
    const { api, calls } = fakeApi({
      listHolds: openHolds(() => (listed++ === 0 ? { items: [HOLD], nextCursor: null } : noHolds())),
      voidHold: () => ({ hold: { ...HOLD, state: 'voided', closedAt: HOLD.placedAt, closedBy: 'emp-1' } }),
    });
    renderWithApp(<MyCreditsPage />, { api, me: withHold, refreshMe: async () => void refreshed++ });
    const table = await screen.findByRole('table', { name: 'Open holds' });
    expect(table.textContent).toContain('Tower wind study');
    expect(table.textContent).toContain('25 own');
    expect(screen.getByTestId('held').textContent).toBe('25 held for planned jobs, all of your own.');
    screen.getByText(/Not counting the 25 you have reserved/);
    const before = refreshed;
    await user.dblClick(screen.getByRole('button', { name: 'Void the hold of 25 credits for Simulation' }));
    await screen.findByText(/Nothing reserved/);
    // A second click while the first is on its way does nothing; one after it carries the same key (a replay).
    const voids = calls.filter((c) => c.name === 'voidHold');
    expect(new Set(voids.map((c) => c.input.idempotencyKey)).size).toBe(1);
    expect(voids[0]!.input.params).toEqual({ id: 'h1' });
    expect(refreshed - before).toBeGreaterThanOrEqual(1);
    expect(calls.filter((c) => c.name === 'listHolds').at(0)!.input.query).toEqual({ state: 'held', limit: 50 });
  });

  it('reserves credits: says where they will come from, sends one hold, and shows it', async () => {
    const user = userEvent.setup();
    let listed = 0;
    const { api, calls } = fakeApi({
      listHolds: openHolds(() => (listed++ === 0 ? noHolds() : { items: [{ ...HOLD, credits: 50, fromOwn: 40, fromPool: 10 }], nextCursor: null })),
      placeHold: (input: { body: { credits: number } }) => ({ hold: { ...HOLD, credits: input.body.credits, fromOwn: 40, fromPool: 10 } }),
    });
    renderWithApp(<MyCreditsPage />, { api });
    await user.click(screen.getByRole('button', { name: 'Reserve credits' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reserve credits' });
    await user.type(await screen.findByLabelText(/Credits/), '50');
    expect(dialog.textContent).toContain('40 from your own credits and 10 from the shared pool');
    await user.type(screen.getByLabelText(/Note/), 'Tower wind study');
    await user.dblClick(screen.getByRole('button', { name: 'Reserve' }));
    await screen.findByText(/held for you until/);
    const posts = calls.filter((c) => c.name === 'placeHold');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.input.body).toEqual({ service: 'cloud_rendering', credits: 50, note: 'Tower wind study' });
    expect(typeof posts[0]!.input.idempotencyKey).toBe('string');
    await user.click(screen.getByRole('button', { name: 'Done' }));
    expect((await screen.findByRole('table', { name: 'Open holds' })).textContent).toContain('10 pool');
  });

  it("names the policy's limit on pool credits one person may hold, and says when holds take own credits only", async () => {
    const user = userEvent.setup();
    const { api } = fakeApi({ listHolds: noHolds });
    const view = renderWithApp(<MyCreditsPage />, { api, settings: { ...POLICY, maxPoolHeldPerPerson: 150 } });
    await user.click(screen.getByRole('button', { name: 'Reserve credits' }));
    expect((await screen.findByRole('dialog', { name: 'Reserve credits' })).textContent).toContain('One person may hold at most 150 credits of the shared pool at a time.');
    view.unmount();
    renderWithApp(<MyCreditsPage />, { api, settings: { ...POLICY, maxPoolHeldPerPerson: 0 } });
    await user.click(screen.getByRole('button', { name: 'Reserve credits' }));
    expect((await screen.findByRole('dialog', { name: 'Reserve credits' })).textContent).toContain('Holds take your own credits only.');
  });

  it('warns before sending when the pool cannot cover the rest, and explains the refusal', async () => {
    const user = userEvent.setup();
    const { api } = fakeApi({ listHolds: noHolds, placeHold: () => new ApiError(422, 'POOL_INSUFFICIENT', 'The shared pool has 250 left.', { openPurchases: [{ id: 'x' }] }) });
    renderWithApp(<MyCreditsPage />, { api });
    await user.click(screen.getByRole('button', { name: 'Reserve credits' }));
    await user.type(await screen.findByLabelText(/Credits/), '300');
    screen.getByText(/less than the 260 this needs from it/);
    await user.click(screen.getByRole('button', { name: 'Reserve' }));
    await screen.findByText(/The shared pool has 250 left/);
    screen.getByText(/Reserve this again once they arrive/);
  });

  it('the log usage dialog says which open hold the usage settles', async () => {
    const user = userEvent.setup();
    const older = { ...HOLD, id: 'h0', service: 'cloud_rendering', credits: 5, placedAt: '2026-11-01T10:00:00.000Z' };
    const { api } = fakeApi({
      listHolds: openHolds(() => ({ items: [HOLD, older], nextCursor: null })),
      postUsage: () => ({ postingId: 'p1', fromOwn: 20, fromPool: 0, balanceAfter: 20, settledHolds: [{ id: 'h1', credits: 25, service: 'simulation' }] }),
    });
    renderWithApp(<MyCreditsPage />, { api, me: withHold });
    await screen.findByRole('table', { name: 'Open holds' });
    await user.click(screen.getByRole('button', { name: 'Log usage' }));
    const dialog = await screen.findByRole('dialog', { name: 'Log usage' });
    // Cloud rendering (the first service) settles the cloud rendering hold.
    // Rendering catches up after each choice: on a busy machine the text changes a moment later.
    await waitFor(() => expect(dialog.textContent).toMatch(/settles your hold of 5 for cloud rendering/));
    await user.click(await within(dialog).findByRole('combobox'));
    await user.click(await screen.findByRole('option', { name: 'Simulation' }));
    await waitFor(() => expect(dialog.textContent).toMatch(/settles your hold of 25 for simulation/));
    await user.type(screen.getByLabelText(/Credits/), '20');
    await user.click(screen.getAllByRole('button', { name: 'Log usage' }).at(-1)!);
    await screen.findByText(/Your hold of 25 is settled/);
  });

  it('the log usage dialog warns exactly when the core would settle: same service, dated on or after the day it was placed', async () => {
    const user = userEvent.setup();
    const placed = { ...HOLD, service: 'cloud_rendering', credits: 30, placedAt: '2026-12-06T14:00:00.000Z' };
    const { api } = fakeApi({ listHolds: openHolds(() => ({ items: [placed], nextCursor: null })) });
    renderWithApp(<MyCreditsPage />, { api, me: withHold });
    await screen.findByRole('table', { name: 'Open holds' });
    await user.click(screen.getByRole('button', { name: 'Log usage' }));
    const dialog = await screen.findByRole('dialog', { name: 'Log usage' });
    const date = await within(dialog).findByLabelText(/Date/);
    const setDate = async (day: string) => {
      await user.clear(date);
      await user.type(date, day);
    };
    const warns = () => /settles your hold/.test(dialog.textContent ?? '');
    await setDate('2026-12-05');
    await waitFor(() => expect((date as HTMLInputElement).value).toBe('2026-12-05'));
    expect(warns()).toBe(false);
    await setDate('2026-12-06');
    await waitFor(() => expect(dialog.textContent).toMatch(/settles your hold of 30 for cloud rendering/));
    // Another service on the same day settles nothing.
    await user.click(await within(dialog).findByRole('combobox'));
    await user.click(await screen.findByRole('option', { name: 'Simulation' }));
    await waitFor(() => expect(within(dialog).getByRole('combobox').textContent).toContain('Simulation'));
    expect(warns()).toBe(false);
  });

  it('shows what settled a hold: the usage, its day and where it came from', async () => {
    const settled = {
      ...HOLD,
      id: 'h9',
      service: 'generative_design',
      credits: 30,
      placedAt: '2026-12-06T14:00:00.000Z',
      state: 'settled' as const,
      closedAt: '2026-12-07T09:00:00.000Z',
      settledBy: { service: 'generative_design', date: '2026-12-07', credits: 30, source: 'import' as const },
    };
    const { api } = fakeApi({ listHolds: (input: { query: { state: string } }) => (input.query.state === 'settled' ? { items: [settled], nextCursor: null } : noHolds()) });
    renderWithApp(<MyCreditsPage />, { api });
    const section = await screen.findByRole('region', { name: 'Recently settled holds' });
    expect(section.textContent).toContain("Settled by 30 credits of generative design used Dec 7, 2026, from Autodesk's usage export.");
  });
});
