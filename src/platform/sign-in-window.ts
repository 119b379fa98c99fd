import { SignInError, signInErrorOf } from './sign-in-error.js';

/**
 * The sign-in page (src/auth.html), next to the tab's and the pane's pages (the web app may live under a
 * path, e.g. https://desk.example/credits/). It is MSAL's redirect URI (the v5 redirect bridge: it hands
 * the answer back to the page that asked), and the page Teams' sign-in window and Office's dialog open when
 * the host cannot broker a token (no nested app authentication). Register its address as a single-page
 * application redirect URI of the Entra app.
 */
export const SIGN_IN_PAGE = 'auth.html';

/** Which host opened the sign-in page in its own window, and so how the page answers. */
export type SignInWindowHost = 'teams' | 'outlook';

/** What the sign-in page hands back: a token for the scopes asked, and when it runs out. */
export interface WindowToken {
  accessToken: string;
  /** Milliseconds since the epoch. */
  expiresOn: number;
}

export const signInPageUrl = (page: string = location.href): string => new URL(SIGN_IN_PAGE, page).href;

/** The sign-in page's address for a host's window, with the scopes it is to ask for. */
export function signInWindowUrl(host: SignInWindowHost, scopes: readonly string[], page: string = location.href): string {
  return `${signInPageUrl(page)}?${new URLSearchParams({ for: host, scopes: scopes.join(' ') })}`;
}

/** The page's answer as it travels (JSON, since Teams and Office pass strings): a token or the failure's code. */
export type WindowAnswer = WindowToken | { error: string };

/** The token in a window's answer; a failure (or an answer that is not one) as a SignInError. */
export function tokenOfAnswer(text: unknown): WindowToken {
  let answer: Partial<WindowToken & { error: string }> = {};
  try {
    answer = typeof text === 'string' ? (JSON.parse(text) as typeof answer) : {};
  } catch {
    // Not JSON: treated below as an answer without a token.
  }
  if (typeof answer.accessToken === 'string' && typeof answer.expiresOn === 'number') return { accessToken: answer.accessToken, expiresOn: answer.expiresOn };
  throw signInErrorOf({ errorCode: typeof answer.error === 'string' ? answer.error : 'unreadable_answer' });
}

/**
 * Teams without nested app authentication: Teams opens the sign-in page in its own window
 * (`authentication.authenticate`), which signs in with MSAL and answers through `notifySuccess` /
 * `notifyFailure`. Call it from the person's click: a window opened otherwise is blocked.
 */
export async function tokenThroughTeamsWindow(scopes: readonly string[]): Promise<WindowToken> {
  const { authentication } = await import('@microsoft/teams-js');
  let answer: string;
  try {
    answer = await authentication.authenticate({ url: signInWindowUrl('teams', scopes), width: 600, height: 535 });
  } catch (error) {
    // Teams rejects with the reason as the message: CancelledByUser, FailedToOpenWindow, or the page's own code.
    throw signInErrorOf(error);
  }
  return tokenOfAnswer(answer);
}

/**
 * Outlook without the NestedAppAuth 1.1 requirement set: Office's dialog opens the sign-in page, which
 * signs in with MSAL and answers through `messageParent`. Call it from the person's click.
 */
export function tokenThroughOfficeDialog(scopes: readonly string[]): Promise<WindowToken> {
  return new Promise((resolve, reject) => {
    Office.context.ui.displayDialogAsync(signInWindowUrl('outlook', scopes), { height: 60, width: 30 }, (opened) => {
      if (opened.status === Office.AsyncResultStatus.Failed) return reject(signInErrorOf({ code: opened.error.code }));
      const dialog = opened.value;
      dialog.addEventHandler(Office.EventType.DialogMessageReceived, (arg) => {
        dialog.close();
        try {
          resolve(tokenOfAnswer('message' in arg ? arg.message : undefined));
        } catch (error) {
          reject(signInErrorOf(error));
        }
      });
      // 12006: the person closed the dialog; 12002/12003: the page could not be loaded.
      dialog.addEventHandler(Office.EventType.DialogEventReceived, (arg) => reject('error' in arg ? signInErrorOf({ code: arg.error }) : new SignInError('failed', 'dialog_event')));
    });
  });
}
