/**
 * The sign-in page (src/auth.html) in Teams' sign-in window, with the real teams-js talking to a Teams
 * host (tests/support/teams-native-host.ts) and the real msal-browser: it signs in with MSAL's redirect and
 * answers Teams with the token (`notifySuccess`) or the failure's code (`notifyFailure`).
 */
import { ServerError } from '@azure/msal-browser';
import { app } from '@microsoft/teams-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { carriesAuthAnswer, runSignInPage } from '../../../src/auth/sign-in-page.js';
import { installTeamsNativeHost } from '../../support/teams-native-host.js';
import { resetWatched, tokenResult, watched } from './msal-mocks.js';

vi.mock('@azure/msal-browser', async (original) => (await import('./msal-mocks.js')).watchedMsal(original));
vi.mock('../../../src/platform/config.js', async () => ({ clientConfig: (await import('./msal-mocks.js')).TEST_CONFIG }));

const WINDOW_URL = new URL('http://localhost:3000/auth.html?for=teams&scopes=api%3A%2F%2Fdesk%2Faccess_as_user');

let uninstall: (() => void) | undefined;
beforeEach(resetWatched);
afterEach(() => {
  app._uninitialize();
  uninstall?.();
  uninstall = undefined;
});

describe('the sign-in page', () => {
  it('knows Microsoft’s answer in its address (the redirect bridge’s job) from a host opening it', () => {
    expect(carriesAuthAnswer(new URL('http://localhost:3000/auth.html#code=abc&state=xyz'))).toBe(true);
    expect(carriesAuthAnswer(new URL('http://localhost:3000/auth.html?error=access_denied&state=xyz'))).toBe(true);
    expect(carriesAuthAnswer(WINDOW_URL)).toBe(false);
  });

  it('with nobody signed in, leaves for Microsoft’s sign-in with the scopes the tab asked for', async () => {
    const redirected = vi.fn().mockResolvedValue(undefined);
    watched.onCreated = (pca) => vi.spyOn(pca, 'acquireTokenRedirect').mockImplementation(redirected);
    await runSignInPage(WINDOW_URL);
    expect(redirected).toHaveBeenCalledWith({ scopes: ['api://desk/access_as_user'] });
  });

  it('back from Microsoft, hands Teams the token', async () => {
    const teams = installTeamsNativeHost({ naaRecommended: false, frameContext: 'authentication' });
    uninstall = teams.uninstall;
    watched.onCreated = (pca) => vi.spyOn(pca, 'handleRedirectPromise').mockResolvedValue(tokenResult('signed-in'));
    await runSignInPage(WINDOW_URL);
    const success = teams.requests.find((r) => r.func === 'authentication.authenticate.success');
    expect(JSON.parse(String(success?.args?.[0]))).toMatchObject({ accessToken: 'signed-in', expiresOn: expect.any(Number) });
  });

  it('back from Microsoft with a refusal, hands Teams the code, which the tab turns into words', async () => {
    const teams = installTeamsNativeHost({ naaRecommended: false, frameContext: 'authentication' });
    uninstall = teams.uninstall;
    watched.onCreated = (pca) => vi.spyOn(pca, 'handleRedirectPromise').mockRejectedValue(new ServerError('access_denied', ''));
    await runSignInPage(WINDOW_URL);
    expect(teams.requests.find((r) => r.func === 'authentication.authenticate.failure')?.args).toEqual(['access_denied']);
  });
});
