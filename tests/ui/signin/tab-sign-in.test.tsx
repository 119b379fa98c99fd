/**
 * Issue 17 through the tab as a person meets it: the real teams-js (a Teams mobile host without the NAA
 * channel, tests/support/teams-native-host.ts) and the real msal-browser. With nobody signed in the tab
 * shows why in words with a "Sign in" button; the click opens Teams' sign-in window, and the tab then
 * calls the API with the token it brought. It used to take Teams mobile for a browser and show "Something
 * went wrong" with a retry that failed the same way.
 */
import { app } from '@microsoft/teams-js';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TabRoot } from '../../../src/tab/TabRoot.js';
import { installTeamsNativeHost } from '../../support/teams-native-host.js';
import { EMPLOYEE_ME, POLICY } from '../render.js';
import { resetWatched, teamsAuthenticate, watched } from './msal-mocks.js';

vi.mock('@azure/msal-browser', async (original) => (await import('./msal-mocks.js')).watchedMsal(original));
vi.mock('@microsoft/teams-js', async (original) => (await import('./msal-mocks.js')).watchedTeams(original));
vi.mock('../../../src/platform/config.js', async () => ({ clientConfig: (await import('./msal-mocks.js')).TEST_CONFIG }));

/** The API as the tab meets it in production: no dev identity, and only a bearer token from the window accepted. */
function productionApi(acceptedToken: string) {
  const bearers: (string | null)[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = new URL(input instanceof Request ? input.url : input, location.origin).pathname;
    const authorization = new Headers(init?.headers).get('authorization');
    if (path === '/api/me') bearers.push(authorization);
    if (authorization !== `Bearer ${acceptedToken}`) return new Response(JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'No.' } }), { status: 401 });
    const body = path === '/api/me' ? EMPLOYEE_ME : path === '/api/policy' ? POLICY : {};
    return new Response(JSON.stringify(body), { status: path === '/api/me' || path === '/api/policy' ? 200 : 404 });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { bearers };
}

let uninstall: (() => void) | undefined;
beforeEach(resetWatched);
afterEach(() => {
  app._uninitialize();
  uninstall?.();
  uninstall = undefined;
  vi.unstubAllGlobals();
});

describe('signing in to the tab in Teams mobile without nested app authentication', () => {
  it('shows why with a "Sign in" button; the click opens Teams’ sign-in window and the API gets its token', async () => {
    uninstall = installTeamsNativeHost({ naaRecommended: false }).uninstall;
    const api = productionApi('from-window');
    render(<TabRoot />);
    const signIn = await screen.findByRole('button', { name: 'Sign in' });
    screen.getByText('Sign in with your work account to use Credit Desk.');
    expect(watched.factory).toBe('standard');
    expect(teamsAuthenticate).not.toHaveBeenCalled();

    teamsAuthenticate.mockResolvedValue(JSON.stringify({ accessToken: 'from-window', expiresOn: Date.now() + 3_600_000 }));
    fireEvent.click(signIn);
    await waitFor(() => expect(api.bearers).toContain('Bearer from-window'));
    expect(new URL(teamsAuthenticate.mock.calls[0]![0].url).searchParams.get('for')).toBe('teams');
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Sign in' })).toBeNull());
  });

  it('the person closes Teams’ window: the tab says so and "Sign in" opens it again', async () => {
    uninstall = installTeamsNativeHost({ naaRecommended: false }).uninstall;
    productionApi('from-window');
    render(<TabRoot />);
    teamsAuthenticate.mockRejectedValue(new Error('CancelledByUser'));
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in' }));
    await screen.findByText('Signing in was stopped before it finished. Select Sign in to try again.');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(teamsAuthenticate).toHaveBeenCalledTimes(2));
  });
});

describe('signing in to the tab in a plain browser', () => {
  it('first sign-in: nobody is signed in, so the tab redirects to Microsoft’s sign-in by itself', async () => {
    productionApi('never');
    const redirected = vi.fn().mockResolvedValue(undefined);
    watched.onCreated = (pca) => vi.spyOn(pca, 'acquireTokenRedirect').mockImplementation(redirected);
    render(<TabRoot />);
    await waitFor(() => expect(redirected).toHaveBeenCalledTimes(1));
    expect(redirected).toHaveBeenCalledWith({ scopes: [expect.stringMatching(/access_as_user$/)] });
  });
});
