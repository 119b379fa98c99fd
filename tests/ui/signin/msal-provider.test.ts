/**
 * Issue 17, items 1 and 3: signing in through MSAL on every route, with the real msal-browser. With nobody
 * signed in, `acquireTokenSilent` throws `no_account_error`; the provider used to handle only
 * InteractionRequiredAuthError, rethrow, and never start a sign-in.
 */
import { BrowserAuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMsalProvider, paneSignInRoute, tabSignInRoute } from '../../../src/platform/auth.js';
import { SignInError, signInErrorOf } from '../../../src/platform/sign-in-error.js';
import { errorWords, readsPlain } from '../../../src/ui/error-words.js';
import { TEST_CONFIG, resetWatched, teamsAuthenticate, tokenResult, watched } from './msal-mocks.js';

// Hoisted above the imports: each factory loads the helpers itself.
vi.mock('@azure/msal-browser', async (original) => (await import('./msal-mocks.js')).watchedMsal(original));
vi.mock('@microsoft/teams-js', async (original) => (await import('./msal-mocks.js')).watchedTeams(original));
vi.mock('../../../src/platform/config.js', async () => ({ clientConfig: (await import('./msal-mocks.js')).TEST_CONFIG }));

const API = [TEST_CONFIG.apiScope];

beforeEach(resetWatched);
afterEach(() => {
  vi.restoreAllMocks();
  delete (globalThis as { Office?: unknown }).Office;
});

/** The real client's method, replaced for what needs Microsoft's sign-in page. */
const standIn = <K extends 'acquireTokenRedirect' | 'acquireTokenPopup' | 'acquireTokenSilent' | 'handleRedirectPromise'>(method: K) => vi.spyOn(watched.pca!, method);

async function failureOf(promise: Promise<unknown>): Promise<SignInError> {
  const failure = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(SignInError);
  return failure as SignInError;
}

describe('which way each host signs in', () => {
  it('the tab: a browser redirects; a host recommending nested app authentication uses it; any other host opens Teams’ sign-in window', () => {
    expect(tabSignInRoute({ host: 'browser', nestedAuth: false })).toBe('redirect');
    expect(tabSignInRoute({ host: 'teams', nestedAuth: true })).toBe('nested');
    expect(tabSignInRoute({ host: 'teams', nestedAuth: false })).toBe('teams-window');
    expect(tabSignInRoute({ host: 'outlook', nestedAuth: false })).toBe('teams-window');
  });

  it('the pane: nested app authentication with NestedAppAuth 1.1, else Office’s dialog', () => {
    expect(paneSignInRoute({ nestedAuth: true })).toBe('nested');
    expect(paneSignInRoute({ nestedAuth: false })).toBe('office-dialog');
  });
});

describe('a plain browser (MSAL redirect)', () => {
  it('first sign-in: with no account MSAL throws no_account_error, and the provider starts the redirect (once for calls that start together)', async () => {
    const auth = await createMsalProvider('redirect');
    expect(watched.factory).toBe('standard');
    const silent = vi.spyOn(watched.pca!, 'acquireTokenSilent');
    const redirect = standIn('acquireTokenRedirect').mockResolvedValue(undefined);
    const [me, settings] = await Promise.all([failureOf(auth.getToken()), failureOf(auth.getToken())]);
    // The real client's own failure: nobody is signed in.
    await expect(silent.mock.results[0]!.value).rejects.toBeInstanceOf(BrowserAuthError);
    await expect(silent.mock.results[0]!.value).rejects.toMatchObject({ errorCode: 'no_account_error' });
    expect(redirect).toHaveBeenCalledTimes(1);
    expect(redirect).toHaveBeenCalledWith({ scopes: API });
    expect(me.problem).toBe('needed');
    expect(settings.problem).toBe('needed');
  });

  it('the redirect comes back refused (consent declined): the person reads why once, and "Sign in" redirects again', async () => {
    watched.onCreated = (pca) => vi.spyOn(pca, 'handleRedirectPromise').mockRejectedValue(new ServerError('access_denied', '', 'AADSTS65004: User declined to consent.'));
    const auth = await createMsalProvider('redirect');
    const redirect = standIn('acquireTokenRedirect').mockResolvedValue(undefined);
    const refused = await failureOf(auth.getToken());
    expect(refused.problem).toBe('declined');
    expect(errorWords(refused)).toMatch(/did not get permission to sign you in/);
    expect(redirect).not.toHaveBeenCalled();
    await failureOf(auth.signIn());
    expect(redirect).toHaveBeenCalledWith({ scopes: API });
  });

  it('back from a redirect that worked: the account is remembered and later tokens come silently', async () => {
    const remembered = vi.fn();
    watched.onCreated = (pca) => {
      vi.spyOn(pca, 'handleRedirectPromise').mockResolvedValue(tokenResult('first'));
      vi.spyOn(pca, 'setActiveAccount').mockImplementation(remembered);
    };
    const auth = await createMsalProvider('redirect');
    expect(remembered).toHaveBeenCalledWith(expect.objectContaining({ username: 'ada@fabrikam.example' }));
    const silent = standIn('acquireTokenSilent').mockResolvedValue(tokenResult('renewed'));
    const redirect = standIn('acquireTokenRedirect');
    expect(await auth.getToken()).toBe('renewed');
    expect(silent).toHaveBeenCalledWith(expect.objectContaining({ scopes: API }));
    expect(redirect).not.toHaveBeenCalled();
  });

  it('consent to Graph scopes opens a pop-up (never a redirect, which would lose the page); a blocked pop-up is said in words', async () => {
    const auth = await createMsalProvider('redirect');
    const redirect = standIn('acquireTokenRedirect');
    standIn('acquireTokenPopup').mockRejectedValueOnce(new BrowserAuthError('empty_window_error', '')).mockResolvedValueOnce(tokenResult('graph'));
    const blocked = await failureOf(auth.getTokenFor(['Mail.Read']));
    expect(blocked.problem).toBe('blocked');
    expect(errorWords(blocked)).toBe('The sign-in window could not open. Allow pop-ups for Credit Desk, then select Sign in.');
    expect(await auth.getTokenFor(['Mail.Read'])).toBe('graph');
    expect(redirect).not.toHaveBeenCalled();
  });
});

describe('nested app authentication (Teams recommends it, Outlook has NestedAppAuth 1.1)', () => {
  it('uses the nestable client; consent required silently: the host’s own sign-in (acquireTokenPopup) starts, no redirect', async () => {
    const auth = await createMsalProvider('nested');
    expect(watched.factory).toBe('nestable');
    standIn('acquireTokenSilent').mockRejectedValue(new InteractionRequiredAuthError('consent_required', '', 'AADSTS65001'));
    const popup = standIn('acquireTokenPopup').mockResolvedValue(tokenResult('brokered'));
    expect(await auth.getToken()).toBe('brokered');
    expect(popup).toHaveBeenCalledWith({ scopes: API });
  });

  it('the person closes the host’s sign-in: "Sign in" asks again instead of repeating the failed silent request', async () => {
    const auth = await createMsalProvider('nested');
    standIn('acquireTokenSilent').mockRejectedValue(new InteractionRequiredAuthError('interaction_required', ''));
    const popup = standIn('acquireTokenPopup').mockRejectedValueOnce(new BrowserAuthError('user_cancelled', '')).mockResolvedValueOnce(tokenResult('brokered'));
    const cancelled = await failureOf(auth.getToken());
    expect(cancelled.problem).toBe('cancelled');
    expect(errorWords(cancelled)).toBe('Signing in was stopped before it finished. Select Sign in to try again.');
    await auth.signIn();
    expect(popup).toHaveBeenCalledTimes(2);
  });
});

describe('Teams without nested app authentication (Teams’ sign-in window)', () => {
  it('first sign-in opens no window by itself (it needs a click); "Sign in" opens Teams’ window on the sign-in page, whose token is then used', async () => {
    const auth = await createMsalProvider('teams-window');
    expect(watched.factory).toBe('standard');
    const needed = await failureOf(auth.getToken());
    expect(needed).toMatchObject({ problem: 'needed', reason: 'no_account_error' });
    expect(teamsAuthenticate).not.toHaveBeenCalled();

    teamsAuthenticate.mockResolvedValue(JSON.stringify({ accessToken: 'from-window', expiresOn: Date.now() + 60 * 60 * 1000 }));
    await auth.signIn();
    const url = new URL(teamsAuthenticate.mock.calls[0]![0].url);
    expect(url.pathname).toBe('/auth.html');
    expect(url.searchParams.get('for')).toBe('teams');
    expect(url.searchParams.get('scopes')).toBe(TEST_CONFIG.apiScope);
    expect(await auth.getToken()).toBe('from-window');
    expect(teamsAuthenticate).toHaveBeenCalledTimes(1);
  });

  it('the person closes Teams’ window (CancelledByUser), or Teams cannot open it (FailedToOpenWindow)', async () => {
    const auth = await createMsalProvider('teams-window');
    teamsAuthenticate.mockRejectedValueOnce(new Error('CancelledByUser')).mockRejectedValueOnce(new Error('FailedToOpenWindow'));
    expect((await failureOf(auth.signIn())).problem).toBe('cancelled');
    expect((await failureOf(auth.signIn())).problem).toBe('blocked');
  });

  it('the sign-in page reports a refused consent: the window’s failure reaches the tab with its meaning', async () => {
    const auth = await createMsalProvider('teams-window');
    teamsAuthenticate.mockRejectedValue(new Error('access_denied'));
    expect((await failureOf(auth.signIn())).problem).toBe('declined');
  });

  it('silent renewal: a token from the window about to run out is renewed by MSAL silently, without opening the window again', async () => {
    const auth = await createMsalProvider('teams-window');
    teamsAuthenticate.mockResolvedValue(JSON.stringify({ accessToken: 'almost-expired', expiresOn: Date.now() + 60 * 1000 }));
    await auth.signIn();
    const silent = standIn('acquireTokenSilent').mockResolvedValue(tokenResult('renewed'));
    expect(await auth.getToken()).toBe('renewed');
    expect(silent).toHaveBeenCalled();
    expect(teamsAuthenticate).toHaveBeenCalledTimes(1);
  });
});

describe('Outlook without NestedAppAuth 1.1 (Office’s dialog)', () => {
  type Handler = (arg: { message: string; origin: string | undefined } | { error: number }) => void;

  /** Office's dialog API as Outlook runs it: the test plays the page in the dialog. */
  function officeWithDialog() {
    const handlers = new Map<string, Handler>();
    const opened: string[] = [];
    const dialog = { addEventHandler: (type: string, handler: Handler) => handlers.set(type, handler), close: vi.fn() };
    (globalThis as { Office?: unknown }).Office = {
      AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
      EventType: { DialogMessageReceived: 'dialogMessageReceived', DialogEventReceived: 'dialogEventReceived' },
      context: {
        ui: {
          displayDialogAsync: (url: string, _options: unknown, callback: (result: unknown) => void) => {
            opened.push(url);
            callback({ status: 'succeeded', value: dialog });
          },
        },
      },
    };
    return { opened, dialog, page: (type: string, arg: Parameters<Handler>[0]) => handlers.get(type)!(arg) };
  }

  it('"Sign in" opens the dialog on the sign-in page; its message carries the token', async () => {
    const office = officeWithDialog();
    const auth = await createMsalProvider('office-dialog');
    expect((await failureOf(auth.getToken())).problem).toBe('needed');
    expect(office.opened).toEqual([]);
    const signedIn = auth.signIn();
    await vi.waitFor(() => expect(office.opened).toHaveLength(1));
    expect(new URL(office.opened[0]!).searchParams.get('for')).toBe('outlook');
    office.page('dialogMessageReceived', { message: JSON.stringify({ accessToken: 'from-dialog', expiresOn: Date.now() + 3_600_000 }), origin: location.origin });
    await signedIn;
    expect(office.dialog.close).toHaveBeenCalled();
    expect(await auth.getToken()).toBe('from-dialog');
  });

  it('the person closes the dialog (12006): cancelled, in words', async () => {
    const office = officeWithDialog();
    const auth = await createMsalProvider('office-dialog');
    const signedIn = failureOf(auth.signIn());
    await vi.waitFor(() => expect(office.opened).toHaveLength(1));
    office.page('dialogEventReceived', { error: 12006 });
    expect((await signedIn).problem).toBe('cancelled');
  });
});

describe('MSAL’s first-sign-in failures, in words', () => {
  it('each kind of failure a first sign-in raises has its meaning and a sentence without a code', () => {
    const cases: [unknown, string][] = [
      [new BrowserAuthError('no_account_error', ''), 'needed'],
      [new InteractionRequiredAuthError('login_required', ''), 'needed'],
      [new InteractionRequiredAuthError('consent_required', ''), 'consent'],
      [new InteractionRequiredAuthError('invalid_grant', '', 'AADSTS65001', 'consent_required'), 'consent'],
      [new ServerError('access_denied', ''), 'declined'],
      [new BrowserAuthError('user_cancelled', ''), 'cancelled'],
      [new BrowserAuthError('popup_window_error', ''), 'blocked'],
      [new BrowserAuthError('interaction_in_progress', ''), 'busy'],
      [new BrowserAuthError('no_network_connectivity', ''), 'offline'],
      [new ServerError('invalid_client', ''), 'failed'],
    ];
    for (const [error, problem] of cases) {
      const failure = signInErrorOf(error);
      expect(failure.problem, String(error)).toBe(problem);
      expect(readsPlain(errorWords(failure)), errorWords(failure)).toBe(true);
    }
  });
});
