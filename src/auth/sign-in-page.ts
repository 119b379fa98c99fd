import type { AuthenticationResult } from '@azure/msal-browser';
import { msalConfiguration } from '../platform/auth.js';
import { signInErrorOf } from '../platform/sign-in-error.js';
import type { SignInWindowHost, WindowAnswer, WindowToken } from '../platform/sign-in-window.js';

/** An authorization answer in the address (a code or an error, with MSAL's state): Microsoft sent the browser back here. */
export function carriesAuthAnswer(url: URL): boolean {
  return [url.hash.replace(/^#/, ''), url.search.replace(/^\?/, '')].some((part) => {
    const params = new URLSearchParams(part);
    return params.has('state') && (params.has('code') || params.has('error'));
  });
}

const windowToken = (result: AuthenticationResult): WindowToken => ({
  accessToken: result.accessToken,
  expiresOn: result.expiresOn?.getTime() ?? Date.now() + 60 * 60 * 1000,
});

/**
 * In a host's sign-in window: back from Microsoft, the answer MSAL kept; else a token MSAL can renew
 * silently; else off to Microsoft's sign-in, which comes back to this page (through the redirect bridge).
 */
async function signInHere(scopes: string[]): Promise<WindowToken | undefined> {
  const msal = await import('../platform/msal.js');
  const pca = await msal.createStandardPublicClientApplication(msalConfiguration());
  const result = await pca.handleRedirectPromise();
  if (result) return windowToken(result);
  const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
  if (account) {
    try {
      return windowToken(await pca.acquireTokenSilent({ scopes, account }));
    } catch {
      // Renewing needs the person: the redirect below.
    }
  }
  await pca.acquireTokenRedirect({ scopes });
  return undefined;
}

/** Hands the answer to the host that opened this window; the host closes it. */
async function answerHost(host: SignInWindowHost, answer: WindowAnswer): Promise<void> {
  if (host === 'teams') {
    const { app, authentication } = await import('@microsoft/teams-js');
    await app.initialize();
    if ('accessToken' in answer) authentication.notifySuccess(JSON.stringify(answer));
    else authentication.notifyFailure(answer.error);
    return;
  }
  await Office.onReady();
  Office.context.ui.messageParent(JSON.stringify(answer));
}

/**
 * The sign-in page has two jobs. As MSAL's redirect URI it is the v5 redirect bridge: it passes Microsoft's
 * answer to the page that asked (a pop-up's opener, or back to the page that left for a redirect). Opened
 * by Teams' sign-in window or Office's dialog (`?for=teams|outlook&scopes=…`), it signs the person in with
 * MSAL's standard client and answers the host with the token, or with the failure's code.
 */
export async function runSignInPage(url: URL = new URL(location.href)): Promise<void> {
  if (carriesAuthAnswer(url)) {
    const { broadcastResponseToMainFrame } = await import('../platform/msal.js');
    await broadcastResponseToMainFrame();
    return;
  }
  const host = url.searchParams.get('for');
  if (host !== 'teams' && host !== 'outlook') return;
  const scopes = (url.searchParams.get('scopes') ?? '').split(' ').filter(Boolean);
  let answer: WindowAnswer | undefined;
  try {
    answer = await signInHere(scopes);
  } catch (error) {
    answer = { error: signInErrorOf(error).reason };
  }
  if (answer) await answerHost(host, answer);
}
