// @vitest-environment jsdom
import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/platform/api-client.js';
import { MyCreditsPage } from '../../src/tab/my-credits/index.js';
import { EMPLOYEE_ME, fakeApi, renderWithApp } from './render.js';

describe('My credits', () => {
  it('shows own credits left of the allotment and why the pool is not theirs yet', () => {
    renderWithApp(<MyCreditsPage />, { api: fakeApi({}).api });
    expect(screen.getByTestId('own-balance').textContent).toBe('40');
    expect(screen.getByText(/of 100 credits left/)).toBeTruthy();
    expect(screen.getAllByText(/draws on the shared pool only once they are used up/).length).toBeGreaterThan(0);
  });

  it('tells someone who is not registered to register, and disables logging', () => {
    const me = { ...EMPLOYEE_ME, registration: { state: 'requested' as const, since: EMPLOYEE_ME.registration.since }, credits: { own: 0, pool: 250, held: 0, available: 0 } };
    renderWithApp(<MyCreditsPage />, { api: fakeApi({}).api, me });
    expect(screen.getByRole('button', { name: 'Log usage' }).hasAttribute('disabled')).toBe(true);
    expect(screen.getByText('Go to registration')).toBeTruthy();
  });

  it('logs usage once, even when submit is clicked twice, and says where the credits came from', async () => {
    const user = userEvent.setup();
    let refreshed = 0;
    const { api, calls } = fakeApi({ postUsage: () => ({ postingId: 'p1', fromOwn: 40, fromPool: 10, balanceAfter: 0 }) });
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

  it('explains a refusal when the pool is short', async () => {
    const user = userEvent.setup();
    const { api } = fakeApi({ postUsage: () => new ApiError(422, 'POOL_INSUFFICIENT', 'The shared pool has 5 left.', { poolBalance: 5, openPurchases: [] }) });
    renderWithApp(<MyCreditsPage />, { api });
    await user.click(screen.getByRole('button', { name: 'Log usage' }));
    await user.type(await screen.findByLabelText(/Credits/), '500');
    await user.click(screen.getAllByRole('button', { name: 'Log usage' }).at(-1)!);
    await waitFor(() => expect(screen.getByText(/POOL_INSUFFICIENT/)).toBeTruthy());
    expect(screen.getByText(/Ask an account manager to order more credits/)).toBeTruthy();
  });

  it('refuses three decimals before sending anything', async () => {
    const user = userEvent.setup();
    const { api, calls } = fakeApi({});
    renderWithApp(<MyCreditsPage />, { api });
    await user.click(screen.getByRole('button', { name: 'Log usage' }));
    await user.type(await screen.findByLabelText(/Credits/), '1.234');
    expect(screen.getAllByRole('button', { name: 'Log usage' }).at(-1)!.hasAttribute('disabled')).toBe(true);
    expect(screen.getByText(/at most two decimals/)).toBeTruthy();
    expect(calls).toHaveLength(0);
  });
});
